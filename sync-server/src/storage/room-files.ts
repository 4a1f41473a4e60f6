import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeRoom, encodeRoom } from './room-names';

/**
 * The file backends keep one flat file per room in a folder, named by the room's token
 * (`room-names.ts`): one reversible file name that cannot leave the folder.
 */

/** Creates (if needed) and returns a backend's folder under DATA_DIR. */
export async function roomFolder(dataDir: string, name: string): Promise<string> {
  const dir = path.join(dataDir, name);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** A room's file in a folder. */
export const roomFile = (dir: string, room: string, ext: string): string => path.join(dir, `${encodeRoom(room)}.${ext}`);

/** The rooms that have a file with one of these extensions in a folder; strays (a "%zz.log", say) are not rooms. */
export async function roomsIn(dir: string, ...exts: string[]): Promise<string[]> {
  const rooms = new Set<string>();
  for (const name of await fs.readdir(dir)) {
    const dot = name.lastIndexOf('.');
    const room = dot > 0 && exts.includes(name.slice(dot + 1)) ? decodeRoom(name.slice(0, dot)) : null;
    if (room !== null) rooms.add(room);
  }
  return [...rooms].sort();
}

/** Whether the folder can be written, in words when not. */
export async function folderHealth(dir: string): Promise<{ ok: boolean; detail?: string }> {
  try {
    await fs.access(dir, constants.W_OK);
    return { ok: true };
  } catch (e) {
    return { ok: false, detail: `cannot write ${dir}: ${(e as Error).message}` };
  }
}
