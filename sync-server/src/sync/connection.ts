import type { Logger } from 'pino';
import { CLOSE, type CloseCode } from '../../../shared/src/codes';
import type { Room, RoomPeer } from '../rooms/room';
import { ProtocolError } from './protocol';
import type { WritePolicy } from './write-policy';

/** The little the sync core needs of a WebSocket, so it runs on any transport (and in tests). */
export interface WebSocketLike {
  send(data: Uint8Array): void;
  close(code: number, reason: string): void;
  cork?(): void;
  uncork?(): void;
}

/**
 * One client's connection to one room. Frames that arrive while the room is still loading are
 * held (up to `maxEarlyBytes`) and handled in order once it is ready, so no client is ever
 * answered from a half-loaded room.
 */
export class Connection implements RoomPeer {
  private room: Room | null = null;
  private early: Uint8Array[] = [];
  private earlyBytes = 0;
  private closed = false;
  /** Token bucket: a burst of `maxBurst` frames, refilled at `ratePerSecond`. */
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    private readonly ws: WebSocketLike,
    readonly roomName: string,
    readonly writes: WritePolicy,
    readonly who: string,
    private readonly log: Logger,
    private readonly maxEarlyBytes: number,
    private readonly ratePerSecond = Number.POSITIVE_INFINITY,
  ) {
    this.tokens = this.maxBurst;
  }

  /** A client may send this many frames at once (a reconnect's sync plus a flurry of edits). */
  private get maxBurst(): number {
    return this.ratePerSecond * 2;
  }

  /** Takes one frame from the budget; false when the client is sending faster than allowed. */
  private withinRate(): boolean {
    if (!Number.isFinite(this.ratePerSecond)) return true;
    const now = Date.now();
    this.tokens = Math.min(this.maxBurst, this.tokens + ((now - this.refilledAt) / 1000) * this.ratePerSecond);
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

  /** Handles a frame from the client. */
  receive(frame: Uint8Array): void {
    if (this.closed) return;
    if (!this.withinRate()) {
      this.log.warn({ room: this.roomName }, 'client sent messages too fast; closing connection');
      return this.close(CLOSE.rateLimited);
    }
    if (!this.room) {
      this.earlyBytes += frame.length;
      if (this.earlyBytes > this.maxEarlyBytes) return this.close(CLOSE.messageTooBig);
      this.early.push(frame);
      return;
    }
    this.handle(this.room, frame);
  }

  private handle(room: Room, frame: Uint8Array): void {
    try {
      room.receive(this, frame);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.log.warn({ room: this.roomName, reason: e.message }, 'malformed message; closing connection');
      this.close(CLOSE.malformedMessage);
    }
  }

  /** Joins the loaded room and replays what arrived meanwhile. */
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
    const early = this.early;
    this.early = [];
    for (const frame of early) if (!this.closed) this.handle(room, frame);
  }

  /** Closes the connection from our side with a catalogued code. */
  close(code: CloseCode): void {
    if (this.closed) return;
    this.closed = true;
    this.room?.removePeer(this);
    this.ws.close(code.code, code.reason);
  }

  /** The socket closed (either side); leaves the room. */
  closedBySocket(): void {
    this.closed = true;
    this.room?.removePeer(this);
  }
}
