import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { currentIdentity, type Identity } from './identity';
import type { Refusals } from './refusals';
import type { Room, RoomSet } from './rooms';
import { useStore } from './store';
import type { SyncStatus } from './sync-status';

/** The app's open rooms (app.tsx makes the set and provides it to every view). */
export const RoomsContext = createContext<RoomSet | null>(null);

/** The app's room set. */
export function useRooms(): RoomSet {
  const rooms = useContext(RoomsContext);
  if (!rooms) throw new Error('useRooms: no RoomsContext.Provider above this component; App provides one.');
  return rooms;
}

/** Opens a room for the lifetime of a component; null until its local copy is loaded. */
export function useRoom(name: string | null): Room | null {
  const rooms = useRooms();
  const [ready, setReady] = useState<Room | null>(null);
  useEffect(() => {
    if (!name) return;
    const room = rooms.acquire(name);
    let live = true;
    void room.whenLocal.then(() => live && setReady(room));
    return () => {
      live = false;
      setReady(null);
      rooms.release(room);
    };
  }, [rooms, name]);
  return ready;
}

/** Re-reads `read(doc)` whenever the document changes (any transaction, local or remote). */
export function useDocValue<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, fallback: T): T {
  const [value, setValue] = useState<T>(() => (doc ? read(doc) : fallback));
  useEffect(() => {
    if (!doc) {
      setValue(fallback);
      return;
    }
    const refresh = () => setValue(read(doc));
    refresh();
    doc.on('afterTransaction', refresh);
    return () => doc.off('afterTransaction', refresh);
    // `read` is expected to be stable per call site; the document is what changes.
  }, [doc]);
  return value;
}

/** Whether the server said this room was deleted for good while it was open here. */
export const useRoomDeleted = (name: string): boolean => useStore(useRooms().deleted, (deleted) => deleted.has(name));

/** The sync status badge's data. */
export const useSyncStatus = (): SyncStatus => useStore(useRooms().status);

/** The writes the server refused, newest first, following new ones and dismissals. */
export const useRefusals = (): Refusals => useStore(useRooms().refusals);

/** The current identity. */
export const useIdentity = (): Identity => useStore(currentIdentity);
