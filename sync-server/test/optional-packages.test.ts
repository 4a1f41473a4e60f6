// The SDKs of optional backends and of the chat load on first use, not at start (about 25 MB of
// a server's memory): a server started without REDIS_URL, S3_BUCKET or a chat request holds none
// of them. Each server runs as a real process; a preloaded probe lists the packages it has loaded
// when asked by signal, from Node's CommonJS module cache: that holds ioredis and the S3 client
// however they were loaded (an ESM import of them loads their CommonJS build), and the Anthropic
// SDK as the server loads it (by `require`, on-first-use.ts; its ESM build would not show).
import { expect, it } from 'vitest';
import { startRedis } from './harness/redis-server';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-optional-packages-');
const PACKAGES = ['ioredis', '@aws-sdk/client-s3', '@anthropic-ai/sdk'];

/** Prints `{"msg":"loaded packages","packages":[…]}` on SIGUSR2: which of PACKAGES are in the module cache. */
const PROBE = `
import { createRequire } from 'node:module';
// The cache is the process's, whichever file the require is made for.
const require = createRequire(process.cwd() + '/probe.js');
const names = ${JSON.stringify(PACKAGES)};
process.on('SIGUSR2', () => {
  const files = Object.keys(require.cache);
  const packages = names.filter((n) => files.some((f) => f.includes('/node_modules/' + n + '/')));
  process.stdout.write(JSON.stringify({ msg: 'loaded packages', packages }) + '\\n');
});
`;

async function server(env: Record<string, string>): Promise<ServerProcess> {
  const probe = `--import=data:text/javascript,${encodeURIComponent(PROBE)}`;
  const proc = await startServerProcess({ STORAGE: 'file', DATA_DIR: await tempDir(), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${probe}`.trim(), ...env });
  cleanups.push(() => proc.stop());
  return proc;
}

/** The probed packages the server has loaded so far. */
async function loaded(proc: ServerProcess): Promise<string[]> {
  const before = proc.logs.length;
  proc.child.kill('SIGUSR2');
  let answer: Record<string, unknown> | undefined;
  await waitFor(() => (answer = proc.logs.slice(before).find((l) => l.msg === 'loaded packages')) !== undefined, 'the probe to answer');
  return (answer!.packages as string[]).sort();
}

it('a server without Redis, S3 or a chat request has loaded none of their SDKs', async () => {
  const proc = await server({ ANTHROPIC_API_KEY: 'sk-test-unused' });
  expect(await loaded(proc)).toEqual([]);
});

it('each SDK loads once it is used: ioredis with REDIS_URL at start, the Anthropic SDK at the first chat request', async () => {
  const redis = await startRedis();
  cleanups.push(() => redis.destroy());
  // Nothing listens on port 9: the chat fails to reach the API, after loading its SDK.
  const proc = await server({ REDIS_URL: redis.url, ANTHROPIC_API_KEY: 'sk-test-unused', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
  expect(await loaded(proc)).toEqual(['ioredis']);
  const res = await fetch(`${proc.url}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'hello' }) });
  expect(res.status, 'the chat cannot reach the API').toBeGreaterThanOrEqual(500);
  expect(await loaded(proc)).toEqual(['@anthropic-ai/sdk', 'ioredis']);
});
