import { IndexeddbPersistence } from 'y-indexeddb';
import { readAuthMessage } from 'y-protocols/auth';
import { messageAuth, WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { CLOSE } from '../../../shared/src/codes';
import { ORIGIN } from '../../../shared/src/origins';
import { tokenFor, type Identity } from './identity';
import { dismissRefusal, recordRefusal, type Refusals } from './refusals';
import { createStore, type ReadonlyStore } from './store';
import { sameSyncStatus, syncStatusOf, type SyncStatus } from './sync-status';
import { UnsentRooms } from './unsent-rooms';

/**
 * An open document: loaded from IndexedDB first (so it works with no network), then kept in
 * sync with the server through y-websocket whenever the server can be reached.
 */

/** The IndexedDB database holding a room's local copy (y-indexeddb's, one per room). */
export const roomDbName = (room: string): string => `llmunix:${room}`;

export interface Room {
  name: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the local copy (IndexedDB) is loaded. */
  whenLocal: Promise<void>;
  /**
   * Resolves once the document has content to show: the local copy loaded or the server's
   * first sync, whichever comes first. A fresh browser gets the server's copy long before its
   * IndexedDB opens; local changes not yet sent merge in when it does (Yjs updates commute).
   */
  whenShown: Promise<void>;
}

/** How long the lists and the skill library wait for the first screen's room before opening theirs. */
const FIRST_SCREEN_WAIT_MS = 1500;

interface Entry {
  room: Room;
  users: number;
  persistence: IndexeddbPersistence;
  /** Local changes made while the room was not synced: the server has not got them yet. */
  pending: number;
  closeTimer?: ReturnType<typeof setTimeout>;
  stopWatching: () => void;
}

/**
 * Origins of this person's edits made through a binding that tags transactions with an object of
 * its own (the skill editor's y-codemirror.next sync): local edits, like ORIGIN.local.
 */
const editorOrigins = new WeakSet<object>();

/** Counts transactions with this origin as this person's own edits (unsent while offline). */
export function countAsLocalEdits(origin: object): void {
  editorOrigins.add(origin);
}

const isLocalEdit = (origin: unknown): boolean =>
  origin === ORIGIN.local || origin === ORIGIN.assistant || (typeof origin === 'object' && origin !== null && editorOrigins.has(origin));

/** Rooms stay open this long after their last user, so switching views back and forth is instant. */
const LINGER_MS = 10_000;

function syncUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/sync`;
}

/**
 * The rooms this app has open, shared by every view that uses them, with what the status badge
 * shows about them: whether they are synced, how many local changes wait to be sent, and the
 * writes the server refused. The app makes one (app.tsx) and hands it to its views.
 */
export class RoomSet {
  private readonly open = new Map<string, Entry>();
  private readonly unsent = new UnsentRooms();
  private readonly statusStore = createStore<SyncStatus>({ state: 'offline', pending: 0 }, sameSyncStatus);
  private readonly refusalStore = createStore<Refusals>([]);
  private readonly deletedStore = createStore<ReadonlySet<string>>(new Set());
  /** Offline / connecting / synced, and the count of local changes not yet sent. */
  readonly status: ReadonlyStore<SyncStatus> = this.statusStore;
  /** The latest write the server refused in each room, newest first. */
  readonly refusals: ReadonlyStore<Refusals> = this.refusalStore;
  /** The rooms the server said were deleted for good (closed with `roomDeleted`) while open here. */
  readonly deleted: ReadonlyStore<ReadonlySet<string>> = this.deletedStore;

  /**
   * When the browser says it is offline, stop the sockets (an open WebSocket can outlive the
   * network for a long time) and work from IndexedDB; reconnect when it says it is back.
   */
  private readonly onOffline = () => {
    for (const { room } of this.open.values()) room.provider.disconnect();
    this.refreshStatus();
  };
  private readonly onOnline = () => {
    const deleted = this.deletedStore.get();
    for (const { room } of this.open.values()) if (!deleted.has(room.name)) room.provider.connect();
    this.refreshStatus();
  };

  /**
   * Resolves once the first screen's room (`openFirst`) has content to show, or after
   * FIRST_SCREEN_WAIT_MS; at once when there is none.
   */
  firstScreen: Promise<void> = Promise.resolve();

  constructor(private readonly identity: ReadonlyStore<Identity>) {
    window.addEventListener('offline', this.onOffline);
    window.addEventListener('online', this.onOnline);
    this.refreshStatus();
  }

  /** Opens a room (or shares the already open one); call `release` when done. */
  acquire(name: string): Room {
    let entry = this.open.get(name);
    if (!entry) {
      entry = this.openRoom(name);
      this.open.set(name, entry);
      this.refreshStatus();
    }
    entry.users++;
    clearTimeout(entry.closeTimer);
    return entry.room;
  }

  /**
   * Opens the room the first screen shows before any other, so its IndexedDB copy loads first
   * and its WebSocket connects first (Chromium opens one WebSocket to a host at a time); other
   * rooms that can wait (the skill library's volumes) wait on `firstScreen`. It lingers until the
   * view takes it.
   */
  openFirst(name: string): void {
    const room = this.acquire(name);
    this.firstScreen = Promise.race([room.whenShown, new Promise<void>((resolve) => setTimeout(resolve, FIRST_SCREEN_WAIT_MS))]);
    this.release(room);
  }

  /** Lets go of a room; it closes a little later if nobody took it again. */
  release(room: Room): void {
    const entry = this.open.get(room.name);
    if (!entry) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.closeTimer = setTimeout(() => this.closeWhenSent(entry), LINGER_MS);
  }

  /** Runs `fn` on a room's document as one local (undoable) transaction once the local copy is loaded. */
  async edit(name: string, fn: (doc: Y.Doc) => void): Promise<void> {
    const room = this.acquire(name);
    try {
      await room.whenLocal;
      room.doc.transact(() => fn(room.doc), ORIGIN.local);
    } finally {
      this.release(room);
    }
  }

  /** Reopens the rooms whose local changes never reached the server, until they do. */
  resumeUnsent(): void {
    for (const name of this.unsent.names()) this.release(this.acquire(name));
  }

  /**
   * Forgets the local copy of a room deleted for good: closed at once if nobody here uses it (a
   * lingering copy would reconnect and send its content back), and its IndexedDB data cleared.
   */
  async forgetLocal(name: string): Promise<void> {
    const entry = this.open.get(name);
    if (entry && entry.users > 0) return entry.persistence.clearData();
    if (entry) {
      this.unsent.clear(name);
      this.close(entry);
      this.refreshStatus();
    }
    await new IndexeddbPersistence(roomDbName(name), new Y.Doc()).clearData();
  }

  /**
   * Throws away this browser's copy of a room, changes the server refused included, and reloads
   * the app so the room comes back as the server has it. A Yjs document cannot take back changes
   * it has made, so a fresh copy is the way to stop resending what will be refused each time.
   */
  async discardLocalCopy(name: string): Promise<void> {
    const entry = this.open.get(name);
    if (entry) {
      entry.room.provider.disconnect();
      await entry.persistence.clearData();
    } else {
      await new IndexeddbPersistence(roomDbName(name), new Y.Doc()).clearData();
    }
    this.unsent.clear(name);
    location.reload();
  }

  /** Forgets a room's refusal (the person has read it). */
  dismissRefusal(room: string): void {
    dismissRefusal(this.refusalStore, room);
  }

  /** Closes every room at once (the app is going away) and stops listening to the browser. */
  destroy(): void {
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    for (const entry of this.open.values()) this.close(entry);
    this.unsent.destroy();
  }

  private openRoom(name: string): Entry {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(roomDbName(name), doc);
    const token = tokenFor(name, this.identity.get());
    const provider = new WebsocketProvider(syncUrl(), name, doc, {
      params: token ? { token } : {},
      maxBackoffTime: 5000,
      connect: navigator.onLine,
    });
    // y-websocket only logs a refused write; keep the server's reason so the person is told.
    provider.messageHandlers[messageAuth] = (_encoder, decoder) =>
      readAuthMessage(decoder, doc, (_doc, reason) => recordRefusal(this.refusalStore, name, reason));
    // Marks name these moments in a performance trace (npm run bench:web -- --trace).
    performance.mark(`room-open ${name}`);
    const whenLocal = persistence.whenSynced.then(() => void performance.mark(`room-local ${name}`));
    const whenSynced = new Promise<void>((resolve) => {
      const synced = (isSynced: boolean) => {
        if (!isSynced) return;
        provider.off('sync', synced);
        performance.mark(`room-synced ${name}`);
        resolve();
      };
      provider.on('sync', synced);
    });
    const room: Room = { name, doc, provider, whenLocal, whenShown: Promise.race([whenLocal, whenSynced]) };
    // Changes an earlier page made and never sent are still waiting: the badge keeps counting them.
    const entry: Entry = { room, users: 0, persistence, pending: this.unsent.count(name), stopWatching: () => undefined };
    // y-websocket has no acknowledgements: while synced, an update is sent at once, so only
    // changes made while not synced wait; the next completed sync exchange carries them all.
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (!isLocalEdit(origin)) return;
      if (provider.synced && provider.wsconnected) return;
      entry.pending++;
      this.unsent.add(name);
      this.refreshStatus();
    };
    const onSync = (synced: boolean) => {
      if (synced) {
        entry.pending = 0;
        this.unsent.clear(name);
      }
      this.refreshStatus();
    };
    const onStatus = () => this.refreshStatus();
    // Deleted for good on the server (the trash purged it): this copy must never send it back,
    // neither now (y-websocket stops by itself) nor after a reload, so its local data goes too.
    const onClosed = ({ code }: { code: number }) => {
      if (code !== CLOSE.roomDeleted.code) return;
      entry.pending = 0;
      this.unsent.clear(name);
      void persistence.clearData();
      this.deletedStore.set(new Set([...this.deletedStore.get(), name]));
      this.refreshStatus();
    };
    doc.on('update', onUpdate);
    provider.on('sync', onSync);
    provider.on('status', onStatus);
    provider.on('closed', onClosed);
    entry.stopWatching = () => {
      doc.off('update', onUpdate);
      provider.off('sync', onSync);
      provider.off('status', onStatus);
      provider.off('closed', onClosed);
    };
    return entry;
  }

  private closeWhenSent(entry: Entry): void {
    if (entry.users > 0) return;
    if (this.unsent.has(entry.room.name)) {
      // Closing now would strand the edit in IndexedDB: wait until the server has it.
      entry.room.provider.once('sync', () => this.closeWhenSent(entry));
      return;
    }
    this.close(entry);
    this.refreshStatus();
  }

  private close(entry: Entry): void {
    const { room } = entry;
    clearTimeout(entry.closeTimer);
    this.open.delete(room.name);
    entry.stopWatching();
    room.provider.destroy();
    void entry.persistence.destroy();
    room.doc.destroy();
  }

  private refreshStatus(): void {
    // A room deleted for good never syncs again: it says nothing of the connection.
    const deleted = this.deletedStore.get();
    const rooms = [...this.open.values()].filter((e) => !deleted.has(e.room.name)).map((e) => ({ provider: e.room.provider, pending: e.pending }));
    this.statusStore.set(syncStatusOf(rooms, navigator.onLine));
  }
}
