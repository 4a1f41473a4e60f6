import fs from 'node:fs/promises';
import { removeFile, replaceFile } from './replace-file';
import { folderHealth, roomFile, roomFolder, roomsIn } from './room-files';
import type { Snapshot, SnapshotStore } from './snapshot-store';
import { StorageError } from './storage';

/**
 * Snapshots as files, `<room>.snapshot` in a folder (`DATA_DIR/snapshots` beside a Redis log,
 * `DATA_DIR/rooms` beside the file backend's log): `u32 length of upTo | upTo | snapshot bytes`,
 * each put replacing the file whole (`replaceFile`).
 */
export class FileSnapshotStore implements SnapshotStore {
  readonly kind = 'file';

  private constructor(private readonly dir: string) {}

  /** Opens (creating) the snapshot folder `folder` under `dataDir`. */
  static async open(dataDir: string, folder = 'snapshots'): Promise<FileSnapshotStore> {
    return new FileSnapshotStore(await roomFolder(dataDir, folder));
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
      throw new StorageError(`cannot read the snapshot of room "${room}": ${(e as Error).message}`, room, { cause: e });
    }
    const length = bytes.length >= 4 ? bytes.readUInt32LE(0) : -1;
    if (length < 0 || 4 + length > bytes.length) {
      throw new StorageError(`the snapshot of room "${room}" (${file}) is cut short (${bytes.length} bytes): restore it from a backup or remove it`, room);
    }
    const upTo = length > 0 ? bytes.subarray(4, 4 + length).toString() : null;
    return { upTo, data: new Uint8Array(bytes.subarray(4 + length)) };
  }

  async put(room: string, snapshot: Snapshot): Promise<void> {
    const upTo = Buffer.from(snapshot.upTo ?? '');
    const header = Buffer.alloc(4);
    header.writeUInt32LE(upTo.length, 0);
    await replaceFile(this.file(room), [header, upTo, snapshot.data]);
  }

  async delete(room: string): Promise<void> {
    const file = this.file(room);
    try {
      await removeFile(file);
    } catch (e) {
      throw new StorageError(`cannot delete the snapshot of room "${room}" (${file}): ${(e as Error).message}`, room, { cause: e });
    }
  }

  list(): Promise<string[]> {
    return roomsIn(this.dir, 'snapshot');
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return folderHealth(this.dir);
  }

  async close(): Promise<void> {}
}
