import type { Logger } from 'pino';
import type { CloseCode } from '../../../shared/src/codes';
import type * as Y from 'yjs';
import type { DiskSpace } from '../storage/disk-space';
import type { Storage } from '../storage/storage';
import { Room, type RoomOptions } from './room';

export interface RoomsOptions {
  /** How long an unused room stays in memory before it is compacted and unloaded. */
  idleMs: number;
  compactAfter: number;
  groupCommitMs: number;
  /** Called after a room's changes are durable (mirrors listen here). */
  onDurableChange?: (room: Room) => void;
  /** Called for each change applied to a room (history's authors; see `RoomOptions.onApplied`). */
  onApplied?: RoomOptions['onApplied'];
  /** Awaited before a room is unloaded, while its document is still whole (history's last checkpoint). */
  beforeUnload?: (room: Room) => Promise<void>;
  /**
   * Called when a room leaves memory without unloading: purged for good, or dropped because its
   * storage failed. Nothing is taken of it (history forgets what it had pending).
   */
  onDropped?: (room: Room) => void;
  /**
   * The disk under the storage: told when a write fails because it is full, it refuses clients'
   * changes until space returns, then every loaded room asks the refused clients again.
   */
  diskSpace?: DiskSpace;
}

/** What a client refused while the disk is full is told first (the rest of its refusal says what happens to its changes). */
const DISK_FULL = "the server's disk is full";

/** A room was asked for after `closeAll`: the server is shutting down and loads nothing more. */
export class RoomsClosedError extends Error {
  override name = 'RoomsClosedError';
  constructor(room: string) {
    super(`the server is shutting down and does not load room ${room}; try again once it is back`);
  }
}

interface Entry {
  room: Promise<Room>;
  /** The room, once loaded: a release names the entry it came from, not a later one of the same name. */
  loaded?: Room;
  users: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * The rooms in memory. A room is loaded on first use, shared by every connection and REST
 * call that uses it, and unloaded (flushed and compacted) once unused for `idleMs`.
 */
export class Rooms {
  private readonly entries = new Map<string, Entry>();
  private readonly unloading = new Map<string, Promise<void>>();
  /** Set by `closeAll`: a room loaded after it would never be flushed and compacted. */
  private closed = false;
  /** Rooms being prepared (`prepare`): their uses wait until the preparation is over. */
  private readonly preparing = new Map<string, Promise<void>>();

  constructor(
    private readonly storage: Storage,
    private readonly options: RoomsOptions,
    private readonly log: Logger,
  ) {
    options.diskSpace?.onSpace(() => {
      for (const entry of this.entries.values()) entry.loaded?.resumeWrites();
    });
  }

  /** Loads (or finds) a room and holds it in memory until `release`; a room being prepared is handed out once it is. */
  async acquire(name: string): Promise<Room> {
    await this.preparing.get(name);
    return this.acquireNow(name);
  }

  /**
   * Prepares a room in the background (the system volume, written from skills/ once the server
   * listens): from this call until `work` is over, every use of the room waits, so none sees it
   * before `work` has changed it. `work` uses the room through the `use` it is given. Resolves or
   * rejects as `work` does; either way the room is then handed out as it is.
   */
  prepare<T>(name: string, work: (use: <R>(fn: (room: Room) => R | Promise<R>) => Promise<R>) => Promise<T>): Promise<T> {
    const done = work((fn) => this.useNow(name, fn));
    const over = done.then(
      () => undefined,
      () => undefined,
    );
    this.preparing.set(name, over);
    void over.then(() => {
      if (this.preparing.get(name) === over) this.preparing.delete(name);
    });
    return done;
  }

  private async acquireNow(name: string): Promise<Room> {
    if (this.closed) throw new RoomsClosedError(name);
    // An unload or a purge may start while this waits for another: the room loads after the last.
    while (this.unloading.has(name)) await this.unloading.get(name);
    if (this.closed) throw new RoomsClosedError(name);
    let entry = this.entries.get(name);
    if (!entry) {
      const room = Room.load(name, this.storage, {
        compactAfter: this.options.compactAfter,
        groupCommitMs: this.options.groupCommitMs,
        onDurableChange: this.options.onDurableChange,
        onApplied: this.options.onApplied,
        onFailure: (failed, error) => this.fail(failed, error),
        writesRefused: () => (this.options.diskSpace?.full ? DISK_FULL : null),
        onDiskFull: (error) => this.options.diskSpace?.report(error),
      }, this.log);
      entry = { room, users: 0 };
      this.entries.set(name, entry);
      room.catch(() => {
        if (this.entries.get(name) === entry) this.entries.delete(name);
      });
    }
    entry.users++;
    clearTimeout(entry.idleTimer);
    try {
      return (entry.loaded = await entry.room);
    } catch (e) {
      entry.users--;
      throw e;
    }
  }

