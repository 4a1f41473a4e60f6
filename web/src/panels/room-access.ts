import type * as Y from 'yjs';
import type { Room, RoomSet } from '../documents/rooms';

/** How long a read waits for the server's copy of a room this browser has not seen yet. */
const SYNC_WAIT_MS = 3000;

/** Resolves once the server's copy has arrived, the connection attempt failed, or after `timeoutMs`. */
function whenSynced(room: Room, timeoutMs: number): Promise<void> {
  const { provider } = room;
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      provider.off('sync', onSync);
      provider.off('connection-close', done);
      provider.off('connection-error', done);
      resolve();
    };
    const onSync = (synced: boolean) => synced && done();
    const timer = setTimeout(done, timeoutMs);
    provider.on('sync', onSync);
    provider.on('connection-close', done);
    provider.on('connection-error', done);
  });
}

/** Resolves when the room has completed a sync with the server, however long that takes. */
function whenServerHasIt(room: Room): Promise<void> {
  const { provider } = room;
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSync = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
}

/**
 * Reads a room that may not be open: its local copy, and the server's too when the server can be
 * reached (a workflow made on another device may have nothing here yet). Offline, the local copy.
 */
export async function readRoom<T>(rooms: RoomSet, name: string, read: (doc: Y.Doc) => T): Promise<T> {
  const room = rooms.acquire(name);
  try {
    await room.whenLocal;
    if (rooms.status.get().state !== 'offline') await whenSynced(room, SYNC_WAIT_MS);
    return read(room.doc);
  } finally {
    rooms.release(room);
  }
}

/**
 * Writes to a room (one local transaction, through `RoomSet.edit`) and keeps the room open until the
 * server has the change: a room closed while offline would keep its edit in IndexedDB only,
 * until someone opened it again.
 */
export async function writeRoom(rooms: RoomSet, name: string, write: (doc: Y.Doc) => void): Promise<void> {
  const room = rooms.acquire(name);
  try {
    await rooms.edit(name, write);
  } catch (e) {
    rooms.release(room);
    throw e;
  }
  void whenServerHasIt(room).finally(() => rooms.release(room));
}
