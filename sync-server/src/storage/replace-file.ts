import fs from 'node:fs/promises';
import path from 'node:path';
import { writeAll } from './write-all';

/** Flushes a directory's entries (a file created, renamed or removed in it) to disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Deletes `file` durably (its directory synced); a file that is not there is fine. */
export async function removeFile(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await syncDirectory(path.dirname(file));
}

/**
 * Replaces `file` with `data` so that a reader, or the disk after a crash, holds the old file or
 * the new one whole, never part of either: written to `tmp`, synced, renamed over `file`, and the
 * directory synced so the rename itself is durable before this resolves. A failed write (a full
 * disk, say) leaves `file` as it was and removes `tmp`.
 */
export async function replaceFile(file: string, data: string | Uint8Array | readonly Uint8Array[], tmp = `${file}.tmp`): Promise<void> {
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      // Whole or not at all: one `writev` may stop short on a filling disk and still succeed.
      await writeAll(fh.fd, typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.unlink(tmp).catch(() => undefined);
    throw e;
  }
  await syncDirectory(path.dirname(file));
}
