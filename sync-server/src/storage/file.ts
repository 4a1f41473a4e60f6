import { constants, writev as writevCallback } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { folderHealth, roomFile, roomFolder, roomsIn } from './room-files';
import { StorageError, type Storage, type StorageHealth, type StoredRoom } from './storage';

/**
 * The embedded default: under `dir`, one append-only log (`<room>.log`) and one compacted
 * snapshot (`<room>.snapshot`) per room, the room name URI-encoded so it is one flat file name.
 *
 * Each record is `u32 length | u32 crc32 | bytes` (little-endian). A crash can leave a torn last
 * record; loading stops at the first record whose length or checksum does not hold and cuts the
 * log there, since nothing past it was ever acknowledged.
 *
 * Logs are opened with O_DSYNC, so one `writev` per batch is both the write and the flush: half
 * the thread-pool round trips of write-then-fdatasync, which is most of this backend's CPU cost.
 */
export class FileStorage implements Storage {
  readonly kind = 'file';
  private readonly logs = new Map<string, FileHandle>();
  /** Serializes the operations of each room, so compaction never interleaves with an append. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private closed = false;

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the storage directory. */
  static async open(dataDir: string): Promise<FileStorage> {
    return new FileStorage(await roomFolder(dataDir, 'rooms'));
  }

  private file(room: string, ext: 'log' | 'snapshot'): string {
    return roomFile(this.dir, room, ext);
  }

  private serial<T>(room: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError('storage is closed', room));
    const prev = this.chains.get(room) ?? Promise.resolve();
    const next = prev.then(op, op);
    const settled = next.catch(() => undefined);
    this.chains.set(room, settled);
    void settled.then(() => {
      if (this.chains.get(room) === settled) this.chains.delete(room);
    });
    return next;
  }

  load(room: string): Promise<StoredRoom> {
    return this.serial(room, async () => {
      const snapshotBytes = await readIfExists(this.file(room, 'snapshot'));
      const snapshot = snapshotBytes ? (decodeRecords(snapshotBytes).records[0] ?? null) : null;
      const logFile = this.file(room, 'log');
      const logBytes = await readIfExists(logFile);
      if (!logBytes) return { snapshot, updates: [] };
      const { records, validLength } = decodeRecords(logBytes);
      if (validLength < logBytes.length) {
        // A torn tail from a crash mid-write: cut it so later appends follow the last good record.
        await fs.truncate(logFile, validLength);
      }
      return { snapshot, updates: records };
    });
  }

  append(room: string, updates: Uint8Array[]): Promise<void> {
    if (updates.length === 0) return Promise.resolve();
    return this.serial(room, async () => {
      const fh = await this.logHandle(room);
      await writeAll(fh.fd, updates.flatMap(encodeRecord));
    });
  }

  compact(room: string, snapshot: Uint8Array): Promise<void> {
    return this.serial(room, async () => {
      const target = this.file(room, 'snapshot');
      const tmp = `${target}.tmp`;
      const fh = await fs.open(tmp, 'w');
      try {
        await fh.writev(encodeRecord(snapshot));
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, target);
      await syncDir(this.dir);
      const log = await this.logHandle(room);
      await log.truncate(0);
      await log.datasync();
    });
  }

  list(): Promise<string[]> {
    return roomsIn(this.dir, 'log', 'snapshot');
  }

  release(room: string): Promise<void> {
    return this.serial(room, async () => {
      const fh = this.logs.get(room);
      this.logs.delete(room);
      await fh?.close();
    });
  }

  health(): Promise<StorageHealth> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {
    await Promise.all([...this.chains.values()]);
    this.closed = true;
    await Promise.all([...this.logs.values()].map((fh) => fh.close()));
    this.logs.clear();
  }

  private async logHandle(room: string): Promise<FileHandle> {
    let fh = this.logs.get(room);
    if (!fh) {
      const file = this.file(room, 'log');
      const existed = await fs
        .access(file)
        .then(() => true)
        .catch(() => false);
      fh = await fs.open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC);
      // A new file's name is durable only once its directory is synced.
      if (!existed) await syncDir(this.dir);
      this.logs.set(room, fh);
    }
    return fh;
  }
}

/** Writes every buffer, continuing after a short write, with the callback API (cheaper than FileHandle). */
function writeAll(fd: number, buffers: Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const total = buffers.reduce((n, b) => n + b.length, 0);
    const step = (list: Buffer[], left: number) =>
      writevCallback(fd, list, (error, written) => {
        if (error) return reject(error);
        if (written >= left) return resolve();
        let skip = written;
        const rest: Buffer[] = [];
        for (const b of list) {
          if (skip >= b.length) skip -= b.length;
          else {
            rest.push(skip > 0 ? b.subarray(skip) : b);
            skip = 0;
          }
        }
        step(rest, left - written);
      });
    step(buffers, total);
  });
}

function encodeRecord(data: Uint8Array): Buffer[] {
  const header = Buffer.allocUnsafe(8);
  header.writeUInt32LE(data.length, 0);
  header.writeUInt32LE(crc32(data), 4);
  return [header, Buffer.from(data.buffer, data.byteOffset, data.length)];
}

/** Decodes records up to the first torn or corrupt one. */
function decodeRecords(bytes: Buffer): { records: Uint8Array[]; validLength: number } {
  const records: Uint8Array[] = [];
  let pos = 0;
  while (pos + 8 <= bytes.length) {
    const length = bytes.readUInt32LE(pos);
    const sum = bytes.readUInt32LE(pos + 4);
    if (pos + 8 + length > bytes.length) break;
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (crc32(data) !== sum) break;
    records.push(new Uint8Array(data));
    pos += 8 + length;
  }
  return { records, validLength: pos };
}

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StorageError(`cannot read ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
