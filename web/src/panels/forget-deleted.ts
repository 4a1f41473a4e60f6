import { runsRoomOf } from '../../../shared/src/rooms';
import { forgetVersionCopies } from '../history/version-cache';
import { forgetRunsRoom } from '../run/run-history';
import type { RoomSet } from '../documents/rooms';

/**
 * What this browser keeps beside a room deleted for good: a workflow's run history (whose pins
 * keep run outputs in the cache) and the copies of the subject's versions. Forgotten with it,
 * or they would linger unreachable, holding storage.
 */
export async function forgetBesideDeleted(rooms: RoomSet, subject: string): Promise<void> {
  const runs = runsRoomOf(subject);
  if (runs) {
    forgetRunsRoom(runs);
    await rooms.forgetLocal(runs);
  }
  await forgetVersionCopies(subject);
}

/** A room deleted for good and its copy here, with what is kept beside it. */
export async function forgetDeleted(rooms: RoomSet, subject: string): Promise<void> {
  await rooms.forgetLocal(subject);
  await forgetBesideDeleted(rooms, subject);
}

/**
 * Rooms the server closes as deleted for good (its own copy is cleared by RoomSet): what is
 * kept beside them goes too. Returns the unsubscribe.
 */
export function forgetBesideClosedAsDeleted(rooms: RoomSet): () => void {
  const done = new Set<string>();
  return rooms.deleted.subscribe(() => {
    for (const name of rooms.deleted.get()) {
      if (done.has(name)) continue;
      done.add(name);
      void forgetBesideDeleted(rooms, name);
    }
  });
}
