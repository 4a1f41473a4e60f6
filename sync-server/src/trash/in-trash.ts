import { getTrashEntry, trashIdOf } from '../../../shared/src/documents/trash';
import type { HistorySubject } from '../../../shared/src/history/version';
import { volumeRoom } from '../../../shared/src/rooms';
import { HttpError } from '../http/errors';
import type { Rooms } from '../rooms/rooms';

/**
 * A 409 when a workflow, session or skill is in its volume's trash: writing to it there (naming
 * or restoring a version) would change, or for a skill recreate, what its entry is about to
 * bring back or purge. The message says how to bring it back first.
 */
export async function refuseTrashed(rooms: Rooms, subject: HistorySubject): Promise<void> {
  const trashId = trashIdOf(subject.name);
  const where = { volume: subject.volume, volumeId: subject.volumeId };
  const trashed = await rooms.use(volumeRoom(subject.volume, subject.volumeId), (room) => getTrashEntry(room.doc, where, trashId) !== undefined);
  if (trashed) throw new HttpError('conflict', `The ${subject.kind} "${subject.name}" is in the trash; restore it first (POST /api/trash/${trashId}/restore).`);
}
