import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A package loaded on first use rather than when the server starts. The server's bundle leaves
 * packages to Node, which loads each one's files before the first line of the server runs: the
 * AWS SDK, ioredis and the Anthropic SDK took about half of a restart, though only a server with
 * S3, Redis or the chat configured ever uses them (`npm run bench:restart`). CommonJS builds
 * only (each of these has one), since `require` is synchronous and a constructor needs it now.
 */
export function lazyPackage<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
