import type http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { accessTo } from '../../../shared/src/access';
import { CLOSE } from '../../../shared/src/codes';
import { parseRoomName, volumeRoom, type RoomName } from '../../../shared/src/rooms';
import { identityKey, type Identify, type tokenIdentities } from '../access/identity';
import type { Config } from '../config';
import { upgradeRefusal } from '../http/cors';
import type { Rooms } from '../rooms/rooms';
import type { Storage } from '../storage/storage';
import { writePolicyOf, type WritePolicy } from '../sync/write-policy';
import { Connection, type WebSocketLike } from './connection';
import { roomStanding } from './room-standing';
import { sharedStoredReader } from './shared-reads';
import { binaryFrame } from './ws-frame';

const SYNC_PREFIX = '/sync/';
const PING_INTERVAL_MS = 30_000;
/**
 * What a paused socket may still deliver on top of one whole message: the frames it had read
 * before the pause (a read is at most 64 KiB, and `ws` buffers 16 KiB more).
 */
const READ_AHEAD_BYTES = 1024 * 1024;

export interface WebSocketEdgeOptions {
  config: Pick<Config, 'maxMessageBytes' | 'maxMessagesPerSecond' | 'http'>;
  rooms: Rooms;
  /** Where the volume indexes are read from when not loaded (whether a room is trashed or purged). */
  storage: Pick<Storage, 'read'>;
  identify: Identify;
  /** Token checks, when access control is configured. */
  tokens: Pick<ReturnType<typeof tokenIdentities>, 'verify'> | null;
  log: Logger;
  /** True once shutdown has begun: new upgrades are refused. */
  isDraining: () => boolean;
}

/**
 * The WebSocket edge: answers upgrades to `/sync/<room>` (CORS and token checked before the
 * upgrade completes), lets a client into its room with what it may write, keeps the socket
 * alive with pings, and adapts the socket to the `WebSocketLike` the sync core runs on.
 * Returns the open sockets, for shutdown.
 */
