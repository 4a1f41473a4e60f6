import { ORIGIN } from '../../../shared/src/origins';
import type { Room } from './rooms';

/** What the status badge shows: no server, trying, or everything sent and received. */
export type SyncState = 'offline' | 'connecting' | 'synced';

export interface SyncStatus {
  state: SyncState;
  /** Local changes made since the server last confirmed a full sync of their room. */
  pending: number;
}

interface Tracked {
  room: Room;
  pending: number;
  dispose: () => void;
}

const tracked = new Map<string, Tracked>();
const listeners = new Set<() => void>();
let snapshot: SyncStatus = { state: 'offline', pending: 0 };

function compute(): SyncStatus {
  const rooms = [...tracked.values()];
  const pending = rooms.reduce((n, t) => n + t.pending, 0);
  if (rooms.length === 0) return { state: navigator.onLine ? 'synced' : 'offline', pending };
  if (rooms.every((t) => t.room.provider.synced)) return { state: 'synced', pending };
  if (!navigator.onLine || rooms.every((t) => !t.room.provider.wsconnected && !t.room.provider.wsconnecting)) {
    return { state: 'offline', pending };
  }
  return { state: 'connecting', pending };
}

function changed(): void {
  const next = compute();
  if (next.state === snapshot.state && next.pending === snapshot.pending) return;
  snapshot = next;
  for (const l of listeners) l();
}

/**
 * Counts a room's local changes until the server has them. y-websocket has no acknowledgements:
 * while synced, an update is sent at once, so only changes made while not synced wait; the next
 * completed sync exchange carries them all.
 */
export function trackRoom(room: Room): void {
  const t: Tracked = { room, pending: 0, dispose: () => undefined };
  const onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== ORIGIN.local && origin !== ORIGIN.assistant) return;
    if (room.provider.synced && room.provider.wsconnected) return;
    t.pending++;
    changed();
  };
  const onSync = (synced: boolean) => {
    if (synced) t.pending = 0;
    changed();
  };
  room.doc.on('update', onUpdate);
  room.provider.on('sync', onSync);
  room.provider.on('status', changed);
  t.dispose = () => {
    room.doc.off('update', onUpdate);
    room.provider.off('sync', onSync);
    room.provider.off('status', changed);
  };
  tracked.set(room.name, t);
  changed();
}

/** Stops counting a closed room. */
export function untrackRoom(room: Room): void {
  tracked.get(room.name)?.dispose();
  tracked.delete(room.name);
  changed();
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', changed);
  window.addEventListener('offline', changed);
}

/** The current status. */
export const getSyncStatus = (): SyncStatus => snapshot;

/** Calls `listener` on every status change; returns the unsubscribe. */
export function onSyncStatus(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
