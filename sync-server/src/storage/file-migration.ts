import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { FileRoomLog } from './file-log';
import { FileSnapshotStore } from './file-snapshots';
import { replaceFile, syncDirectory } from './replace-file';
import { decodeRoom } from './room-names';
import { StorageError } from './storage';

/** The file backend's folder under DATA_DIR. */
export const ROOMS_FOLDER = 'rooms';
/** Where a migration writes before its result takes the folder's place. */
const NEXT = 'rooms.migrating';
/** Where the folder as the earlier release wrote it stays after a migration. */
const BACKUP = 'rooms.format1';
/** A file in the folder naming its format; a folder without one was written before it existed. */
const MARKER = '.format';
const FORMAT = 'llmunix rooms 2\n';

const exists = (p: string) =>
  fs.access(p).then(
    () => true,
    () => false,
  );

/**
 * Makes `DATA_DIR/rooms` hold the current format, creating it for a new DATA_DIR. A folder
 * written by a release before the one file log (no format marker; records
 * `u32 length | u32 crc32 | update`, a snapshot being one such record) is rewritten whole into
 * `rooms.migrating` (each log's updates in order, with sequence ids from 1; each snapshot
 * covering none of them, as its log held only what came after it), which then takes the folder's
 * place; the old folder stays, untouched, as `rooms.format1`. Every step before the renames
 * writes only the new folder, and each rename moves a finished folder, so a crash at any point
 * leaves the old folder (the migration runs again) or the new one.
 */
export async function prepareRoomsFolder(dataDir: string): Promise<void> {
  const rooms = path.join(dataDir, ROOMS_FOLDER);
  const next = path.join(dataDir, NEXT);
  const backup = path.join(dataDir, BACKUP);
  if (!(await exists(rooms)) && (await exists(backup)) && (await exists(next))) {
    // A crash between the two renames: the new folder is complete.
    await fs.rename(next, rooms);
    await syncDirectory(dataDir);
  }
  if (!(await exists(rooms))) {
    await fs.mkdir(rooms, { recursive: true });
    await replaceFile(path.join(rooms, MARKER), FORMAT);
    await syncDirectory(dataDir);
    return;
  }
  const marker = await fs.readFile(path.join(rooms, MARKER), 'utf8').catch(() => null);
  if (marker === FORMAT) return;
  if (marker !== null) {
    throw new StorageError(`${rooms} is in a format this release does not know (${JSON.stringify(marker.trim().slice(0, 100))}): it was written by a newer release, which is the one to run on it.`);
  }
  if (await exists(backup)) {
    throw new StorageError(`${rooms} needs moving to the current format, but ${backup} (kept by an earlier move) is in the way: move it out of ${dataDir} and start again.`);
  }
  await fs.rm(next, { recursive: true, force: true });
  await rewrite(rooms, dataDir);
  await replaceFile(path.join(next, MARKER), FORMAT);
  await fs.rename(rooms, backup);
  await syncDirectory(dataDir);
  await fs.rename(next, rooms);
  await syncDirectory(dataDir);
}

/** Writes every room of a legacy folder into the new one; files that are not rooms' stay behind. */
async function rewrite(legacy: string, dataDir: string): Promise<void> {
  const log = await FileRoomLog.open(dataDir, NEXT);
  const snapshots = await FileSnapshotStore.open(dataDir, NEXT);
  try {
    for (const name of await fs.readdir(legacy)) {
      const dot = name.lastIndexOf('.');
      const room = dot > 0 ? decodeRoom(name.slice(0, dot)) : null;
      const ext = name.slice(dot + 1);
      if (room === null || (ext !== 'log' && ext !== 'snapshot')) continue;
      const records = decodeLegacyRecords(await fs.readFile(path.join(legacy, name)));
      if (ext === 'log') {
        await log.append(room, records);
        await log.release(room);
      } else if (records[0]) {
        await snapshots.put(room, { data: records[0], upTo: null });
      }
    }
  } finally {
    await log.close();
  }
}

/** The legacy records up to the first torn or corrupt one, as the legacy release read them. */
function decodeLegacyRecords(bytes: Buffer): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (let pos = 0; pos + 8 <= bytes.length; ) {
    const length = bytes.readUInt32LE(pos);
    const data = bytes.subarray(pos + 8, pos + 8 + length);
    if (data.length < length || crc32(data) !== bytes.readUInt32LE(pos + 4)) break;
    records.push(new Uint8Array(data));
    pos += 8 + length;
  }
  return records;
}
