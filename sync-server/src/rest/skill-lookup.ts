import type * as Y from 'yjs';
import type { Identity } from '../../../shared/src/access';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Rooms } from '../rooms/rooms';
import { HttpError } from '../http/errors';
import { canAccess, requireAccess, searchOrder, type VolumeQuery, type VolumeRef } from '../access/volumes';

/**
 * Finds a skill the caller may read: in the named volume, or else in DESIGN §3's order (user,
 * teams, system). `read` returns undefined when its volume has no such skill; a 404 when none has.
 */
export async function findReadableSkill<T>(
  rooms: Rooms,
  identity: Identity,
  id: string,
  q: VolumeQuery,
  read: (doc: Y.Doc, ref: VolumeRef) => T | undefined,
): Promise<T> {
  for (const ref of searchOrder(identity, q, true)) {
    const index = volumeRoom(ref.volume, ref.volumeId);
    if (q.volume) requireAccess(identity, index, 'read');
    else if (!canAccess(identity, index, 'read')) continue;
    const found = await rooms.use(index, (room) => read(room.doc, ref));
    if (found !== undefined) return found;
  }
  throw new HttpError('not_found', `No skill "${id}" in the volumes you can read.`);
}

/** How a stored skill is named in errors. */
export const skillFile = (ref: VolumeRef, id: string): string => `volumes/${ref.volume}/${ref.volumeId}/skills/${id}.md`;
