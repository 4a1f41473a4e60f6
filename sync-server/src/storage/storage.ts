import { isValidId, parseRoomName } from '../../../shared/src/rooms';

/**
 * Where rooms live between process lifetimes: an append-only update log per room plus a
 * compacted snapshot. Every backend (memory, file, a Redis or file log with S3 or file snapshots)
 * implements this interface and passes the one contract suite in `sync-server/test/storage-contract.ts`.
 */

/** What a room was when last stored: a snapshot (or none) and the updates logged after it. */
export interface StoredRoom {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
}

export interface StorageHealth {
  ok: boolean;
  detail?: string;
  /** Each backend's own health, when the storage is made of several (Redis and S3, say). */
  backends?: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * How several server instances share a room (DESIGN §6): each follows the room's log for the
 * updates the others append, and relays awareness. Only backends with a shared log have it.
 */
export interface Replication {
  /** This process's id, written beside each update it appends. */
  readonly instanceId: string;
  /**
   * Calls `onEntries` with every log entry appended after the room was loaded, in order, own
   * ones marked, until the returned function is called.
   */
  follow(room: string, onEntries: (entries: Array<{ update: Uint8Array; own: boolean }>) => void): () => void;
  /** Sends an awareness update to the room's clients on other instances. */
  publishAwareness(room: string, update: Uint8Array): void;
  /** Calls `onUpdate` with awareness updates from other instances until the returned function is called. */
  onAwareness(room: string, onUpdate: (update: Uint8Array) => void): () => void;
}

export interface Storage {
  /** Present when several server instances can serve one room through this storage. */
  readonly replication?: Replication;
  /** The backend's name, as shown by /readyz. */
  readonly kind: string;
  /** Reads a room to serve it (the room is then loaded here); a room never written loads as empty. */
  load(room: string): Promise<StoredRoom>;
  /**
   * Reads what is stored of a room without loading it: it moves no follow position and keeps
   * nothing open, so a reader beside the room (the mirrors) may call it while the room is
   * loaded, or long after it was unloaded.
   */
  read(room: string): Promise<StoredRoom>;
  /**
   * Appends updates to a room's log, in order. Resolves only once they are durable: a crash
   * after this resolves must not lose them. Calls for one room are never concurrent.
   */
  append(room: string, updates: Uint8Array[]): Promise<void>;
  /**
   * Replaces the room's snapshot with one that holds every update appended so far, and drops
   * those updates from the log. A crash midway leaves the old snapshot and log, or the new
   * snapshot and (harmlessly, since Yjs updates are idempotent) some already-merged updates.
   */
  compact(room: string, snapshot: Uint8Array): Promise<void>;
  /** Lists every room that has stored data. */
  list(): Promise<string[]>;
  /** Frees what the backend holds for a room no longer in memory (open files, say). */
  release(room: string): Promise<void>;
  /**
   * Deletes everything stored of a room, for good (a trash purge): afterwards it loads as never
   * written and `list` no longer names it. The room must not be loaded. Deleting a room with
   * nothing stored is fine, so a purge cut short by a crash is simply run again; until then, the
   * room may load as part of what it was.
   */
  delete(room: string): Promise<void>;
  health(): Promise<StorageHealth>;
  /** Flushes and closes; the storage is unusable afterwards. */
  close(): Promise<void>;
}

/** Thrown by a backend that cannot do what was asked; the room that called it fails safe. */
export class StorageError extends Error {
  constructor(
    message: string,
    readonly room?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * A room name or id that does not parse reached a backend: a caller forgot to validate it. It is
 * refused before it can name a file, a key or an object, whatever the backend would make of it.
 */
export class InvalidNameError extends StorageError {
  constructor(message: string, room?: string) {
    super(`${message} Validate names with parseRoomName or isValidId (shared/src/rooms.ts) before they reach storage.`, room);
    this.name = 'InvalidNameError';
  }
}

/** The room name, when it parses; an `InvalidNameError` otherwise. Backends call it before building a path or key. */
export function checkedRoom(room: string): string {
  if (typeof room !== 'string') throw new InvalidNameError(`A room name must be a string, not ${typeof room}.`);
  const parsed = parseRoomName(room);
  if (!parsed.ok) throw new InvalidNameError(parsed.error.message, room.slice(0, 200));
  return room;
}

/** The id (session, workflow, skill or volume id), when it is one; an `InvalidNameError` otherwise. */
export function checkedId(id: string, what: string): string {
  if (typeof id !== 'string' || !isValidId(id)) {
    throw new InvalidNameError(`Invalid ${what} ${JSON.stringify(String(id).slice(0, 200))}: ids are 1–128 letters, digits, "-" or "_".`);
  }
  return id;
}

/** `volume/volumeId`, when the two name a volume; an `InvalidNameError` otherwise. */
export function checkedVolume(volume: string, volumeId: string): string {
  const name = `${volume}/${volumeId}`;
  const parsed = parseRoomName(name);
  // "user" with "a/session/b" parses, as a session room: a volume must parse as a volume.
  if (!parsed.ok || parsed.value.kind !== 'volume') {
    throw new InvalidNameError(`Invalid volume ${JSON.stringify(name.slice(0, 200))}: volumes are "user/{id}", "team/{id}" or "system/system".`);
  }
  return name;
}
