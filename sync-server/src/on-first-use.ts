import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded the first time it is used instead of at start. The SDKs of the optional
 * backends and of the chat (ioredis, the S3 client, the Anthropic SDK) hold about 25–30 MB of a
 * server's memory from the moment they load: a server configured without Redis or S3, or that
 * nobody chats with, need not carry them. Loaded with `require`, so it stays synchronous for its
 * callers: ioredis and @aws-sdk/client-s3 have only a CommonJS build for Node (an `import` of them
 * loads that same module), and the Anthropic SDK is used only through this loader (its types
 * aside), so one copy of each is ever loaded.
 */
export function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
