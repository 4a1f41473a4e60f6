import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort } from './proc';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchServer {
  name: string;
  pid: number;
  /** The URL a stock `WebsocketProvider` takes for this server. */
  wsUrl: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function waitForLine(child: ChildProcess, match: (line: string) => boolean, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (match(line)) resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code} before it was ready:\n${stderr}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
}

/**
 * How `npm start` runs Node (package.json): a young generation of at most 8 MiB per semi-space
 * instead of 16. Under fan-out V8 grows it to the maximum, which was a quarter of the server's
 * peak RSS; the smaller one costs no measurable CPU per delivery (bench/fanout.ts).
 */
const OUR_NODE_FLAGS = ['--max-semi-space-size=8'];

/** Spawns our server's built bundle (or another build of it) on `port` (0: any), as `npm start` runs it, without waiting for it. */
export function spawnOurs(dataDir: string, port: number, env: Record<string, string> = {}, bundle = path.join(ROOT, 'dist/server/start.mjs')): ChildProcess {
  return spawn(process.execPath, [...OUR_NODE_FLAGS, bundle], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Spawns the reference server on `port`, with LevelDB under `leveldbDir` when given, without waiting for it. */
export function spawnReference(port: number, leveldbDir?: string): ChildProcess {
  return spawn(process.execPath, [path.join(ROOT, 'node_modules/@y/websocket-server/src/server.js')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...(leveldbDir ? { YPERSISTENCE: leveldbDir } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Stops a spawned server with SIGTERM and resolves once it has exited. */
export const stopServer = (child: ChildProcess): Promise<void> => stopper(child)();

/** Our server, durability on (file backend with synced group commits), as `npm start` runs it (the built bundle). */
export async function startOurs(dataDir: string, env: Record<string, string> = {}, bundle?: string): Promise<BenchServer> {
  const child = spawnOurs(dataDir, 0, env, bundle);
  const line = await waitForLine(child, (l) => l.includes('"listening"'), 'our server');
  const port = Number((JSON.parse(line) as { port: number }).port);
  return { name: 'llmunix', pid: child.pid!, wsUrl: `ws://127.0.0.1:${port}/sync`, child, stop: stopper(child) };
}

/** The reference server, `@y/websocket-server` 0.1.1, in memory or with its YPERSISTENCE LevelDB mode. */
export async function startReference(leveldbDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const child = spawnReference(port, leveldbDir);
  await waitForLine(child, (l) => l.includes('running at'), 'the reference server');
  return {
    name: leveldbDir ? 'reference+leveldb' : 'reference',
    pid: child.pid!,
    wsUrl: `ws://127.0.0.1:${port}`,
    child,
    stop: stopper(child),
  };
}
