import fs from 'node:fs/promises';
import { folderHealth, roomFile, roomFolder, roomsIn } from './room-files';
import type { Snapshot, SnapshotStore } from './snapshot-store';
import { StorageError } from './storage';

/**
 * Snapshots as files under `DATA_DIR/snapshots` (for a Redis log without S3): `u32 length of
 * upTo | upTo | snapshot bytes`, written to a temporary file, synced and renamed over the old one.
 */
export class FileSnapshotStore implements SnapshotStore {
  readonly kind = 'file';

  private constructor(private readonly dir: string) {}

  static async open(dataDir: string): Promise<FileSnapshotStore> {
    return new FileSnapshotStore(await roomFolder(dataDir, 'snapshots'));
  }

  private file(room: string): string {
    return roomFile(this.dir, room, 'snapshot');
  }

  async get(room: string): Promise<Snapshot | null> {
    const file = this.file(room);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StorageError(`cannot read the snapshot of "${room}": ${(e as Error).message}`, room, { cause: e });
    }
    const length = bytes.readUInt32LE(0);
    const upTo = length > 0 ? bytes.subarray(4, 4 + length).toString() : null;
    return { upTo, data: new Uint8Array(bytes.subarray(4 + length)) };
  }

  async put(room: string, snapshot: Snapshot): Promise<void> {
    const upTo = Buffer.from(snapshot.upTo ?? '');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(upTo.length, 0);
    const target = this.file(room);
    const tmp = `${target}.tmp`;
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.writev([header, upTo, Buffer.from(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength)]);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  }

  list(): Promise<string[]> {
    return roomsIn(this.dir, 'snapshot');
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {}
}
