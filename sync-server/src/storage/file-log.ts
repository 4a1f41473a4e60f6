import { constants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import { decodeRecords, encodeRecord, type LogRecord } from './log-record';
import { removeFile, replaceFile, syncDirectory } from './replace-file';
import { folderHealth, roomFile, roomFolder, roomsIn } from './room-files';
import type { LogEntry, RoomLog } from './room-log';
import { RoomSerializer } from './room-serializer';
import { checkedRoom, StorageError } from './storage';
import { writeAll } from './write-all';

/** Ids are the decimal sequence numbers this log gives, from 1. */
const ID_PATTERN = /^[0-9]{1,15}$/;

/**
 * The file room log: one append-only file per room (`<room>.log` in its folder), in the one
 * record format of `log-record.ts`. It is the log of the embedded file backend (`rooms/`, beside
 * its snapshots) and of S3 snapshots without Redis (`logs/`).
 *
 * Appends are durable when they resolve: each room's file is kept open with O_DSYNC, so one
 * `writev` per batch is both the write and the flush (half the thread-pool round trips of
 * write-then-fdatasync, which is most of the file backend's CPU cost). Reading cuts a torn tail
 * (a crash mid-write) so later appends follow the last good record. Trimming rewrites the file
 * (temporary file, sync, rename) without the covered entries but the newest: ids are read back
 * from the file, and an emptied file would start them again at 1 after a restart, below the
 * position a snapshot covers, where every later update would be skipped at load.
 */
export class FileRoomLog implements RoomLog {
  readonly kind = 'file';
  /** The next sequence number of each room whose file has been read. */
  private readonly next = new Map<string, number>();
  private readonly handles = new Map<string, FileHandle>();
  private readonly serial = new RoomSerializer('file room log');

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the log folder `folder` under `dataDir`. */
  static async open(dataDir: string, folder = 'logs'): Promise<FileRoomLog> {
    return new FileRoomLog(await roomFolder(dataDir, folder));
  }

  private file(room: string): string {
    return roomFile(this.dir, room, 'log');
  }

  /** Every whole record of a room's file, its torn tail cut off. */
  private async records(room: string): Promise<LogRecord[]> {
    const file = this.file(room);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StorageError(`cannot read the log of room "${room}" (${file}): ${(e as Error).message}`, room, { cause: e });
      }
      bytes = Buffer.alloc(0);
    }
    const { records, validLength } = decodeRecords(bytes);
    if (validLength < bytes.length) await fs.truncate(file, validLength);
    this.next.set(room, (records.at(-1)?.seq ?? 0) + 1);
    return records;
  }

  async read(room: string, afterId: string | null): Promise<LogEntry[]> {
    const after = afterId === null ? 0 : this.seqOf(room, afterId);
    return this.serial.run(room, async () => {
      const records = await this.records(room);
      // Sequence numbers grow along the file.
      const first = records.findIndex((r) => r.seq > after);
      return first <= 0 ? (first === 0 ? records : []) : records.slice(first);
    });
  }

  async append(room: string, updates: Uint8Array[]): Promise<string[]> {
    checkedRoom(room);
    if (updates.length === 0) return [];
    return this.serial.run(room, async () => {
      if (!this.next.has(room)) await this.records(room);
      const first = this.next.get(room) as number;
      const chunks = updates.flatMap((u, i) => encodeRecord(first + i, u));
      try {
        await writeAll((await this.handle(room)).fd, chunks);
      } catch (e) {
        // Part of the batch may be in the file: the next append reads it first, cutting that torn tail.
        this.next.delete(room);
        await this.closeHandle(room).catch(() => undefined);
        throw new StorageError(`cannot append to the log of room "${room}": ${(e as Error).message}`, room, { cause: e });
      }
      this.next.set(room, first + updates.length);
      return updates.map((_, i) => String(first + i));
    });
  }

  async trim(room: string, upToId: string): Promise<void> {
    const upTo = this.seqOf(room, upToId);
    return this.serial.run(room, async () => {
      const all = await this.records(room);
      const kept = all.filter((r, i) => r.seq > upTo || i === all.length - 1);
      if (kept.length === all.length) return;
      // The open handle would keep appending to the file the rename replaces.
      await this.closeHandle(room);
      await replaceFile(this.file(room), kept.flatMap((r) => encodeRecord(r.seq, r.update)));
    });
  }

  async release(room: string): Promise<void> {
    checkedRoom(room);
    return this.serial.run(room, async () => {
      await this.closeHandle(room);
      this.next.delete(room);
    });
  }

  async delete(room: string): Promise<void> {
    checkedRoom(room);
    return this.serial.run(room, async () => {
      await this.closeHandle(room);
      this.next.delete(room);
      try {
        await removeFile(this.file(room));
      } catch (e) {
        throw new StorageError(`cannot delete the log of room "${room}": ${(e as Error).message}`, room, { cause: e });
      }
    });
  }

  list(): Promise<string[]> {
    return roomsIn(this.dir, 'log');
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {
    await this.serial.close();
    await Promise.all([...this.handles.values()].map((fh) => fh.close()));
    this.handles.clear();
  }

  /** The sequence number an id stands for; a StorageError for one this log never gives. */
  private seqOf(room: string, id: string): number {
    checkedRoom(room);
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw new StorageError(`"${String(id).slice(0, 100)}" is not an id of the file log of room "${room}": its ids are the sequence numbers 1, 2, 3…`, room);
    }
    return Number(id);
  }

  private async handle(room: string): Promise<FileHandle> {
    let fh = this.handles.get(room);
    if (!fh) {
      const file = this.file(room);
      const existed = await fs
        .access(file)
        .then(() => true)
        .catch(() => false);
      fh = await fs.open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC);
      // A new file's name is durable only once its directory is synced.
      if (!existed) await syncDirectory(this.dir);
      this.handles.set(room, fh);
    }
    return fh;
  }

  private async closeHandle(room: string): Promise<void> {
    const fh = this.handles.get(room);
    this.handles.delete(room);
    await fh?.close();
  }
}
