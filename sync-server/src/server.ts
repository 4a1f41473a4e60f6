import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import { CLOSE } from '../../shared/src/codes';
import { identifyLocal, tokenIdentities, type Identify } from './access/identity';
import { createApp } from './app';
import type { Config } from './config';
import { openWebSocketEdge } from './edge/websocket';
import type { BlobStore } from './mirrors/blob-store';
import { openMirrors } from './mirrors/mirrors';
import { readSplit, type ReadStored } from './mirrors/stored-rooms';
import { Rooms } from './rooms/rooms';
import { FileStorage } from './storage/file';
import { FileRoomLog } from './storage/file-log';
import { FileSnapshotStore } from './storage/file-snapshots';
import { RedisRoomLog } from './storage/redis-log';
import { S3SnapshotStore } from './storage/s3-snapshots';
import { SplitStorage } from './storage/split';
import { MemoryStorage } from './storage/memory';
import type { Storage } from './storage/storage';
import { loadSystemVolume } from './system-volume';

export interface RunningServer {
  url: string;
  port: number;
  rooms: Rooms;
  storage: Storage;
  /** Graceful shutdown: refuses new work, closes clients, flushes and compacts every room. */
  close(): Promise<void>;
}

/**
 * The storage the configuration asks for: with REDIS_URL, room logs in Redis streams (shared by
 * every instance) and snapshots in S3 (S3_BUCKET) or under DATA_DIR; otherwise the embedded file
 * storage, or memory. The Redis connection, the bucket and a read of what is stored of a room
 * (`readStored`, which never joins the room) are handed on to the mirrors.
 */
async function openStorage(config: Config): Promise<{ storage: Storage; readStored: ReadStored; redis?: Redis; s3Blobs?: BlobStore }> {
  if (config.redisUrl) {
    const log = RedisRoomLog.connect(config.redisUrl, { instanceId: randomUUID() });
    const snapshots = config.s3 ? new S3SnapshotStore(config.s3) : await FileSnapshotStore.open(config.dataDir);
    return { storage: new SplitStorage(log, snapshots), readStored: readSplit(log, snapshots), redis: log.redis, s3Blobs: snapshots instanceof S3SnapshotStore ? snapshots.blobs : undefined };
  }
  if (config.s3) {
    // One instance with snapshots in S3: the log stays on this machine's disk.
    const log = await FileRoomLog.open(config.dataDir);
    const snapshots = new S3SnapshotStore(config.s3);
    return { storage: new SplitStorage(log, snapshots), readStored: readSplit(log, snapshots), s3Blobs: snapshots.blobs };
  }
  const storage = config.storage === 'memory' ? new MemoryStorage() : await FileStorage.open(config.dataDir);
  // Their loads keep nothing for the room (no follow position, no open file): a read is just a read.
  return { storage, readStored: (room) => storage.load(room) };
}

/** Starts the whole server: storage, system volume, REST, WebSocket sync and the PWA. */
export async function startServer(config: Config, options: { log?: Logger; identify?: Identify } = {}): Promise<RunningServer> {
  const log = options.log ?? pino({ level: config.logLevel });
  const tokens = config.authSecret ? tokenIdentities(config.authSecret) : null;
  const identify = options.identify ?? tokens?.identify ?? identifyLocal;
  const { storage, readStored, redis, s3Blobs } = await openStorage(config);
  // The rooms report durable changes to the mirrors, which read the documents from storage.
  const mirrors = openMirrors(config, readStored, { redis, s3Blobs }, log.child({ component: 'mirrors' }));
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
  const { sockets } = openWebSocketEdge(server, { config, rooms, identify, tokens, log, isDraining: () => draining });

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
      // Rooms flush and compact once; the mirrors then write what is stored, read from storage
      // (which is why it closes last), including what closing the rooms made durable.
      await rooms.closeAll();
      await mirrors?.close();
      await storage.close();
      for (const ws of sockets) ws.terminate();
      server.closeAllConnections();
      await httpClosed;
      log.info('shutdown complete');
    })());

  return { url, port, rooms, storage, close };
}
