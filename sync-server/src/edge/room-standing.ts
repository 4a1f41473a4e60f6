import { standingOf, type RoomStanding } from '../../../shared/src/documents/trash';
import { volumeRoom, type RoomName } from '../../../shared/src/rooms';
import { storedRoomReader } from '../mirrors/stored-rooms';
import type { Rooms } from '../rooms/rooms';
import type { Storage } from '../storage/storage';

/**
 * Whether a connection to `room` opens normally, read-only (its workflow or session is in the
 * trash), or not at all (deleted for good), as the volume index says now: in memory when it is
 * loaded, else as stored (a check on every connection must not keep indexes in memory). Only
 * workflow, session and run history rooms can be trashed; a run history follows its workflow.
 */
export async function roomStanding(rooms: Rooms, storage: Pick<Storage, 'read'>, room: RoomName, name: string): Promise<RoomStanding> {
  if (room.kind === 'volume') return 'live';
  const kind = room.kind === 'session' ? 'session' : 'workflow';
  const where = { volume: room.volume, volumeId: room.volumeId };
  const index = volumeRoom(room.volume, room.volumeId);
  const standing = (doc: Parameters<typeof standingOf>[0]) => standingOf(doc, where, kind, room.id, name);
  const loaded = rooms.loadedDoc(index);
  return loaded ? standing(loaded) : storedRoomReader(storage).read(index, standing);
}
