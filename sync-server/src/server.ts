import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { CLOSE } from '../../shared/src/codes';
import { identifyLocal, tokenIdentities, type Identify } from './access/identity';
import { createApp } from './app';
import type { Config } from './config';
import { openWebSocketEdge } from './edge/websocket';
import { Checkpoints } from './history/checkpoints';
import { createLibrary, type ServerLibrary } from './library/library';
import type { HistoryStore } from './history/history-store';
import { openHistory } from './history/open-history';
import { McpSessions } from './mcp/sessions';
import { openMirrors } from './mirrors/mirrors';
import { Rooms } from './rooms/rooms';
import { lockDataDir } from './storage/data-dir-lock';
import { openRunCache } from './runs/run-cache';
import { createRunService } from './runs/run-service';
import { TRACES_DIR } from './runs/run-traces';
import type { RunService } from './runs/types';
import { DiskSpace, isDiskFull } from './storage/disk-space';
import { openStorage } from './storage/open';
import type { Storage } from './storage/storage';
import { readSystemSkills, writeSystemVolume } from './system-volume';
import { startTrashExpiry, type TrashExpiry } from './trash/trash-expiry';

export interface RunningServer {
  url: string;
  port: number;
  rooms: Rooms;
  storage: Storage;
  history: HistoryStore;
  /** The trash expiry: its sweep at start, and a sweep on demand. */
  trashExpiry: TrashExpiry;
  /** The library as other assistants see it (MCP, REST runs), told of every durable room change. */
  library: ServerLibrary;
  /** Runs of skills and workflows on the server (MCP tool calls, REST workflow runs). */
  runs: RunService;
  /** Graceful shutdown: refuses new work, closes clients, flushes and compacts every room. */
  close(): Promise<void>;
}

