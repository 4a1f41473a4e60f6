import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { getIdentity, onIdentity, type Identity } from './identity';
import { acquireRoom, releaseRoom, type Room } from './rooms';
import { getSyncStatus, onSyncStatus, type SyncStatus } from './sync-status';

/** Opens a room for the lifetime of a component; null until its local copy is loaded. */
export function useRoom(name: string | null): Room | null {
  const [ready, setReady] = useState<Room | null>(null);
  useEffect(() => {
    if (!name) return;
    const room = acquireRoom(name);
    let live = true;
    void room.whenLocal.then(() => live && setReady(room));
    return () => {
      live = false;
      setReady(null);
      releaseRoom(room);
    };
  }, [name]);
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

/** The sync status badge's data. */
export function useSyncStatus(): SyncStatus {
  const [status, setStatus] = useState(getSyncStatus);
  useEffect(() => onSyncStatus(() => setStatus(getSyncStatus())), []);
  return status;
}

/** The current identity. */
export function useIdentity(): Identity {
  const [identity, setIdentityState] = useState(getIdentity);
  useEffect(() => onIdentity(() => setIdentityState(getIdentity())), []);
  return identity;
}