  /** Lets go of a room acquired earlier. */
  release(room: Room): void {
    const entry = this.entries.get(room.name);
    if (!entry || entry.loaded !== room) return;
    entry.users--;
    if (entry.users > 0) return;
    entry.idleTimer = setTimeout(() => void this.unload(room.name, entry), this.options.idleMs);
  }

  /** Runs `fn` on a room, then waits until its changes are durable before letting go. */
  async use<T>(name: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    await this.preparing.get(name);
    return this.useNow(name, fn);
  }

  private async useNow<T>(name: string, fn: (room: Room) => T | Promise<T>): Promise<T> {
    const room = await this.acquireNow(name);
    try {
      const result = await fn(room);
      await room.durable();
      return result;
    } finally {
      this.release(room);
    }
  }

  /** The document of a room in memory and in use (not being unloaded nor prepared), to read without loading it; else undefined. */
  loadedDoc(name: string): Y.Doc | undefined {
    return this.unloading.has(name) || this.preparing.has(name) ? undefined : this.entries.get(name)?.loaded?.doc;
  }

  /** The rooms now in memory, by name. */
  get loaded(): string[] {
    return [...this.entries.keys()];
  }

  private async unload(name: string, entry: Entry): Promise<void> {
    if (this.entries.get(name) !== entry || entry.users > 0) return;
    this.entries.delete(name);
    const done = entry.room
      .then(async (room) => {
        await this.beforeUnload(room);
        await room.unload();
      })
      .catch((e: unknown) => this.log.error({ room: name, err: e }, 'unloading room failed'))
      .finally(() => this.settled(name, done));
    this.unloading.set(name, done);
    await done;
  }

  /**
   * Deletes a room for good (a trash purge): if loaded, it is dropped (`onDropped`: history takes
   * no checkpoint of content about to be deleted), its clients are closed with `code`, and it
   * leaves memory without being compacted; then everything stored of it is deleted. Uses of the
   * room that come meanwhile wait, then find it empty.
   */
  purge(name: string, code: CloseCode): Promise<void> {
    // Taken out of use at once (not after an await), so no use can load the room meanwhile.
    const previous = this.unloading.get(name);
    const entry = this.entries.get(name);
    if (entry) {
      this.entries.delete(name);
      clearTimeout(entry.idleTimer);
    }
    const done: Promise<void> = (async () => {
      await previous?.catch(() => undefined);
      const room = entry ? await entry.room.catch(() => null) : null;
      if (room) this.options.onDropped?.(room);
      await room?.discard(code);
      await this.storage.delete(name);
    })().finally(() => this.settled(name, done));
    this.unloading.set(name, done);
    return done;
  }

  /** Runs what comes before a room leaves memory (history's last checkpoint); its failure is logged, not thrown. */
  private async beforeUnload(room: Room): Promise<void> {
    await this.options.beforeUnload?.(room).catch((e: unknown) => this.log.error({ room: room.name, err: e }, 'what runs before a room unloads (its last checkpoint) failed'));
  }

  /** An unload or purge is over: uses of the room stop waiting for it (unless another came after it). */
  private settled(name: string, done: Promise<void>): void {
    if (this.unloading.get(name) === done) this.unloading.delete(name);
  }

  /** Forgets a room whose storage failed; the next use loads it afresh. */
  private fail(room: Room, error: unknown): void {
    this.options.diskSpace?.report(error);
    this.options.onDropped?.(room);
    const entry = this.entries.get(room.name);
    if (!entry) return;
    this.entries.delete(room.name);
    clearTimeout(entry.idleTimer);
  }

  /** Flushes and unloads every room: the last step of a graceful shutdown. */
  async closeAll(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.entries()];
    for (const [, entry] of entries) clearTimeout(entry.idleTimer);
    await Promise.all(
      entries.map(([name, entry]) => {
        entry.users = 0;
        return this.unload(name, entry);
      }),
    );
    await Promise.all(this.unloading.values());
  }
}
