import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { accessTo } from '../../shared/src/access';
import { writePolicyOf } from './sync/write-policy';
import { CLOSE } from '../../shared/src/codes';
import { parseRoomName } from '../../shared/src/rooms';
import { identifyLocal, identityKey, tokenIdentities, type Identify } from './access/identity';
import { createApp } from './app';
import type { Config } from './config';
import { upgradeRefusal } from './http/cors';
import { openMirrors } from './mirrors/mirrors';
import { Rooms } from './rooms/rooms';
import { openStorage } from './storage/open';
import type { Storage } from './storage/storage';
import { Connection } from './sync/connection';
import { binaryFrame } from './sync/ws-frame';
import { loadSystemVolume } from './system-volume';

export interface RunningServer {
  url: string;
  port: number;
  rooms: Rooms;
  storage: Storage;
  /** Graceful shutdown: refuses new work, closes clients, flushes and compacts every room. */
  close(): Promise<void>;
}

const SYNC_PREFIX = '/sync/';
const PING_INTERVAL_MS = 30_000;

/** Starts the whole server: storage, system volume, REST, WebSocket sync and the PWA. */
export async function startServer(config: Config, options: { log?: Logger; identify?: Identify } = {}): Promise<RunningServer> {
  const log = options.log ?? pino({ level: config.logLevel });
  const tokens = config.authSecret ? tokenIdentities(config.authSecret) : null;
  const identify = options.identify ?? tokens?.identify ?? identifyLocal;
  const { storage, redis, s3Blobs } = await openStorage(config);
  // The rooms report durable changes to the mirrors, which read the documents through the rooms.
  const mirrors = openMirrors(config, () => rooms, { redis, s3Blobs }, log.child({ component: 'mirrors' }));
  const rooms = new Rooms(
    storage,
    {
      idleMs: config.roomIdleMs,
      compactAfter: config.compactAfterUpdates,
      groupCommitMs: config.groupCommitMs,
      onDurableChange: (room) => mirrors?.changed(room.name),
    },
    log,
  );
  const skills = await loadSystemVolume(rooms, config.skillsDir);
  log.info({ skills }, 'system volume loaded');

  let draining = false;
  const app = createApp({ rooms, storage, identify, authenticate: tokens?.middleware, log, webDist: config.webDist, isDraining: () => draining, chat: config.chat, pyodidePackageUrl: config.pyodidePackageUrl, http: config.http });
  const server = http.createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket: Duplex, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (draining || !url.pathname.startsWith(SYNC_PREFIX)) {
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

  /** Frames shared by every client a broadcast goes to, framed on first use. */
  const frames = new WeakMap<Uint8Array, Buffer>();
  const frameOf = (message: Uint8Array): Buffer => {
    let frame = frames.get(message);
    if (!frame) {
      frame = binaryFrame(message);
      frames.set(message, frame);
    }
    return frame;
  };

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

    const conn = new Connection(
      {
        // Written straight to the upgraded socket: ws frames its own messages (pings, close)
        // atomically and, without per-message compression, queues nothing of its own.
        send: (data) => {
          if (ws.readyState === ws.OPEN) socket.write(frameOf(data));
        },
        close: (code, reason) => ws.close(code, reason),
        // Corking lets a burst of broadcasts leave in one write instead of one syscall each.
        cork: () => socket.cork(),
        uncork: () => socket.uncork(),
      },
      name,
      writePolicyOf(access, parsed.value),
      identityKey(identity),
      log,
      config.maxMessageBytes,
      config.maxMessagesPerSecond,
    );
    let alive = true;
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, PING_INTERVAL_MS);
    ws.on('pong', () => (alive = true));
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) return conn.close(CLOSE.malformedMessage);
      conn.receive(toBytes(data));
    });
    const acquired = rooms.acquire(name);
    ws.on('close', () => {
      clearInterval(ping);
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  log.info({ url, port, storage: storage.kind, dataDir: config.storage === 'file' ? config.dataDir : undefined }, 'listening');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      draining = true;
      log.info('shutting down: closing connections and flushing rooms');
      const httpClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const ws of sockets) ws.close(CLOSE.goingAway.code, CLOSE.goingAway.reason);
      server.closeIdleConnections();
      // Mirrors settle while the rooms are still in memory, then catch what closing made durable
      // (reloading those rooms, which are then closed again), before their backends close.
      await mirrors?.flush();
      await rooms.closeAll();
      if (mirrors) {
        await mirrors.close();
        await rooms.closeAll();
      }
      await storage.close();
      for (const ws of sockets) ws.terminate();
      server.closeAllConnections();
      await httpClosed;
      log.info('shutdown complete');
    })());

  return { url, port, rooms, storage, close };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}
