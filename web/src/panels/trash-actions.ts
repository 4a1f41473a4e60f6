import { restoreFromTrash, type TrashEntry } from '../../../shared/src/documents/trash';
import { err, ok, type Result } from '../../../shared/src/result';
import { volumeRoom } from '../../../shared/src/rooms';
import type { VolumeRef } from '../documents/identity';
import { forgetDeleted } from './forget-deleted';
import { apiFetch } from '../documents/api-fetch';
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
    const restored = restoreFromTrash(doc, volume, trashId);
    outcome = restored.ok ? restored : err(restored.error.message);
  });
  return outcome;
}

/**
 * Deletes a trash entry for good through the server (`DELETE /api/trash/:id`), with the person's
 * own token; then forgets this browser's copy of its room, which would otherwise send it back,
 * and what it keeps beside it (a workflow's run history, the copies of its versions).
 */
export async function deleteForever(rooms: RoomSet, entry: TrashEntry, token: string | undefined): Promise<Result<void, string>> {
  const answer = await apiFetch(`/api/trash/${encodeURIComponent(entry.id)}`, token, { method: 'DELETE' });
  if (!answer.ok && answer.error.status === null) return err('The server cannot be reached: deleting for good needs it. Try again when you are back online.');
  if (!answer.ok && answer.error.status === 401) return err('Deleting for good needs you to be signed in (restoring does not): sign in, then try again.');
  if (!answer.ok && answer.error.status !== 404) return err(answer.error.said ?? `The server answered ${answer.error.status}.`);
  // 404: it was deleted for good already (by someone else, or by expiry); the copy here goes too.
  // A skill lives in its volume's index, which stays; its version copies go either way.
  if (entry.kind !== 'skill') await forgetDeleted(rooms, entry.room);
  else await forgetVersionCopies(entry.room);
  return ok(undefined);
}
