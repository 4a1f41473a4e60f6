import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_NODE_TIMEOUT_MS } from '../../shared/src/execution/executor';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * CORS_ORIGINS: origins as browsers send them (`https://app.example.com`, `http://localhost:5173`),
 * comma-separated. Each must be exactly an origin, since it is compared with `Origin` as a string.
 */
function parseOrigins(value: string, ctx: z.RefinementCtx): string[] {
  const origins = value.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin) {
      ctx.addIssue({
        code: 'custom',
        message: `${JSON.stringify(origin)} is not an origin: write scheme, host and port only, as the browser sends it (e.g. https://app.example.com, no path or trailing slash), separated by commas`,
      });
    }
  }
  return origins;
}

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATA_DIR: z.string().min(1).default('./data'),
  STORAGE: z.enum(['file', 'memory']).default('file'),
  MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).default(16 * 1024 * 1024),
  MAX_MESSAGES_PER_SECOND: z.coerce.number().int().min(1).default(2000),
  ROOM_IDLE_MS: z.coerce.number().int().min(0).default(30_000),
  COMPACT_AFTER_UPDATES: z.coerce.number().int().min(1).default(2000),
  GROUP_COMMIT_MS: z.coerce.number().min(0).max(100).default(0),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SKILLS_DIR: z.string().min(1).default(path.join(ROOT, 'skills')),
  WEB_DIST: z.string().min(1).default(path.join(ROOT, 'dist/web')),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.url('must be a URL such as https://api.anthropic.com').optional(),
  CHAT_MODEL: z.string().min(1).default('claude-sonnet-5-5'),
  CHAT_MAX_TOKENS: z.coerce.number().int().min(1).max(64_000).default(4096),
  CHAT_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  CHAT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  PYODIDE_PACKAGE_URL: z.url('must be the URL of a Pyodide package mirror, ending in /').optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  REDIS_URL: z.url('must be a Redis URL such as redis://127.0.0.1:6379').optional(),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_ENDPOINT: z.url('must be the URL of an S3-compatible endpoint').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
  CORS_ORIGINS: z.string().default('').transform(parseOrigins),
  REST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  TRASH_DAYS: z.coerce
    .number()
    .positive('must be a positive number of days (fractions allowed: 0.5 is 12 hours)')
    .max(36_500, 'must be at most 36500 days (100 years)')
    .default(30),
  HISTORY_PAUSE_MS: z.coerce.number().int().min(1).max(86_400_000).default(30_000),
  HISTORY_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
  RUN_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1 run at a time').max(64).default(2),
  RUN_QUEUE_MAX: z.coerce.number().int().min(0, 'must be 0 (no waiting) or more').max(100_000).default(64),
  RUN_NODE_TIMEOUT_MS: z.coerce.number().int().min(100).max(86_400_000).default(DEFAULT_NODE_TIMEOUT_MS),
  RUN_TIMEOUT_MS: z.coerce.number().int().min(100).max(86_400_000).default(300_000),
  RUNS_KEEP_MS: z.coerce.number().int().min(0).max(604_800_000, 'must be at most 604800000 (a week)').default(3_600_000),
  RUNS_KEEP_MAX: z.coerce.number().int().min(1).max(100_000).default(1000),
  MCP_SESSION_IDLE_MS: z.coerce.number().int().min(100).max(86_400_000).default(30 * 60_000),
});

/** The server's configuration, read once from the environment at start. */
export interface Config {
  host: string;
  port: number;
  dataDir: string;
  storage: 'file' | 'memory';
  maxMessageBytes: number;
  /** Per connection; a client sending faster is slowed down (its socket is not read until its budget refills). */
  maxMessagesPerSecond: number;
  roomIdleMs: number;
  compactAfterUpdates: number;
  groupCommitMs: number;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  skillsDir: string;
  webDist: string;
  chat: ChatConfig;
  /** Where Pyodide fetches packages beyond the standard library (a mirror of its package files). */
  pyodidePackageUrl?: string;
  /** Signs identity tokens; without it the server is in single-user local mode, on loopback only. */
  authSecret?: string;
  /** The shared log and fan-out between server instances. */
  redisUrl?: string;
  /** Snapshots (and the blob mirror) in S3; credentials come from the standard AWS variables. */
  s3?: { bucket: string; endpoint?: string; region: string; forcePathStyle: boolean };
  http: HttpConfig;
  /** How long deleted workflows, sessions and skills stay in the trash before they are purged for good. */
  trashDays: number;
  history: HistoryConfig;
  runs: RunsConfig;
  /** How long an MCP session lives with no request open before the server ends it. */
  mcpSessionIdleMs: number;
}

