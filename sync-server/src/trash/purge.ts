import type { Logger } from 'pino';
import { CLOSE } from '../../../shared/src/codes';
import { forgetTrashEntry, getTrashEntry, type TrashEntry } from '../../../shared/src/documents/trash';
import type { NamedOrigin } from '../../../shared/src/origins';
import { runsRoomOf } from '../../../shared/src/rooms';
import type { Rooms } from '../rooms/rooms';

/** What a purge needs of the versions kept beside the rooms (`Checkpoints`). */
export interface SubjectVersions {
  /** Drops what was pending for the subject and removes its versions, after any being stored. */
  forget(subject: string): Promise<void>;
}

/** What purging for good touches beside the trash entry itself. */
export interface PurgeDeps {
  rooms: Rooms;
  /** The versions of workflows, sessions and skills; absent when the server keeps none. */
  versions?: SubjectVersions;
  /** Tells the mirrors a room changed: one no longer listed has its mirrored file or keys deleted. */
  roomGone?: (room: string) => void;
  log: Logger;
}

/** The rooms a trashed item holds its content in: a workflow's room and its run history, a session's room; a skill's is in the entry. */
function roomsOf(entry: TrashEntry): string[] {
  if (entry.kind === 'skill') return [];
  const runs = entry.kind === 'workflow' ? runsRoomOf(entry.room) : null;
  return runs ? [entry.room, runs] : [entry.room];
}

/**
 * Purges one entry of a volume's trash for good (`index` is the volume index room): a workflow's
 * or session's room (and a workflow's run history) is unloaded (its clients closed with
 * `roomDeleted`) and deleted from storage and mirrors, the subject's versions are removed, and only then is the entry
 * forgotten, so a purge cut short (a crash, a backend down) leaves the entry in the trash and
 * runs again at the next sweep or delete. A skill's content is in the entry itself. `due` may
 * refuse the entry as the index holds it now (an expiry checks it is still old enough).
 * Resolves with the entry purged, or null when the index has no such entry (or `due` refused it).
 */
export async function purgeTrashEntry(
  deps: PurgeDeps,
  index: string,
  trashId: string,
  origin: NamedOrigin,
  due: (entry: TrashEntry) => boolean = () => true,
): Promise<TrashEntry | null> {
  const entry = await deps.rooms.use(index, (room) => getTrashEntry(room.doc, trashId));
  if (!entry || !due(entry)) return null;
  for (const room of roomsOf(entry)) {
    await deps.rooms.purge(room, CLOSE.roomDeleted);
    deps.roomGone?.(room);
  }
  await deps.versions?.forget(entry.room);
  await deps.rooms.use(index, (room) =>
    room.doc.transact(() => {
      // Restored and deleted again meanwhile: that newer entry is not the one purged.
      if (getTrashEntry(room.doc, trashId)?.deleted_at === entry.deleted_at) forgetTrashEntry(room.doc, trashId);
    }, origin),
  );
  deps.log.info({ trash: trashId, kind: entry.kind, room: entry.room }, 'purged from the trash for good');
  return entry;
}
