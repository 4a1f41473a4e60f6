import { createContext } from 'preact';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
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

/**
 * Opens a room for the lifetime of a component; null until its local copy is loaded, or with
 * `until: 'shown'` until the local copy or the server's first sync brings it (a view that only
 * shows the document and needs no local-only state first: the canvas).
 */
export function useRoom(name: string | null, until: 'local' | 'shown' = 'local'): Room | null {
  const rooms = useRooms();
  const [ready, setReady] = useState<Room | null>(null);
  useEffect(() => {
    if (!name) return;
    const room = rooms.acquire(name);
    let live = true;
    void (until === 'shown' ? room.whenShown : room.whenLocal).then(() => live && setReady(room));
    return () => {
      live = false;
      setReady(null);
      rooms.release(room);
    };
  }, [rooms, name, until]);
  return ready;
}

/** Transactions seen per document, so a value read during a render knows if it is still current. */
const transactions = new WeakMap<Y.Doc, number>();
function transactionsOf(doc: Y.Doc): number {
  let n = transactions.get(doc);
  if (n === undefined) {
    transactions.set(doc, (n = 0));
    doc.on('afterTransaction', () => transactions.set(doc, (transactions.get(doc) ?? 0) + 1));
  }
  return n;
}

/**
 * Re-reads `read(doc)` whenever the document changes (any transaction, local or remote). A new
 * document is read in the render that first gets it: reading it in an effect instead drew the
 * view empty first and its content a frame (or a long task) later.
 */
export function useDocValue<T>(doc: Y.Doc | null | undefined, read: (doc: Y.Doc) => T, fallback: T): T {
  const cache = useRef<{ doc: Y.Doc | null | undefined; seen: number; value: T } | null>(null);
  const [, rerender] = useState(0);
  const current = cache.current !== null && cache.current.doc === doc ? cache.current : { doc, seen: doc ? transactionsOf(doc) : 0, value: doc ? read(doc) : fallback };
  cache.current = current;
  useEffect(() => {
    if (!doc) return;
    const refresh = () => {
      cache.current = { doc, seen: transactionsOf(doc), value: read(doc) };
      rerender((n) => n + 1);
    };
    // A transaction between the render and this effect: read again.
    if (cache.current?.seen !== transactionsOf(doc)) refresh();
    doc.on('afterTransaction', refresh);
    return () => doc.off('afterTransaction', refresh);
    // `read` is expected to be stable per call site; the document is what changes.
  }, [doc]);
  return current.value;
}

/** Whether the server said this room was deleted for good while it was open here. */
export const useRoomDeleted = (name: string): boolean => useStore(useRooms().deleted, (deleted) => deleted.has(name));

/** The sync status badge's data. */
export const useSyncStatus = (): SyncStatus => useStore(useRooms().status);

/** The writes the server refused, newest first, following new ones and dismissals. */
export const useRefusals = (): Refusals => useStore(useRooms().refusals);

/** The current identity. */
export const useIdentity = (): Identity => useStore(currentIdentity);
