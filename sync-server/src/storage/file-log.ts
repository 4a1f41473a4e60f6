import fs from 'node:fs/promises';
import { folderHealth, roomFile, roomFolder, roomsIn } from './room-files';
import { crc32 } from 'node:zlib';
import type { LogEntry, RoomLog } from './room-log';
import { StorageError } from './storage';

/** One record: `u32 length | u32 crc32 of (sequence, update) | u64 sequence | update`. */
function encodeRecord(seq: bigint, update: Uint8Array): Buffer[] {
  const body = Buffer.alloc(8 + update.length);
  body.writeBigUInt64LE(seq, 0);
  body.set(update, 8);
  const header = Buffer.alloc(8);
  header.writeUInt32LE(update.length, 0);
  header.writeUInt32LE(crc32(body), 4);
  return [header, body];
}

/**
 * Room logs as files under `DATA_DIR/logs`, for S3 snapshots without Redis: records
 * `u32 length | u32 crc32 | u64 sequence | update`, appended with O_DSYNC semantics (write then
 * datasync). Ids are the sequence numbers, so a snapshot can say what it covers; trimming
 * rewrites the file without the covered entries but the newest (temporary file, sync, rename).
 */
export class FileRoomLog implements RoomLog {
  readonly kind = 'file';
  private readonly next = new Map<string, bigint>();
  private readonly chains = new Map<string, Promise<unknown>>();

  private constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<FileRoomLog> {
    return new FileRoomLog(await roomFolder(dataDir, 'logs'));
  }

  private file(room: string): string {
    return roomFile(this.dir, room, 'log');
  }

  private serial<T>(room: string, op: () => Promise<T>): Promise<T> {
    const next = (this.chains.get(room) ?? Promise.resolve()).then(op, op);
    const settled = next.catch(() => undefined);
    this.chains.set(room, settled);
    // A settled chain is dropped, so the map holds only rooms with work in flight.
    void settled.then(() => {
      if (this.chains.get(room) === settled) this.chains.delete(room);
    });
    return next;
  }

  /**
   * Every whole record of a room's file. A torn tail (a crash mid-write) is cut off, as
   * FileStorage does, so later appends follow the last good record instead of the garbage.
   */
  private async records(room: string): Promise<Array<LogEntry & { seq: bigint }>> {
    const file = this.file(room);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StorageError(`cannot read the log of "${room}": ${(e as Error).message}`, room, { cause: e });
    }
    const out: Array<LogEntry & { seq: bigint }> = [];
    let pos = 0;
    while (pos + 16 <= bytes.length) {
      const length = bytes.readUInt32LE(pos);
      const sum = bytes.readUInt32LE(pos + 4);
      if (pos + 16 + length > bytes.length) break;
      const body = bytes.subarray(pos + 8, pos + 16 + length);
      if (crc32(body) !== sum) break;
      const seq = body.readBigUInt64LE(0);
      out.push({ id: String(seq), seq, update: new Uint8Array(body.subarray(8)) });
      pos += 16 + length;
    }
    if (pos < bytes.length) await fs.truncate(file, pos);
    this.next.set(room, (out.at(-1)?.seq ?? 0n) + 1n);
    return out;
  }

  read(room: string, afterId: string | null): Promise<LogEntry[]> {
    return this.serial(room, async () => {
      const after = afterId === null ? -1n : BigInt(afterId);
      return (await this.records(room)).filter((r) => r.seq > after).map(({ id, update }) => ({ id, update }));
    });
  }

  append(room: string, updates: Uint8Array[]): Promise<string[]> {
    return this.serial(room, async () => {
      let seq = this.next.get(room) ?? ((await this.records(room)).at(-1)?.seq ?? 0n) + 1n;
      const ids: string[] = [];
      const chunks: Buffer[] = [];
      for (const update of updates) {
        chunks.push(...encodeRecord(seq, update));
        ids.push(String(seq));
        seq++;
      }
      const fh = await fs.open(this.file(room), 'a');
      try {
        await fh.writev(chunks);
        await fh.datasync();
      } finally {
        await fh.close();
      }
      this.next.set(room, seq);
      return ids;
    });
  }

  trim(room: string, upToId: string): Promise<void> {
    return this.serial(room, async () => {
      const upTo = BigInt(upToId);
      const all = await this.records(room);
      // The newest record stays even when covered: ids are sequence numbers read back from the
      // file, and an emptied file would start them again at 1 after a restart, below the
      // snapshot's upTo, where every later update would be skipped at load.
      const kept = all.filter((r, i) => r.seq > upTo || i === all.length - 1);
      const tmp = `${this.file(room)}.tmp`;
      const fh = await fs.open(tmp, 'w');
      try {
        if (kept.length > 0) await fh.writev(kept.flatMap((r) => encodeRecord(r.seq, r.update)));
        await fh.datasync();
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, this.file(room));
    });
  }

  list(): Promise<string[]> {
    return roomsIn(this.dir, 'log');
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }
}
