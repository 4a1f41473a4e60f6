import fs from 'node:fs';
import path from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Identify } from './access/identity';
import { chatRouter } from './chat/routes';
import type { ChatConfig, HttpConfig } from './config';
import { corsFor } from './http/cors';
import { refuseWritesWhileDiskFull } from './http/disk-full';
import { loopbackHostsOnly } from './http/local-host';
import { restRateLimit } from './http/rate-limits';
import { securityHeaders, workerScriptPolicies } from './http/security-headers';
import { staticFiles } from './http/static-files';
import { errorHandler, HttpError } from './http/errors';
import type { Checkpoints } from './history/checkpoints';
import { restAuthor } from './history/authors';
import type { HistoryStore } from './history/history-store';
import { mcpRouter } from './mcp/http';
import type { McpSessions } from './mcp/sessions';
import { sessionsRouter } from './rest/sessions';
import { skillsRouter } from './rest/skills';
import { trashRouter } from './rest/trash';
import { versionsRouter } from './rest/versions';
import { runTracesRouter } from './rest/run-traces';
import { runsRouter, workflowRunsRouter } from './rest/workflow-runs';
import type { Library } from './library/types';
import type { RunService } from './runs/types';
import type { Rooms } from './rooms/rooms';
import type { DiskSpace } from './storage/disk-space';
import type { Storage, StorageHealth } from './storage/storage';
import type { PurgeDeps } from './trash/purge';

export interface AppDeps {
  rooms: Rooms;
  storage: Storage;
  identify: Identify;
  log: Logger;
  /** The built PWA, served when it exists. */
  webDist?: string;
  /** Set once shutdown starts, so /readyz tells load balancers to stop sending traffic. */
  isDraining?: () => boolean;
  /** The disk under DATA_DIR: /readyz says when it is full (writes refused until space returns). */
  disk?: Pick<DiskSpace, 'health' | 'full'>;
  chat: ChatConfig;
  pyodidePackageUrl?: string;
  /** Verifies the token of every API request (401 without a valid one); absent in local mode. */
  authenticate?: RequestHandler;
  /** CORS origins and the REST rate limit. */
  http: HttpConfig;
  /** Versions beside the rooms, and what takes them. */
  history: HistoryStore;
  checkpoints: Checkpoints;
  /** `TRASH_DAYS`, and what deleting from the trash for good touches beside the rooms (versions, mirrors). */
  trash: { days: number } & Omit<PurgeDeps, 'rooms' | 'log'>;
  /** The library as other assistants see it, and the runs of its workflows (`/api/workflows/:id/run`, `/api/runs`). */
  library: Library;
  runs: RunService;
  /** How long finished runs are kept (RUNS_KEEP_MS), for the 404 of one gone. */
  runsKeepMs: number;
  /** Where the server's runs keep their traces (`DATA_DIR/traces`), served by `/api/traces`; absent: none kept. */
  tracesDir?: string;
  /** The MCP sessions of /mcp (the library as tools, calls through `runs`). */
  mcp: McpSessions;
}

/** The HTTP side of the server, apart from `listen()` so handlers can be tested in-process. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const { http } = deps;
  app.disable('x-powered-by');
  app.use(securityHeaders(deps.pyodidePackageUrl));
  // Without tokens anyone who reaches the server is the user: only by a loopback name (local-host.ts).
  if (!deps.authenticate) app.use(loopbackHostsOnly());
  // Before authentication: a preflight carries no token, and a refused origin needs none.
  app.use(corsFor(http.corsOrigins));
  // POST /api/skills parses its own, larger body (a skill with its files), after authentication.
  const json = express.json({ limit: '2mb' });
  app.use((req, res, next) => (req.method === 'POST' && /^\/api\/skills\/?$/i.test(req.path) ? next() : json(req, res, next)));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const healthOf = (check: Promise<StorageHealth>) => check.catch((e: unknown): StorageHealth => ({ ok: false, detail: String(e) }));
    const [storage, history] = await Promise.all([healthOf(deps.storage.health()), healthOf(deps.history.health())]);
    const draining = deps.isDraining?.() ?? false;
    const disk = deps.disk?.health() ?? { ok: true };
    const ready = storage.ok && history.ok && disk.ok && !draining;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      draining,
      // The versions beside the rooms, under their own name.
      backends: { ...(storage.backends ?? { [deps.storage.kind]: storage }), history: { ok: history.ok, ...(history.detail ? { detail: history.detail } : {}) }, ...(disk.ok ? {} : { disk }) },
      rooms_loaded: deps.rooms.loaded.length,
    });
  });

  // What the app needs to know of the server's configuration; never a secret.
  app.get('/api/config', (_req, res) => {
    res.json({ pyodide_package_url: deps.pyodidePackageUrl ?? null, chat_configured: deps.chat.apiKey !== '', auth_required: Boolean(deps.authenticate) });
  });

  const rest = ['/api/sessions', '/api/skills', '/api/versions', '/api/trash', '/api/workflows', '/api/runs', '/api/traces'];
  if (deps.authenticate) {
    app.use([...rest, '/api/chat', '/chat'], deps.authenticate);
  }
  app.use(rest, restRateLimit({ perMinute: http.restRatePerMinute, identify: deps.identify }));
  if (deps.disk) app.use([...rest, '/api/chat', '/chat'], refuseWritesWhileDiskFull(deps.disk));
  // What a REST call changes in a room counts as its caller's, in the versions' authors.
  app.use([...rest, '/api/chat', '/chat'], restAuthor(deps.identify));
  app.use(chatRouter({ rooms: deps.rooms, identify: deps.identify, chat: deps.chat, log: deps.log }));
  app.use('/api/sessions', sessionsRouter(deps.rooms, deps.identify));
  app.use('/api/skills', skillsRouter(deps.rooms, deps.identify));
  app.use('/api/versions', versionsRouter({ rooms: deps.rooms, history: deps.history, checkpoints: deps.checkpoints, identify: deps.identify }));
  const { days, ...purge } = deps.trash;
  app.use('/api/trash', trashRouter({ ...purge, rooms: deps.rooms, identify: deps.identify, log: deps.log, trashDays: days }));
  app.use('/api/workflows', workflowRunsRouter({ library: deps.library, runs: deps.runs, identify: deps.identify }));
  app.use('/api/runs', runsRouter({ runs: deps.runs, identify: deps.identify, keepMs: deps.runsKeepMs }));
  app.use('/api/traces', runTracesRouter({ identify: deps.identify, tracesDir: deps.tracesDir }));
  app.use('/mcp', mcpRouter({ sessions: deps.mcp, identify: deps.identify, authenticate: deps.authenticate, perMinute: http.restRatePerMinute }));
  app.use('/api', (req, _res, next) => {
    next(new HttpError('not_found', `No API route ${req.method} ${req.originalUrl}.`));
  });

  const dist = deps.webDist;
  if (dist && fs.existsSync(path.join(dist, 'index.html'))) {
    // Compressed at build time; the worker scripts keep their own policies in every encoding.
    app.use(staticFiles(dist, { setHeaders: workerScriptPolicies(path.resolve(dist), deps.pyodidePackageUrl) }));
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain')
        .send('LLMunix sync server is running. The web app is not built yet: run "npm run build" and reload.\n');
    });
  }

  app.use(errorHandler(deps.log));
  return app;
}
