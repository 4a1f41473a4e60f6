import type { Logger } from 'pino';
import { CLOSE, type CloseCode } from '../../../shared/src/codes';
import type { Room, RoomPeer } from '../rooms/room';
import { decodeClientMessage } from '../sync/client-message';
import { ProtocolError } from '../sync/protocol';
import type { WritePolicy } from '../sync/write-policy';

/** The little the sync core needs of a WebSocket, so it runs on any transport (and in tests). */
export interface WebSocketLike {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  cork?(): void;
  uncork?(): void;
  /** Stops reading from the client (its frames wait in the network) until `resume`. */
  pause?(): void;
  resume?(): void;
}

export interface ConnectionLimits {
  /** Frames waiting to be handled (while the room loads, or while the client is slowed) may hold this many bytes. */
  maxHeldBytes: number;
  /** Frames handled per second, after a burst of twice as many. */
  ratePerSecond: number;
}

/**
 * The shortest pause of a client that sends too fast: long enough to refill a few frames' worth
 * of budget, so a steady flood costs a timer every few milliseconds, not one per frame.
 */
const MIN_PAUSE_MS = 10;

/**
 * One client's connection to one room. Frames wait in order, and are handled once they can be:
 * while the room is still loading (so no client is ever answered from a half-loaded room), and
 * while the client sends faster than `ratePerSecond`. A client that is too fast is slowed, not
 * dropped: its socket stops being read until its budget refills. Stock y-websocket clients never
 * reconnect after a close code of 4400–4499, and a script or a large paste easily makes a few
 * thousand small transactions at once.
 */
export class Connection implements RoomPeer {
  private room: Room | null = null;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private closed = false;
  /** Token bucket: a burst of `maxBurst` frames, refilled at `ratePerSecond`. */
  private tokens: number;
  private refilledAt = Date.now();
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private paused = false;

  constructor(
    private readonly ws: WebSocketLike,
    readonly roomName: string,
    readonly writes: WritePolicy,
    readonly who: string,
    private readonly log: Logger,
    private readonly limits: ConnectionLimits,
  ) {
    this.tokens = this.maxBurst;
  }

  /** A client may send this many frames at once (a reconnect's sync plus a flurry of edits). */
  private get maxBurst(): number {
    return this.limits.ratePerSecond * 2;
  }

  /** Takes one frame from the budget; false when the client is sending faster than allowed. */
  private withinRate(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.maxBurst, this.tokens + ((now - this.refilledAt) / 1000) * this.limits.ratePerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  send(message: Uint8Array): void {
    if (!this.closed) this.ws.send(message);
  }

  cork(): void {
    this.ws.cork?.();
  }

  uncork(): void {
    this.ws.uncork?.();
  }

  /** Takes a frame from the client: handled now, or held in order until it can be. */
  receive(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.held.length === 0 && this.room && this.withinRate()) return this.handle(this.room, frame);
    // Held while the room loads, or while the client is over its budget: then its socket is
    // paused, but frames the socket had already read still arrive. Past the bound, the
    // transport is not holding back at all.
    this.heldBytes += frame.length;
    if (this.heldBytes > this.limits.maxHeldBytes) return this.close(CLOSE.messageTooBig);
    this.held.push(frame);
    if (this.room) this.slowDown();
  }

  /** Handles held frames while the budget lasts; pauses the client until it refills when it runs out. */
  private drain(): void {
    this.resumeTimer = null;
    const room = this.room;
    if (!room) return;
    const held = this.held;
    let n = 0;
    while (n < held.length && !this.closed && this.withinRate()) {
      const frame = held[n++] as Uint8Array;
      this.heldBytes -= frame.length;
      this.handle(room, frame);
    }
    if (this.closed) return;
    held.splice(0, n);
    if (held.length > 0) return this.slowDown();
    if (this.paused) this.ws.resume?.();
    this.paused = false;
  }

  private slowDown(): void {
    if (this.resumeTimer || this.closed) return;
    if (!this.paused) this.ws.pause?.();
    this.paused = true;
    const refillMs = ((1 - this.tokens) / this.limits.ratePerSecond) * 1000;
    this.resumeTimer = setTimeout(() => this.drain(), Math.max(MIN_PAUSE_MS, Math.ceil(refillMs)));
  }

  private handle(room: Room, frame: Uint8Array): void {
    try {
      room.receive(this, decodeClientMessage(frame));
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.log.warn({ room: this.roomName, reason: e.message }, 'malformed message; closing connection');
      this.close(CLOSE.malformedMessage);
    }
  }

  /** Joins the loaded room and handles what arrived meanwhile. */
  attach(room: Room): void {
    if (this.closed) return;
    this.room = room;
    try {
      room.addPeer(this);
    } catch (e) {
      // Our bug, not the client's: this one connection fails instead of the whole process (this
      // runs in a promise callback, where a throw would be an unhandled rejection).
      this.log.error({ room: this.roomName, err: e }, 'could not join the room; closing connection');
      return this.close(CLOSE.roomUnavailable);
    }
    this.drain();
  }

  /** Closes the connection from our side with a catalogued code. */
  close(code: CloseCode): void {
    if (this.closed) return;
    this.closedBySocket();
    this.ws.close(code.code, code.reason);
  }

  /** The socket closed (either side); leaves the room. */
  closedBySocket(): void {
    this.closed = true;
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    this.held = [];
    this.room?.removePeer(this);
  }
}
