// One process writes a DATA_DIR: the lock file refuses a second live holder, in another process or
// this one, with what to do instead; a lock left by a dead process (kill -9) is taken over.
// (DUR-8)
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from '../src/storage/data-dir-lock';
import { startTestServer } from './harness/in-process';
import { teardownEachTest } from './harness/teardown';

const { cleanups, tempDir } = teardownEachTest('llmunix-lock-');

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

it('a second holder is refused while the first lives, and may take the directory once it is released', async () => {
  const dir = await tempDir();
  const first = await lockDataDir(dir, 'the first', 'Use the other.');
  const error = await lockDataDir(dir, 'the second', 'Use the other.').catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DataDirLockedError);
  expect((error as Error).message).toMatch(new RegExp(`The data directory .* is in use by the first \\(pid ${process.pid} .*Use the other\\.`));
  await first.release();
  await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow();
  const second = await lockDataDir(dir, 'the second', 'Use the other.');
  expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, by: 'the second' });
  await second.release();
});

it('a lock whose process is dead is taken over, as is one that cannot be read', async () => {
  const dir = await tempDir();
  const file = path.join(dir, LOCK_FILE);
  await fs.writeFile(file, JSON.stringify({ pid: await deadPid(), by: 'a crashed server', host: 'h', since: '2020-01-01T00:00:00.000Z' }));
  const lock = await lockDataDir(dir, 'the next', '');
  expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, by: 'the next' });
  await lock.release();
  await fs.writeFile(file, 'half a reco');
  const again = await lockDataDir(dir, 'the next', '');
  expect(JSON.parse(await fs.readFile(file, 'utf8'))).toMatchObject({ by: 'the next' });
  await again.release();
});

it('the server holds its file DATA_DIR from start to shutdown; a second server on it does not start', async () => {
  const dir = await tempDir();
  const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dir });
  cleanups.push(() => server.close());
  expect(JSON.parse(await fs.readFile(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, by: 'the LLMunix server' });
  await expect(startTestServer({ STORAGE: 'file', DATA_DIR: dir })).rejects.toThrow(/is in use by the LLMunix server .*npm run mcp -- --server URL/);
  await server.close();
  await expect(fs.stat(path.join(dir, LOCK_FILE))).rejects.toThrow();
});
