import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CLOSE, type CloseCode } from '../../../shared/src/codes';
import { ORIGIN } from '../../../shared/src/origins';
import { isDiskFull } from '../storage/disk-space';
import type { Replication, Storage } from '../storage/storage';
import { encodeAwarenessEntries, readAwarenessUpdate } from '../sync/awareness-update';
import type { ClientMessage } from '../sync/client-message';
import { encodeAwareness, encodePermissionDenied, encodeSyncStep1, encodeSyncStep2, encodeUpdate, ProtocolError } from '../sync/protocol';
import { refusalOf, type WritePolicy } from '../sync/write-policy';
import { AwarenessBatch } from './awareness-batch';
import { AwarenessOwners } from './awareness-owners';
import { RefusedWriters } from './refused-writers';

/** What a room needs of a connected client. */
export interface RoomPeer {
  send(message: Uint8Array): void;
  /** Closes the peer's connection with a catalogued code. */
  close(code: CloseCode): void;
  /** What this peer may change; updates beyond it are refused and never applied. */
  readonly writes: WritePolicy;
  /** Who the peer is (its identity), so a reconnect may take over its own awareness ids. */
  readonly who: string;
  /** Optional batching of many sends into one socket write. */
  cork?(): void;
  uncork?(): void;
}

export interface RoomOptions {
  /** Compact the log into a snapshot once this many updates were logged since the last one. */
  compactAfter: number;
  /**
   * How long the first update of a batch waits for others before the batch is written. 0 (the
   * default): not at all, an idle log writes at once and updates gather only while a write is in
   * flight, so batches are as large as the load makes them and no larger. A durable write costs
   * about the same for one update or fifty, as does each client's socket write for a batch of
   * broadcasts; a window divides both further at the cost of that much latency.
   */
  groupCommitMs: number;
  /** Called when storage fails (with its error): the room can no longer promise durability and is dropped. */
  onFailure: (room: Room, error: unknown) => void;
  /**
   * Why changes are refused before they are applied just now (the disk is full), or null. A
   * refused client is told, keeps its changes, and is asked for them again (`resumeWrites`).
   */
  writesRefused?: () => string | null;
  /** A snapshot did not fit on the disk (the log holds everything, so the room goes on). */
  onDiskFull?: (error: unknown) => void;
  /** Called after changes to the document are durable (from this instance or another): mirrors rebuild from here. */
  onDurableChange?: (room: Room) => void;
  /**
   * Called for each change applied here (never for what is replayed at load, nor for what another
   * instance logged and relays: that instance reports it), with the identity (`RoomPeer.who`) of
   * the peer that sent it, or null for a change made in this process (REST, the assistant):
   * history names authors from here.
   */
  onApplied?: (room: Room, by: string | null, transaction: Y.Transaction) => void;
}

/** The owner, in a room's awareness, of the ids of clients connected to other instances. */
const OTHER_INSTANCE: RoomPeer = { who: '\0another instance', writes: { kind: 'none' }, send: () => undefined, close: () => undefined };

/**
 * The origin of a transaction that applies other instances' entries while changes of our own
 * clients wait in the document for what they build on (Yjs keeps them pending): they may
 * integrate in it, so its update is logged here as our own before it goes out (DUR-1).
 */
const REDIS_WITH_PENDING = Symbol('redis entries with pending local changes');

/** How long awareness changes gather before they go out together (see awareness-batch.ts). */
const AWARENESS_BATCH_MS = 30;

/**
 * After a failed compaction (S3 away, say), the room waits this long before compacting again,
 * doubling up to the maximum: the log holds every update meanwhile, so nothing waits on it.
 */
const COMPACT_RETRY_MS = 1000;
const COMPACT_RETRY_MAX_MS = 60_000;

/** Awareness ids one connection may speak for; a stock client uses one. */
const MAX_AWARENESS_IDS_PER_PEER = 4;

interface Outgoing {
  seq: number;
  deliver: () => void;
}

