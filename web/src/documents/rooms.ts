import { IndexeddbPersistence } from 'y-indexeddb';
import { readAuthMessage } from 'y-protocols/auth';
import { messageAuth, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ORIGIN } from '../../../shared/src/origins';
import { tokenFor } from './identity';
import { recordRefusal } from './refusals';
import { trackRoom, untrackRoom } from './sync-status';

/**
 * An open document: loaded from IndexedDB first (so it works with no network), then kept in
 * sync with the server through y-websocket whenever the server can be reached.
 */
export interface Room {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the local copy (IndexedDB) is loaded. */
  whenLocal: Promise<void>;
}

interface Entry {
  room: Room;
  users: number;
  persistence: IndexeddbPersistence;
  closeTimer?: ReturnType<typeof setTimeout>;
}

const open = new Map<string, Entry>();
/** Rooms stay open this long after their last user, so switching views back and forth is instant. */
const LINGER_MS = 10_000;

/**
 * Rooms with local changes the server has not confirmed (by a completed sync), remembered
 * across reloads: such a room stays open until it syncs, and is reopened when the app starts,
 * so an edit made offline reaches the server even if nobody opens that room again.
 */
const UNSENT_KEY = 'llmunix.unsent';
const readUnsent = (): Set<string> => {
  try {
    return new Set(JSON.parse(localStorage.getItem(UNSENT_KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
};
/**
 * Kept in memory, because offline every local update asks; read again when another tab changes
 * it, and merged with what is stored on every change, so tabs do not write over each other.
 */
let unsentRooms: Set<string> | null = null;
const unsent = (): Set<string> => (unsentRooms ??= readUnsent());
function markUnsent(name: string, isUnsent: boolean): void {
  if (unsent().has(name) === isUnsent) return;
  const set = readUnsent();
  if (isUnsent) set.add(name);
  else set.delete(name);
  localStorage.setItem(UNSENT_KEY, JSON.stringify([...set]));
  unsentRooms = set;
}
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === UNSENT_KEY) unsentRooms = null;
  });
}

function syncUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/sync`;
}

/** Opens a room (or shares the already open one); call `releaseRoom` when done. */
export function acquireRoom(name: string): Room {
  let entry = open.get(name);
  if (!entry) {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(`llmunix:${name}`, doc);
    const token = tokenFor(name);
    const provider = new WebsocketProvider(syncUrl(), name, doc, {
      params: token ? { token } : {},
      maxBackoffTime: 5000,
      connect: navigator.onLine,
    });
    // y-websocket only logs a refused write; keep the server's reason so the person is told.
    provider.messageHandlers[messageAuth] = (_encoder, decoder) => readAuthMessage(decoder, doc, (_doc, reason) => recordRefusal(name, reason));
    const room: Room = { name, doc, provider, whenLocal: persistence.whenSynced.then(() => undefined) };
    doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if ((origin === ORIGIN.local || origin === ORIGIN.assistant) && !(provider.synced && provider.wsconnected)) markUnsent(name, true);
    });
    provider.on('sync', (synced: boolean) => synced && markUnsent(name, false));
    entry = { room, users: 0, persistence };
    open.set(name, entry);
    trackRoom(room);
  }
  entry.users++;
  clearTimeout(entry.closeTimer);
  return entry.room;
}

/** Lets go of a room; it closes a little later if nobody took it again. */
export function releaseRoom(room: Room): void {
  const entry = open.get(room.name);
  if (!entry) return;
  entry.users--;
  if (entry.users > 0) return;
  entry.closeTimer = setTimeout(() => closeWhenSent(entry), LINGER_MS);
}

function closeWhenSent(entry: Entry): void {
  const { room } = entry;
  if (entry.users > 0) return;
  if (unsent().has(room.name)) {
    // Closing now would strand the edit in IndexedDB: wait until the server has it.
    room.provider.once('sync', () => closeWhenSent(entry));
    return;
  }
  open.delete(room.name);
  untrackRoom(room);
  room.provider.destroy();
  void entry.persistence.destroy();
  room.doc.destroy();
}

/** Reopens the rooms whose local changes never reached the server, until they do. */
export function resumeUnsentRooms(): void {
  for (const name of [...unsent()]) releaseRoom(acquireRoom(name));
}

/** Runs `fn` on a room's document as one local (undoable) transaction once the local copy is loaded. */
export async function editRoom(name: string, fn: (doc: Y.Doc) => void): Promise<void> {
  const room = acquireRoom(name);
  try {
    await room.whenLocal;
    room.doc.transact(() => fn(room.doc), ORIGIN.local);
  } finally {
    releaseRoom(room);
  }
}

/**
 * When the browser says it is offline, stop the sockets (an open WebSocket can outlive the
 * network for a long time) and work from IndexedDB; reconnect when it says it is back.
 */
if (typeof window !== 'undefined') {
  window.addEventListener('offline', () => {
    for (const { room } of open.values()) room.provider.disconnect();
  });
  window.addEventListener('online', () => {
    for (const { room } of open.values()) room.provider.connect();
  });
}

/** Forgets a deleted room's local copy. */
export async function clearLocalRoom(name: string): Promise<void> {
  const entry = open.get(name);
  if (entry) await entry.persistence.clearData();
}

/**
 * Throws away this browser's copy of a room, changes the server refused included, and reloads
 * the app so the room comes back as the server has it. A Yjs document cannot take back changes
 * it has made, so a fresh copy is the way to stop resending what will be refused each time.
 */
export async function discardLocalCopy(name: string): Promise<void> {
  const entry = open.get(name);
  if (entry) {
    entry.room.provider.disconnect();
    await entry.persistence.clearData();
  } else {
    await new IndexeddbPersistence(`llmunix:${name}`, new Y.Doc()).clearData();
  }
  markUnsent(name, false);
  location.reload();
}
