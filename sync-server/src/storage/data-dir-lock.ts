import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isDiskFull } from './disk-space';

/** The lock file's name under DATA_DIR. */
export const LOCK_FILE = 'llmunix.lock';

/** What the lock file holds: who holds the directory. */
interface LockRecord {
  pid: number;
  /** What holds it, for the message the next one gets: `server`, `npm run mcp --data`. */
  by: string;
  host: string;
  since: string;
}

/** DATA_DIR is held by another live process. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): Promise<void>;
}

/** Lock files this process holds, so a second holder in the same process is refused too. */
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, as another user's process.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readRecord(file: string): Promise<LockRecord | undefined> {
  try {
    const record = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<LockRecord>;
    return typeof record.pid === 'number' && Number.isInteger(record.pid) ? (record as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a recorded holder still holds the lock. Our own pid counts only when this process took
 * the lock: a container restarts as pid 1 again, and its last run's lock must not stop it.
 */
const holding = (file: string, record: LockRecord | undefined): record is LockRecord =>
  record !== undefined && (record.pid === process.pid ? heldHere.has(file) : alive(record.pid));

/**
 * Takes DATA_DIR for this process: the file backend has one writer, and two processes appending to
 * one room log would corrupt it. The lock is a file made exclusively, holding the pid; one whose
 * process is dead (a crash, kill -9) is taken over. A second live holder gets `DataDirLockedError`
 * with `advice` added to say what to do instead.
 */
export async function lockDataDir(dataDir: string, by: string, advice: string): Promise<DataDirLock> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), LOCK_FILE);
  const record: LockRecord = { pid: process.pid, by, host: os.hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(file, `${JSON.stringify(record)}\n`, { flag: 'wx' });
      break;
    } catch (e) {
      // On a full disk the server still starts and serves what is stored (server.ts): without a lock then.
      if (isDiskFull(e)) return { release: () => fs.rm(file, { force: true }) };
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = await readRecord(file);
      if (holding(file, holder) || attempt > 0) {
        const who = holder ? `${holder.by} (pid ${holder.pid} on ${holder.host}, since ${holder.since})` : 'another process';
        throw new DataDirLockedError(`The data directory ${dataDir} is in use by ${who}: two processes must never write one data directory. ${advice}`);
      }
      // Its holder is gone: the lock is stale. Removed and made again exclusively, so of two takers one wins.
      await fs.rm(file, { force: true });
    }
  }
  heldHere.add(file);
  return {
    release: async () => {
      if (!heldHere.delete(file)) return;
      const now = await readRecord(file);
      if (now?.pid === process.pid && now.since === record.since) await fs.rm(file, { force: true });
    },
  };
}
