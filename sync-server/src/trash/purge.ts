import type { Logger } from 'pino';
import { CLOSE } from '../../../shared/src/codes';
import type * as Y from 'yjs';
import { forgetTrashEntry, getTrashEntry, markPurging, purgedOf, type TrashEntry, type TrashVolume } from '../../../shared/src/documents/trash';
import { getSessionListing, getSkillSource, getWorkflowListing } from '../../../shared/src/documents/volume-index';
import type { NamedOrigin } from '../../../shared/src/origins';
import { parseRoomName, runsRoomOf } from '../../../shared/src/rooms';
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

/** How long a `purging` marker means a purge in progress; an older one is a purge cut short (a crash), which the sweep retries. */
export const STALE_PURGE_MS = 5 * 60 * 1000;

/** Whether an entry holds the marker of a purge cut short at least `STALE_PURGE_MS` before `now`. */
export const isStalePurge = (entry: TrashEntry, now: number): boolean =>
  entry.purging !== undefined && !(Date.parse(entry.purging) > now - STALE_PURGE_MS);

/** The volume an index room holds; only volume indexes have a trash. */
function volumeOfIndex(index: string): TrashVolume {
  const parsed = parseRoomName(index);
  if (!parsed.ok || parsed.value.kind !== 'volume') throw new Error(`"${index}" is not a volume index, so it has no trash.`);
  return { volume: parsed.value.volume, volumeId: parsed.value.volumeId };
}

/** Whether the item an entry names is in its volume again (made anew under the same id): its room and versions are then the new item's. */
function listedAgain(doc: Y.Doc, entry: TrashEntry): boolean {
  switch (entry.kind) {
    case 'workflow':
      return getWorkflowListing(doc, entry.item_id) !== undefined;
    case 'session':
      return getSessionListing(doc, entry.item_id) !== undefined;
    case 'skill':
      return getSkillSource(doc, entry.item_id) !== undefined;
  }
}

/**
 * Purges one entry of a volume's trash for good (`index` is the volume index room). First, in one
 * transaction of the index, the entry is checked again (it must name an item of this volume, see
 * `getTrashEntry`) and marked `purging`, so a restore meanwhile is refused rather than bringing
 * back a listing whose content is going; an item listed again under the same id only has its old
 * entry forgotten, since its room and versions are the new item's now. The rooms it deletes are
 * recorded in the index's `purged` tombstones in that transaction. Then a workflow's or
 * session's room (and a workflow's run history) is unloaded (its clients closed with
 * `roomDeleted`) and deleted from storage and mirrors, the subject's versions are removed, and
 * only then is the entry forgotten, so a purge cut short (a crash, a backend down) leaves the
 * marked entry in the trash, and the next sweep or delete runs it again. A skill's content is in
 * the entry itself. `due` may refuse the entry as the index holds it now (an expiry checks it is
 * still old enough). Resolves with the entry purged (or forgotten), or null when the index has no
 * such entry (or `due` refused it).
 */
export async function purgeTrashEntry(
  deps: PurgeDeps,
  index: string,
  trashId: string,
  origin: NamedOrigin,
  due: (entry: TrashEntry) => boolean = () => true,
): Promise<TrashEntry | null> {
  const where = volumeOfIndex(index);
  const claim = await deps.rooms.use(index, (room) => {
    let claimed: { entry: TrashEntry; forgotten: boolean } | null = null;
    room.doc.transact(() => {
      const entry = getTrashEntry(room.doc, where, trashId);
      if (!entry || !due(entry)) return;
      const forgotten = listedAgain(room.doc, entry);
      const at = new Date().toISOString();
      if (forgotten) forgetTrashEntry(room.doc, trashId);
      else {
        markPurging(room.doc, where, trashId, at);
        // Tombstoned before anything is deleted, so no device can bring a stale copy back meanwhile.
        for (const purged of roomsOf(entry)) purgedOf(room.doc).set(purged, at);
      }
      claimed = { entry, forgotten };
    }, origin);
    return claimed as { entry: TrashEntry; forgotten: boolean } | null;
  });
  if (!claim) return null;
  const { entry } = claim;
  if (claim.forgotten) {
    deps.log.info({ trash: trashId, kind: entry.kind, room: entry.room }, 'trash entry forgotten: its id is listed again, so its room and versions are kept');
    return entry;
  }
  for (const room of roomsOf(entry)) {
    await deps.rooms.purge(room, CLOSE.roomDeleted);
    deps.roomGone?.(room);
  }
  await deps.versions?.forget(entry.room);
  await deps.rooms.use(index, (room) =>
    room.doc.transact(() => {
      // Restored and deleted again meanwhile: that newer entry is not the one purged.
      if (getTrashEntry(room.doc, where, trashId)?.deleted_at === entry.deleted_at) forgetTrashEntry(room.doc, trashId);
    }, origin),
  );
  deps.log.info({ trash: trashId, kind: entry.kind, room: entry.room }, 'purged from the trash for good');
  return entry;
}
