import { writeSessionMeta, type SessionStatus } from '../../../shared/src/documents/session';
import { trashIdOf, trashSession } from '../../../shared/src/documents/trash';
import { putSessionListing } from '../../../shared/src/documents/volume-index';
import { nowIso } from '../../../shared/src/json';
import { sessionRoom, volumeRoom } from '../../../shared/src/rooms';
import type { VolumeRef } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { writeRoom } from './room-access';

// A session's meta lives in its own room and is mirrored by its listing in the volume index; both
// are written together, the room first, as the REST API does.

const indexOf = (home: VolumeRef) => volumeRoom(home.volume, home.volumeId);
const roomOf = (home: VolumeRef, id: string) => sessionRoom(home.volume, home.volumeId, id);

/** Creates an empty, active session; returns its id. */
export async function createSession(rooms: RoomSet, home: VolumeRef, name: string): Promise<string> {
  const id = crypto.randomUUID();
  const now = nowIso();
  const listing = { name: name.trim() || 'Untitled session', status: 'active' as const, created_at: now, updated_at: now };
  await writeRoom(rooms, roomOf(home, id), (doc) =>
    writeSessionMeta(doc, { id, volume: home.volume, volume_id: home.volumeId, metadata: {}, ...listing }),
  );
  await writeRoom(rooms, indexOf(home), (doc) => putSessionListing(doc, id, listing));
  return id;
}

/** Renames a session or changes its status, in its room and its listing. */
export async function updateSession(rooms: RoomSet, home: VolumeRef, id: string, change: { name?: string; status?: SessionStatus }): Promise<void> {
  const name = change.name?.trim();
  if (change.name !== undefined && !name) return;
  const fields = { name, status: change.status, updated_at: nowIso() };
  await writeRoom(rooms, roomOf(home, id), (doc) => writeSessionMeta(doc, fields));
  await writeRoom(rooms, indexOf(home), (doc) => putSessionListing(doc, id, fields));
}

/**
 * Moves a session to its volume's trash, `by` naming who deleted it: one transaction on the index,
 * as for workflows; its room (meta and messages) is kept for a restore. Resolves with the trash
 * entry's id.
 */
export async function deleteSession(rooms: RoomSet, home: VolumeRef, id: string, by: string): Promise<string> {
  await writeRoom(rooms, indexOf(home), (doc) => trashSession(doc, home, id, { by, at: nowIso() }));
  return trashIdOf(roomOf(home, id));
}