/** Runs on the server (MCP tool calls, REST workflow runs): limits and how long they are kept. */
export interface RunsConfig {
  /** Runs at once, server-wide; more wait in a queue, first come first served. */
  concurrency: number;
  /** Runs that may wait; beyond it a new run is refused (REST 503, an MCP tool error). */
  queueMax: number;
  /** Per node, from its code's start; a skill's `estimated_time_ms` raises it (to three times the estimate). */
  nodeTimeoutMs: number;
  /** Per run, from its start (not while queued): the run is cancelled and fails saying so. */
  runTimeoutMs: number;
  /** How long a finished run stays for `GET /api/runs/:run_id`. */
  keepMs: number;
  /** At most this many finished runs are kept; the oldest go first. */
  keepMax: number;
}

/** When versions are taken automatically (DESIGN §11). */
export interface HistoryConfig {
  /** A checkpoint follows this long a pause in a room's changes. */
  pauseMs: number;
  /** While changes go on without a pause, a checkpoint at least this often. */
  maxMs: number;
}

/** How the HTTP side meets other sites and busy clients. */
export interface HttpConfig {
  /** Other sites whose pages may call the API and open WebSockets; same-origin always may. */
  corsOrigins: string[];
  /** Requests a minute per identity on the REST routes (the chat has its own limit). */
  restRatePerMinute: number;
}

/** The chat proxy's settings; the key stays on the server. */
export interface ChatConfig {
  /** Empty when unset: the chat then answers how to configure it. */
  apiKey: string;
  baseUrl?: string;
  model: string;
  maxTokens: number;
  timeoutMs: number;
  ratePerMinute: number;
}

/** A configuration problem, naming the variable and what it should be. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // Secrets are named, never echoed.
    const shown = (name: string) => (/KEY|SECRET|TOKEN/.test(name) ? '(hidden)' : JSON.stringify(env[name]));
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}=${shown(String(i.path[0]))}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}\nSee the configuration table in README.md.`);
  }
  const e = parsed.data;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(e.HOST) || e.HOST.startsWith('127.');
  if (!e.AUTH_SECRET && !loopback) {
    throw new ConfigError(
      `Invalid configuration:\n  HOST=${JSON.stringify(e.HOST)} without AUTH_SECRET: with no secret the server is in single-user local mode, where anyone who can reach it is you. Set AUTH_SECRET (npm run token mints tokens with it) or listen on 127.0.0.1.`,
    );
  }
  if (e.HISTORY_MAX_MS < e.HISTORY_PAUSE_MS) {
    throw new ConfigError(
      `Invalid configuration:\n  HISTORY_MAX_MS=${e.HISTORY_MAX_MS} is below HISTORY_PAUSE_MS=${e.HISTORY_PAUSE_MS}: the longest time between checkpoints cannot be shorter than the pause that takes one. Raise HISTORY_MAX_MS or lower HISTORY_PAUSE_MS.`,
    );
  }
  return {
    host: e.HOST,
    port: e.PORT,
    dataDir: path.resolve(e.DATA_DIR),
    storage: e.STORAGE,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    maxMessagesPerSecond: e.MAX_MESSAGES_PER_SECOND,
    roomIdleMs: e.ROOM_IDLE_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    groupCommitMs: e.GROUP_COMMIT_MS,
    logLevel: e.LOG_LEVEL,
    skillsDir: path.resolve(e.SKILLS_DIR),
    webDist: path.resolve(e.WEB_DIST),
    pyodidePackageUrl: e.PYODIDE_PACKAGE_URL,
    authSecret: e.AUTH_SECRET,
    redisUrl: e.REDIS_URL,
    s3: e.S3_BUCKET ? { bucket: e.S3_BUCKET, endpoint: e.S3_ENDPOINT, region: e.S3_REGION, forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' } : undefined,
    http: { corsOrigins: e.CORS_ORIGINS, restRatePerMinute: e.REST_RATE_LIMIT_PER_MINUTE },
    trashDays: e.TRASH_DAYS,
    history: { pauseMs: e.HISTORY_PAUSE_MS, maxMs: e.HISTORY_MAX_MS },
    runs: {
      concurrency: e.RUN_CONCURRENCY,
      queueMax: e.RUN_QUEUE_MAX,
      nodeTimeoutMs: e.RUN_NODE_TIMEOUT_MS,
      runTimeoutMs: e.RUN_TIMEOUT_MS,
      keepMs: e.RUNS_KEEP_MS,
      keepMax: e.RUNS_KEEP_MAX,
    },
    mcpSessionIdleMs: e.MCP_SESSION_IDLE_MS,
    chat: {
      apiKey: e.ANTHROPIC_API_KEY?.trim() ?? '',
      baseUrl: e.ANTHROPIC_BASE_URL,
      model: e.CHAT_MODEL,
      maxTokens: e.CHAT_MAX_TOKENS,
      timeoutMs: e.CHAT_TIMEOUT_MS,
      ratePerMinute: e.CHAT_RATE_LIMIT_PER_MINUTE,
    },
  };
}