export function openWebSocketEdge(
  server: http.Server,
  options: WebSocketEdgeOptions,
): { sockets: Set<WebSocket>; indexChanged: (index: string) => void } {
  const { config, rooms, identify, tokens, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  const sockets = new Set<WebSocket>();
  const frameOf = sharedFrames();
  const indexes = sharedStoredReader(options.storage);
  /** Connections opened read-only because their room was in the trash, by volume index. */
  const trashedByIndex = new Map<string, Set<{ ws: WebSocket; room: RoomName; name: string }>>();

  /**
   * A volume index changed: a connection made read-only because its room was in the trash is
   * closed with `roomRestored` once the room is out of it, so the client reconnects and may
   * write again (the write policy is decided when a connection opens).
   */
  function indexChanged(index: string): void {
    const waiting = trashedByIndex.get(index);
    if (!waiting) return;
    for (const conn of waiting) {
      void roomStanding(rooms, indexes, conn.room, conn.name).then(
        (standing) => {
          if (standing === 'live' && conn.ws.readyState === conn.ws.OPEN) conn.ws.close(CLOSE.roomRestored.code, CLOSE.roomRestored.reason);
        },
        (e: unknown) => log.warn({ room: conn.name, err: e }, 'could not tell whether a trashed room was restored'),
      );
    }
  }

  server.on('upgrade', (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.isDraining() || !url.pathname.startsWith(SYNC_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    // A browser page of another site must not open rooms as whoever visits it (http/cors.ts).
    const refusal = upgradeRefusal(req, config.http.corsOrigins, !tokens);
    if (refusal) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal}\n`);
      return;
    }
    // The token is checked before the upgrade completes: the client sends nothing until then.
    void (tokens ? tokens.verify(req) : Promise.resolve(null)).then((verdict) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        ws.on('close', () => sockets.delete(ws));
        // From the start: a socket being refused still reads frames, and an error (a frame over
        // MAX_MESSAGE_BYTES, say) with no listener would be thrown and stop the process.
        ws.on('error', (e) => log.warn({ path: url.pathname, err: e }, 'socket error'));
        if (verdict && !verdict.ok) {
          return ws.close(CLOSE.unauthorized.code, verdict.error.code === 'expired' ? 'token expired' : CLOSE.unauthorized.reason);
        }
        accept(ws, socket, url, req);
      }),
    );
  });

  function accept(ws: WebSocket, socket: Duplex, url: URL, req: http.IncomingMessage): void {
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice(SYNC_PREFIX.length));
    } catch {
      name = '';
    }
    const parsed = parseRoomName(name);
    if (!parsed.ok) return ws.close(CLOSE.invalidRoom.code, CLOSE.invalidRoom.reason);
    const identity = identify(req);
    const access = accessTo(identity, parsed.value, name);
    if (!access.read) return ws.close(CLOSE.forbidden.code, CLOSE.forbidden.reason);

    // What the client sends while the index says whether the room is in the trash or deleted
    // for good is held (as much as a connection holds while paused), then given to the connection.
    const early: RawData[] = [];
    let earlyBytes = 0;
    const hold = (data: RawData, isBinary: boolean) => {
      if (!isBinary) return ws.close(CLOSE.malformedMessage.code, CLOSE.malformedMessage.reason);
      early.push(data);
      earlyBytes += toBytes(data).byteLength;
      if (earlyBytes > config.maxMessageBytes + READ_AHEAD_BYTES) ws.close(CLOSE.messageTooBig.code, CLOSE.messageTooBig.reason);
    };
    ws.on('message', hold);
    roomStanding(rooms, indexes, parsed.value, name).then(
      (standing) => {
        ws.off('message', hold);
        if (ws.readyState !== ws.OPEN) return;
        // A device that missed the purge forgets its copy on 4410 rather than re-creating the room.
        if (standing === 'purged') return ws.close(CLOSE.roomDeleted.code, CLOSE.roomDeleted.reason);
        // In the trash, nobody edits it (a share link's guest included) until it is restored.
        const policy: WritePolicy = standing === 'trashed' ? { kind: 'none' } : writePolicyOf(access, parsed.value);
        if (standing === 'trashed' && writePolicyOf(access, parsed.value).kind !== 'none') waitForRestore(ws, parsed.value, name);
        open(ws, socket, name, policy, identityKey(identity), early);
      },
      (e: unknown) => {
        log.error({ room: name, err: e }, 'the volume index failed to load');
        ws.close(CLOSE.roomUnavailable.code, CLOSE.roomUnavailable.reason);
      },
    );
  }

  function waitForRestore(ws: WebSocket, room: RoomName, name: string): void {
    const index = volumeRoom(room.volume, room.volumeId);
    let waiting = trashedByIndex.get(index);
    if (!waiting) trashedByIndex.set(index, (waiting = new Set()));
    const conn = { ws, room, name };
    waiting.add(conn);
    ws.on('close', () => {
      waiting.delete(conn);
      if (waiting.size === 0 && trashedByIndex.get(index) === waiting) trashedByIndex.delete(index);
    });
  }

  function open(ws: WebSocket, socket: Duplex, name: string, policy: WritePolicy, who: string, early: RawData[]): void {
    const conn = new Connection(socketLike(ws, socket, frameOf), name, policy, who, log, {
      maxHeldBytes: config.maxMessageBytes + READ_AHEAD_BYTES,
      ratePerSecond: config.maxMessagesPerSecond,
    });
    const stopPings = keepAlive(ws);
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return conn.close(CLOSE.malformedMessage);
      conn.receive(toBytes(data));
    });
    for (const data of early) conn.receive(toBytes(data));
    const acquired = rooms.acquire(name);
    ws.on('close', () => {
      stopPings();
      conn.closedBySocket();
      acquired.then((room) => rooms.release(room), () => undefined);
    });
    acquired.then(
      (room) => conn.attach(room),
      (e: unknown) => {
        log.error({ room: name, err: e }, 'room failed to load');
        conn.close(CLOSE.roomUnavailable);
      },
    );
  }

  return { sockets, indexChanged };
}

/** The sync core's view of an accepted socket. */
function socketLike(ws: WebSocket, socket: Duplex, frameOf: (message: Uint8Array) => Buffer): WebSocketLike {
  return {
    // Written straight to the upgraded socket: ws frames its own messages (pings, close)
    // atomically and, without per-message compression, queues nothing of its own.
    send: (data) => {
      if (ws.readyState === ws.OPEN) socket.write(frameOf(data));
    },
    close: (code, reason) => ws.close(code, reason),
    // Corking lets a burst of broadcasts leave in one write instead of one syscall each.
    cork: () => socket.cork(),
    uncork: () => socket.uncork(),
    // Stops reading the client's socket: what it sends waits in TCP buffers, then in the client.
    pause: () => ws.pause(),
    resume: () => ws.resume(),
  };
}

/** Frames shared by every client a broadcast goes to, framed on first use. */
function sharedFrames(): (message: Uint8Array) => Buffer {
  const frames = new WeakMap<Uint8Array, Buffer>();
  return (message) => {
    let frame = frames.get(message);
    if (!frame) {
      frame = binaryFrame(message);
      frames.set(message, frame);
    }
    return frame;
  };
}

/** Pings the client every PING_INTERVAL_MS and drops a socket that missed a pong; returns the stop. */
function keepAlive(ws: WebSocket): () => void {
  let alive = true;
  const ping = setInterval(() => {
    if (!alive) return ws.terminate();
    alive = false;
    ws.ping();
  }, PING_INTERVAL_MS);
  ws.on('pong', () => (alive = true));
  return () => clearInterval(ping);
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
