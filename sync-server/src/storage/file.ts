import path from 'node:path';
import { FileRoomLog } from './file-log';
import { prepareRoomsFolder, ROOMS_FOLDER } from './file-migration';
import { FileSnapshotStore } from './file-snapshots';
import { folderHealth } from './room-files';
import { SplitStorage } from './split';
import type { StorageHealth } from './storage';

/**
 * The embedded default: under `DATA_DIR/rooms`, each room's log (`<room>.log`, the file room
 * log) and compacted snapshot (`<room>.snapshot`) side by side, put together as `SplitStorage`
 * puts any log and snapshot store together. A room loads as its snapshot plus the log entries
 * after the one the snapshot covers; compaction writes the snapshot, then trims the log up to
 * it, so a crash between the two leaves entries that loading skips. A folder written by an
 * earlier release is moved to the current format when it is opened (`file-migration.ts`).
 */
export class FileStorage extends SplitStorage {
  override readonly kind = 'file';

  private constructor(
    log: FileRoomLog,
    snapshots: FileSnapshotStore,
    private readonly dir: string,
  ) {
    super(log, snapshots);
  }

  /** Opens (creating, or bringing to the current format) the storage under `dataDir`. */
  static async open(dataDir: string): Promise<FileStorage> {
    await prepareRoomsFolder(dataDir);
    const [log, snapshots] = await Promise.all([FileRoomLog.open(dataDir, ROOMS_FOLDER), FileSnapshotStore.open(dataDir, ROOMS_FOLDER)]);
    return new FileStorage(log, snapshots, path.join(dataDir, ROOMS_FOLDER));
  }

  /** One folder holds both halves, so one health, named as /readyz has always named it. */
  override health(): Promise<StorageHealth> {
    return folderHealth(this.dir);
  }
}