/**
 * One live document and its clients.
 *
 * The durability invariant lives here: every change to the document, whoever made it, is
 * appended to the room's log, and nothing derived from a change (a broadcast, a sync reply)
 * leaves the server before the log write holding it has resolved. Writes are group-committed:
 * while one append is in flight, later updates gather into the next.
 */
/** A room was deleted for good (a trash purge) while something still held it; REST answers 410. */
export class RoomDeletedError extends Error {
  override name = 'RoomDeletedError';
  constructor(readonly room: string) {
    super(`"${room}" was deleted for good while this request ran; nothing of it is kept.`);
  }
}

/**
 * A room's changes could not be stored (its storage failed, say Redis or S3 is down): what this
 * call changed is not durable and is not acknowledged; the room is dropped and loads afresh.
 */
export class RoomStorageError extends Error {
  override name = 'RoomStorageError';
  constructor(
    readonly room: string,
    cause: unknown,
  ) {
    super(`the changes to "${room}" could not be stored (${(cause as Error)?.message ?? String(cause)}), so they are not acknowledged: send them again once the server's storage is back (see /readyz)`, { cause });
  }
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  private readonly peers = new Set<RoomPeer>();
  private readonly awarenessOwners = new AwarenessOwners<RoomPeer>(MAX_AWARENESS_IDS_PER_PEER);
  private readonly awarenessToPeers = new AwarenessBatch(AWARENESS_BATCH_MS, (ids) => this.sendToAll(encodeAwareness(this.awareness, ids)));
  /** Changes made here, for the other instances (they relay their own). */
  private readonly awarenessToReplicas = new AwarenessBatch(AWARENESS_BATCH_MS, (ids) =>
    this.replication?.publishAwareness(this.name, awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)),
  );
  private pending: Uint8Array[] = [];
  private outbox: Outgoing[] = [];
  private appliedSeq = 0;
  private durableSeq = 0;
  private flushing: Promise<void> | null = null;
  /** Callers of `durable`, woken when nothing is left to write, with the failure when the write failed. */
  private idleWaiters: Array<(failure: RoomStorageError | null) => void> = [];
  private failure: RoomStorageError | null = null;
  private loggedSinceSnapshot: number;
  private failed = false;
  /** Clients whose changes were refused while writes were (`writesRefused`): asked again once they may be. */
  private readonly refusedWriters = new RefusedWriters<RoomPeer>();
  /** Failed compactions in a row, and when the next may be tried. */
  private compactFailures = 0;
  private compactAgainAt = 0;
  /** Set once the room is deleted for good: a client that joins late is closed with it. */
  private deletedWith: CloseCode | null = null;
  /** The other server instances serving this room, when there are any. */
  private replication: Replication | null = null;
  /** Stops following the shared log and the awareness relay. */
  private stopReplication: Array<() => void> = [];

  private constructor(
    readonly name: string,
    private readonly storage: Storage,
    private readonly options: RoomOptions,
    private readonly log: Logger,
    storedUpdates: number,
  ) {
    this.loggedSinceSnapshot = storedUpdates;
    // The server has no awareness state of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', (changes: AwarenessChanges, origin: unknown) => this.onAwareness(changes, origin));
  }

  /** Loads a room from storage; it is ready only once every stored update is applied. */
  static async load(name: string, storage: Storage, options: RoomOptions, log: Logger): Promise<Room> {
    const stored = await storage.load(name);
    const room = new Room(name, storage, options, log, stored.updates.length);
    const doc = room.doc;
    doc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot, ORIGIN.restore);
      for (const update of stored.updates) Y.applyUpdate(doc, update, ORIGIN.restore);
    }, ORIGIN.restore);
    // Listened to only now, so the replayed state is never logged again; and with a listener
    // attached, Yjs would encode what the restore applied as one more update (as costly as a
    // snapshot of the room).
    doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => room.onDocUpdate(update, origin, transaction));
    if (storage.replication) room.replicate(storage.replication);
    return room;
  }

  /**
   * Joins the other server instances serving this room: updates they log are applied here (and
   * sent to this instance's clients, already durable), and awareness crosses both ways.
   */
  private replicate(replication: Replication): void {
    this.replication = replication;
    this.stopReplication.push(
      replication.follow(this.name, (entries) => {
        const foreign = entries.filter((e) => !e.own);
        if (foreign.length === 0) return;
        const pending = this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
        const origin = pending ? REDIS_WITH_PENDING : ORIGIN.redis;
        try {
          this.doc.transact(() => {
            for (const e of foreign) Y.applyUpdate(this.doc, e.update, origin);
          }, origin);
        } catch (error) {
          this.log.error({ room: this.name, err: error }, 'an update from another instance did not apply');
        }
      }),
      replication.onAwareness(this.name, (update) => this.receiveRemoteAwareness(update)),
    );
  }


  /** Adds a connected client: it gets our state vector and everyone's awareness. */
  addPeer(peer: RoomPeer): void {
    if (this.deletedWith) return peer.close(this.deletedWith);
    this.peers.add(peer);
    peer.send(encodeSyncStep1(this.doc));
    const states = [...this.awareness.getStates().keys()];
    if (states.length > 0) peer.send(encodeAwareness(this.awareness, states));
  }

  /** Removes a client and the awareness states it controlled. */
  removePeer(peer: RoomPeer): void {
    if (!this.peers.delete(peer)) return;
    this.refusedWriters.forget(peer);
    const ids = this.awarenessOwners.release(peer);
    // Their clocks stay, so a late echo of an old state cannot bring a departed cursor back.
    awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
  }

  /**
   * Handles one decoded message from a client. Throws ProtocolError when it cannot be applied
   * (a well-formed update Yjs still refuses), so its connection is closed as for a bad frame.
   */
  receive(peer: RoomPeer, message: ClientMessage): void {
    if (this.failed) return;
    try {
      switch (message.type) {
        case 'sync-step-1': {
          const reply = encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector));
          // The reply may carry changes still on their way to the log: hold it until they are there.
          this.afterDurable(() => peer.send(reply));
          break;
        }
        case 'sync-step-2':
        case 'update':
          this.receiveUpdate(peer, message.update);
          break;
        case 'awareness': {
          const entries = this.awarenessOwners.admit(peer, message.entries, (id) => this.awareness.meta.get(id)?.clock);
          // A stock client's frame holds only its own state: it goes in as it came.
          const admitted = entries.length === message.entries.length ? message.update : encodeAwarenessEntries(entries);
          if (entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted, peer);
          break;
        }
        case 'query-awareness':
          peer.send(encodeAwareness(this.awareness, [...this.awareness.getStates().keys()]));
          break;
      }
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw new ProtocolError((e as Error).message || String(e));
    }
  }

  private receiveUpdate(peer: RoomPeer, update: Uint8Array): void {
    // decodeClientMessage has read the update whole, so a corrupt one never gets this far.
    const refusal = refusalOf(peer.writes, this.doc, update);
    if (refusal) {
      // A reconnecting reader echoes back what it was sent; only news is worth a complaint.
      if (!Y.snapshotContainsUpdate(Y.snapshot(this.doc), update)) {
        peer.send(encodePermissionDenied(`${refusal}: your changes to "${this.name}" were not saved`));
      }
      return;
    }
    if (this.refusedWriters.refuses(this.options.writesRefused?.() ?? null, this.name, this.doc, peer, update)) return;
    Y.applyUpdate(this.doc, update, peer);
  }

  /**
   * Writes may be made again: each client refused meanwhile is sent the document's state vector,
   * which a y-websocket client answers with every change the server lacks (its refused ones).
   */
  resumeWrites(): void {
    if (!this.failed) this.refusedWriters.askAgain(this.doc);
  }

  private onDocUpdate(update: Uint8Array, origin: unknown, transaction: Y.Transaction): void {
    if (origin === ORIGIN.redis) {
      // Another instance logged it before relaying it: it is durable, so it goes out at once.
      this.sendToAll(encodeUpdate(update));
      this.options.onDurableChange?.(this);
      return;
    }
    // Mostly another instance's change (which reports it); the waiting change's author is not known here any more.
    if (origin !== REDIS_WITH_PENDING) this.options.onApplied?.(this, this.peers.has(origin as RoomPeer) ? (origin as RoomPeer).who : null, transaction);
    const seq = ++this.appliedSeq;
    this.pending.push(update);
    const message = encodeUpdate(update);
    // To every client, the one that sent it too: a stock client (y-websocket's syncStatus) takes
    // the echo of its own change as the server's word that it has it, and here that means stored.
    this.outbox.push({ seq, deliver: () => this.sendToAll(message) });
    this.flushing ??= this.flush();
  }

  /** Awareness relayed by another instance: its clients' ids are theirs alone here too. */
  private receiveRemoteAwareness(update: Uint8Array): void {
    let entries;
    try {
      entries = readAwarenessUpdate(update);
    } catch (e) {
      this.log.warn({ room: this.name, err: e }, 'unreadable awareness update from another instance; ignored');
      return;
    }
    this.awarenessOwners.adopt(OTHER_INSTANCE, entries.filter((e) => e.state !== 'null').map((e) => e.clientId));
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, ORIGIN.redis);
  }

  private onAwareness({ added, updated, removed }: AwarenessChanges, origin: unknown): void {
    // Gone, whether its instance said so or it timed out (an instance that died says nothing).
    this.awarenessOwners.forget(OTHER_INSTANCE, removed);
    const changed = [...added, ...updated, ...removed];
    this.awarenessToPeers.add(changed);
    if (this.replication && origin !== ORIGIN.redis) this.awarenessToReplicas.add(changed);
  }

  private sendToAll(message: Uint8Array): void {
    for (const peer of this.peers) peer.send(message);
  }

  /** Runs `deliver` once every change applied so far is durable. */
  private afterDurable(deliver: () => void): void {
    if (this.durableSeq === this.appliedSeq) deliver();
    else this.outbox.push({ seq: this.appliedSeq, deliver });
  }

  private async flush(): Promise<void> {
    const wait = this.options.groupCommitMs;
    // An idle log writes at once: only what this turn of the event loop brings (the other frames
    // read with this one) joins the first batch, so a lone edit never waits for company. Under
    // load batches grow by themselves: what arrives while a write is in flight joins the next
    // (the loop below). A commit window (GROUP_COMMIT_MS) trades latency for fewer writes.
    await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
    try {
      while (this.pending.length > 0 && !this.failed) {
        const batch = this.pending;
        const upTo = this.appliedSeq;
        this.pending = [];
        await this.storage.append(this.name, batch);
        this.loggedSinceSnapshot += batch.length;
        // The snapshot holds everything applied, including what is still pending.
        const snapshotSeq = this.appliedSeq;
        if (this.loggedSinceSnapshot >= this.options.compactAfter && Date.now() >= this.compactAgainAt && (await this.compact())) {
          this.loggedSinceSnapshot = this.pending.length;
          this.release(snapshotSeq);
        } else {
          this.release(upTo);
        }
      }
    } catch (error) {
      this.failed = true;
      this.failure = new RoomStorageError(this.name, error);
      this.log.error({ room: this.name, err: error }, 'storage write failed; closing room');
      // A dropped room follows no more: its document is not the room's any longer (the next use
      // loads afresh), and entries read for it must not move the position a new load follows from.
      for (const stop of this.stopReplication.splice(0)) stop();
      // Clients keep their changes and send them again once they reconnect to a healthy room.
      // The document holds changes the disk does not: it is dropped, and loads again from disk.
      const code = isDiskFull(error) ? CLOSE.storageFull : CLOSE.roomUnavailable;
      for (const peer of [...this.peers]) peer.close(code);
      this.options.onFailure(this, error);
    } finally {
      this.flushing = null;
      if (this.pending.length > 0 && !this.failed) this.flushing = this.flush();
      else for (const wake of this.idleWaiters.splice(0)) wake(this.failure);
    }
  }

  /**
   * Compacts the room; false when storage refused (S3 away, a full disk). The batch is already in
   * the log, so it stays durable and acknowledged either way: a failed compaction is retried later
   * (backing off) rather than closing the room, and its clients keep writing.
   */
  private async compact(): Promise<boolean> {
    try {
      await this.storage.compact(this.name, Y.encodeStateAsUpdate(this.doc));
      this.compactFailures = 0;
      this.compactAgainAt = 0;
      return true;
    } catch (error) {
      const wait = Math.min(COMPACT_RETRY_MS * 2 ** this.compactFailures++, COMPACT_RETRY_MAX_MS);
      this.compactAgainAt = Date.now() + wait;
      this.log.warn({ room: this.name, err: error, retryInMs: wait }, 'compaction failed; the log keeps every update and the room compacts again later');
      if (isDiskFull(error)) this.options.onDiskFull?.(error);
      return false;
    }
  }

  private release(seq: number): void {
    if (seq > this.durableSeq) this.options.onDurableChange?.(this);
    this.durableSeq = Math.max(this.durableSeq, seq);
    let n = 0;
    while (n < this.outbox.length && (this.outbox[n] as Outgoing).seq <= this.durableSeq) n++;
    if (n === 0) return;
    const ready = this.outbox.splice(0, n);
    if (ready.length === 1) {
      (ready[0] as Outgoing).deliver();
      return;
    }
    // Several messages per client: corked, each client's share leaves in one socket write.
    for (const p of this.peers) p.cork?.();
    for (const out of ready) out.deliver();
    for (const p of this.peers) p.uncork?.();
  }

  /** Resolves once every change applied so far is in storage. */
  durable(): Promise<void> {
    if (this.deletedWith) return Promise.reject(new RoomDeletedError(this.name));
    if (this.failed) return Promise.reject(this.failure ?? new Error(`room ${this.name} failed`));
    if (this.pending.length === 0 && !this.flushing) return Promise.resolve();
    // A write that fails after this call rejects it: what the caller changed was not stored.
    return new Promise((resolve, reject) => this.idleWaiters.push((failure) => (failure ? reject(failure) : resolve())));
  }

  /**
   * Drops the room because its storage is being deleted for good (a trash purge): its clients
   * are closed with `code`, what is already being written is let finish (so no append lands
   * after the delete), and nothing more is written or compacted.
   */
  async discard(code: CloseCode): Promise<void> {
    this.deletedWith = code;
    for (const peer of [...this.peers]) peer.close(code);
    for (const stop of this.stopReplication.splice(0)) stop();
    await this.durable().catch(() => undefined);
    this.failed = true;
    await this.storage.release(this.name);
    this.awarenessToPeers.cancel();
    this.awarenessToReplicas.cancel();
    this.awareness.destroy();
    this.doc.destroy();
  }

  /** Flushes, compacts when the log has grown, and frees the document. */
  async unload(): Promise<void> {
    // Departures gathered in the last batch still reach the other instances (no ghost cursors).
    this.awarenessToReplicas.flush();
    for (const stop of this.stopReplication.splice(0)) stop();
    await this.durable().catch(() => undefined);
    try {
      // A failed compaction leaves the log whole: the room still unloads (the next load reads the log).
      if (!this.failed && this.loggedSinceSnapshot > 0) await this.compact();
    } finally {
      await this.storage.release(this.name);
      this.awarenessToPeers.cancel();
      this.awarenessToReplicas.cancel();
      this.awareness.destroy();
      this.doc.destroy();
    }
  }
}

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] };
