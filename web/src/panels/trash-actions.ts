import { restoreFromTrash, type TrashEntry } from '../../../shared/src/documents/trash';
import { err, ok, type Result } from '../../../shared/src/result';
import { volumeRoom } from '../../../shared/src/rooms';
import type { VolumeRef } from '../documents/identity';
import { forgetDeleted } from './forget-deleted';
import type { RoomSet } from '../documents/rooms';
import { forgetVersionCopies } from '../history/version-cache';
import { writeRoom } from './room-access';

// Restoring is an edit of the volume index like deleting, so it works offline and undoes nothing
// of what collaborators did meanwhile; only deleting for good needs the server, which removes the
// room's storage and its versions as well.

/**
 * Brings an entry back from its volume's trash into its list, in one local transaction on the
 * index; an error says why when it cannot come back (its id was taken again meanwhile).
 */
export async function restoreTrashed(rooms: RoomSet, volume: VolumeRef, trashId: string): Promise<Result<TrashEntry, string>> {
  let outcome: Result<TrashEntry, string> = err('The index could not be opened.');
  await writeRoom(rooms, volumeRoom(volume.volume, volume.volumeId), (doc) => {
    const restored = restoreFromTrash(doc, trashId);
    outcome = restored.ok ? restored : err(restored.error.message);
  });
  return outcome;
}

/** What the server says when it refuses (sync-server/src/http/errors.ts). */
interface ErrorBody {
  error?: { message?: string };
}

/**
 * Deletes a trash entry for good through the server (`DELETE /api/trash/:id`), with the person's
 * own token; then forgets this browser's copy of its room, which would otherwise send it back,
 * and what it keeps beside it (a workflow's run history, the copies of its versions).
 */
export async function deleteForever(rooms: RoomSet, entry: TrashEntry, token: string | undefined): Promise<Result<void, string>> {
  const response = await fetch(`/api/trash/${encodeURIComponent(entry.id)}`, {
    method: 'DELETE',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  }).catch(() => null);
  if (!response) return err('The server cannot be reached: deleting for good needs it. Try again when you are back online.');
  if (response.status === 401) return err('Deleting for good needs you to be signed in (restoring does not): sign in, then try again.');
  if (!response.ok && response.status !== 404) {
    const body = (await response.json().catch(() => null)) as ErrorBody | null;
    return err(body?.error?.message ?? `The server answered ${response.status}.`);
  }
  // 404: it was deleted for good already (by someone else, or by expiry); the copy here goes too.
  // A skill lives in its volume's index, which stays; its version copies go either way.
  if (entry.kind !== 'skill') await forgetDeleted(rooms, entry.room);
  else await forgetVersionCopies(entry.room);
  return ok(undefined);
}