/** Starts the whole server: storage, system volume, REST, WebSocket sync and the PWA. */
export async function startServer(
  config: Config,
  options: {
    log?: Logger;
    identify?: Identify;
    /** The clock of the trash expiry, for tests. */
    now?: () => number;
    /** false: build everything but listen on no port (`npm run mcp --data` serves over stdio); `url` is then empty. */
    listen?: boolean;
    /** What holds DATA_DIR's lock, as the next process is told. */
    holder?: string;
  } = {},
): Promise<RunningServer> {
  const log = options.log ?? pino({ level: config.logLevel });
  const tokens = config.authSecret ? tokenIdentities(config.authSecret) : null;
  const identify = options.identify ?? tokens?.identify ?? identifyLocal;
  // The room logs under DATA_DIR have one writer (with Redis, the logs are Redis's and instances share DATA_DIR's snapshots).
  const dataDirLock =
    !config.redisUrl && (config.storage === 'file' || config.s3)
      ? await lockDataDir(config.dataDir, options.holder ?? 'the LLMunix server', 'Stop that process first; to use the library of a running server over MCP, run `npm run mcp -- --server URL`.')
      : undefined;
  const { storage, redis, s3Blobs } = await openStorage(config);
  // The rooms report durable changes to the mirrors, which read the documents from storage.
  const mirrors = openMirrors(config, storage, { redis, s3Blobs }, log.child({ component: 'mirrors' }));
  const history = await openHistory(config);
  const diskSpace = new DiskSpace(config.dataDir);
  // The rooms feed the checkpoints (made next: no room changes before then), which read the rooms for named versions.
  // Told when a volume index changes, so connections kept read-only while their room was in the trash reopen once it is restored.
  const edgeOf: { edge?: ReturnType<typeof openWebSocketEdge> } = {};
  const rooms: Rooms = new Rooms(
    storage,
    {
      idleMs: config.roomIdleMs,
      compactAfter: config.compactAfterUpdates,
      groupCommitMs: config.groupCommitMs,
      onDurableChange: (room) => {
        mirrors?.changed(room.name);
        checkpoints.changed(room);
        edgeOf.edge?.indexChanged(room.name);
        library.roomChanged(room.name);
      },
      onApplied: (room, by, transaction) => checkpoints.applied(room, by, transaction),
      beforeUnload: (room) => checkpoints.unloading(room),
      onDropped: (room) => checkpoints.dropped(room),
      diskSpace,
    },
    log,
  );
  const checkpoints: Checkpoints = new Checkpoints(rooms, history, config.history, log.child({ component: 'history' }));
  const library: ServerLibrary = createLibrary(rooms, { log: log.child({ component: 'library' }) });
  // A broken catalogue stops the start. Writing it into its room (loading the room, storing what
  // changed) goes on while the server starts listening, for a restart ready sooner: uses of the
  // volume wait for it (Rooms.prepare).
  writeSystemSkills(rooms, await readSystemSkills(config.skillsDir), diskSpace, log);

  // Runs keep their results in one cache and their traces beside the rooms; with memory storage
  // nothing goes to disk, so traces are not kept.
  const runsLog = log.child({ component: 'runs' });
  const tracesDir = config.storage === 'file' ? path.join(config.dataDir, TRACES_DIR) : undefined;
  const runs = createRunService({
    config: config.runs,
    rooms,
    cache: openRunCache(config, (m) => runsLog.warn(m)),
    tracesDir,
    log: runsLog,
  });

  // A room purged from the trash is no longer listed: its mirror, rebuilt, is deleted; its versions go with it.
  const besideRooms = { versions: checkpoints, roomGone: (room: string) => mirrors?.changed(room) };
  const purge = { ...besideRooms, rooms, log: log.child({ component: 'trash' }) };
  let draining = false;
  const mcp = new McpSessions({ library, runs, log: log.child({ component: 'mcp' }) }, { idleMs: config.mcpSessionIdleMs });
  const app = createApp({ rooms, storage, identify, authenticate: tokens?.middleware, log, webDist: config.webDist, isDraining: () => draining, disk: diskSpace, chat: config.chat, pyodidePackageUrl: config.pyodidePackageUrl, http: config.http, history, checkpoints, trash: { days: config.trashDays, ...besideRooms }, library, runs, runsKeepMs: config.runs.keepMs, tracesDir, mcp });
  const server = http.createServer(app);
  const edge = (edgeOf.edge = openWebSocketEdge(server, { config, rooms, storage, identify, tokens, log, isDraining: () => draining }));

  let port = 0;
  let url = '';
  if (options.listen !== false) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    port = (server.address() as AddressInfo).port;
    url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    log.info({ url, port, storage: storage.kind, dataDir: config.storage === 'file' ? config.dataDir : undefined }, 'listening');
  }
  const trashExpiry = startTrashExpiry(storage, purge, { days: config.trashDays, now: options.now });
  // In the background, after listening: rooms stored before the mirrors, or left behind by a failed write.
  mirrors?.startCatchUp();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      draining = true;
      log.info('shutting down: closing connections and flushing rooms');
      const httpClosed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
      for (const ws of edge.sockets) ws.close(CLOSE.goingAway.code, CLOSE.goingAway.reason);
      server.closeIdleConnections();
      await trashExpiry.stop();
      // MCP sessions end first (their calls cancelled, their streams closed); then the runs end
      // (cancelled) before the rooms close: their records are written into rooms.
      await mcp.closeAll();
      await runs.close();
      diskSpace.close();
      // Rooms flush and compact once; the mirrors then write what is stored, read from storage
      // (which is why it closes last), including what closing the rooms made durable.
      await rooms.closeAll();
      // Unloading took each room's last checkpoint; they are stored before the history closes.
      await checkpoints.close();
      await history.close();
      await mirrors?.close();
      await storage.close();
      await dataDirLock?.release();
      for (const ws of edge.sockets) ws.terminate();
      server.closeAllConnections();
      await httpClosed;
      log.info('shutdown complete');
    })());

  return { url, port, rooms, storage, history, trashExpiry, library, runs, close };
}

/**
 * Writes the system skills into their volume, in the background. On a full disk the server goes
 * on all the same, serving what is stored (a process that exited here would be restarted into the
 * same full disk, again and again, serving nobody): the skills are written once space returns.
 */
function writeSystemSkills(rooms: Rooms, skills: Map<string, string>, diskSpace: DiskSpace, log: Logger): void {
  writeSystemVolume(rooms, skills).then(
    (count) => log.info({ skills: count }, 'system volume loaded'),
    (e: unknown) => {
      if (!isDiskFull(e)) {
        log.error({ err: e }, 'writing the system volume failed: it is served as stored until the next start');
        return;
      }
      diskSpace.report(e);
      log.error({ err: e }, 'the disk is full: the system skills are not updated yet; they will be once space is freed under DATA_DIR');
      const stop = diskSpace.onSpace(() => {
        stop();
        writeSystemSkills(rooms, skills, diskSpace, log);
      });
    },
  );
}
