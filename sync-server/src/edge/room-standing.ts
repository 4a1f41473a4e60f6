import { standingOf, type RoomStanding } from '../../../shared/src/documents/trash';
import { volumeRoom, type RoomName } from '../../../shared/src/rooms';
import type { RoomReader } from '../mirrors/stored-rooms';
import type { Rooms } from '../rooms/rooms';

/**
 * Whether a connection to `room` opens normally, read-only (its workflow or session is in the
 * trash), or not at all (deleted for good), as the volume index says now: in memory when it is
 * loaded, else as `stored` reads it (a check on every connection must not keep indexes in memory:
 * the edge passes a reader that shares overlapping reads, edge/shared-reads.ts). Only
 * workflow, session and run history rooms can be trashed; a run history follows its workflow.
 */
export async function roomStanding(rooms: Rooms, stored: RoomReader, room: RoomName, name: string): Promise<RoomStanding> {
  if (room.kind === 'volume') return 'live';
  const kind = room.kind === 'session' ? 'session' : 'workflow';
  const where = { volume: room.volume, volumeId: room.volumeId };
  const index = volumeRoom(room.volume, room.volumeId);
  const standing = (doc: Parameters<typeof standingOf>[0]) => standingOf(doc, where, kind, room.id, name);
  const loaded = rooms.loadedDoc(index);
  return loaded ? standing(loaded) : stored.read(index, standing);
}
