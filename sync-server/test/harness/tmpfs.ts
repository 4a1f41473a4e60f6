import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A small tmpfs of its own: a disk that really fills, with ENOSPC from the kernel. */
export interface Tmpfs {
  dir: string;
  /** Fills the disk to its last byte with a filler file (`free` gives the room back), or to `leaveKiB` short of it. */
  fill(leaveKiB?: number): Promise<void>;
  /** Deletes the filler: the disk has room again. */
  free(): Promise<void>;
  /** Unmounts it and removes its mount point. */
  unmount(): Promise<void>;
}

export type Mounted = { ok: true; tmpfs: Tmpfs } | { ok: false; why: string };

const FILLER = 'disk-filler';

/**
 * Mounts a tmpfs of `sizeKiB` on a fresh directory. Mounting needs root (CI runs as root); where
 * it is refused, says why instead of failing, so a test can skip only this case.
 */
export async function mountTmpfs(sizeKiB: number): Promise<Mounted> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir]);
  } catch (e) {
    await fs.rmdir(dir).catch(() => undefined);
    const uid = process.getuid?.();
    return { ok: false, why: `cannot mount a tmpfs here (uid ${uid ?? '?'}; mounting needs root): ${((e as { stderr?: string }).stderr || (e as Error).message).trim()}` };
  }
  const filler = path.join(dir, FILLER);
  return {
    ok: true,
    tmpfs: {
      dir,
      fill: async (leaveKiB = 0) => {
        await fillUp(filler);
        if (leaveKiB > 0) await fs.truncate(filler, Math.max(0, (await fs.stat(filler)).size - leaveKiB * 1024));
      },
      free: () => fs.rm(filler, { force: true }),
      unmount: async () => {
        await run('umount', ['-l', dir]);
        await fs.rmdir(dir);
      },
    },
  };
}

/** Appends to `file` until the disk refuses even one more byte. */
async function fillUp(file: string): Promise<void> {
  const fh = await fs.open(file, 'a');
  try {
    for (const size of [64 * 1024, 4096, 1]) {
      const chunk = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          const { bytesWritten } = await fh.write(chunk);
          if (bytesWritten < size) break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}
