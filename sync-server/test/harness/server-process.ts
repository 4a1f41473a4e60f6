import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** JSON log lines the server printed so far. */
  logs: Record<string, unknown>[];
  /** What the server wrote to stderr so far (the lines for people). */
  stderr(): string;
  /** Sends a signal and waits for the process to exit; resolves to its exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs the real server entry point as a child process on a free port: `sync-server/bin/start.ts`
 * through tsx, or a built bundle (`bundle`, as `npm start` runs `dist/server/start.mjs`), which
 * starts as it would in production (the chaos suite restarts it hundreds of times). `inspect`
 * opens node's inspector on a free loopback port (it prints its URL on stderr), for a test that
 * reads the process's heap (chaos/heap-probe.ts).
 */
export async function startServerProcess(env: Record<string, string>, port = 0, options: { bundle?: string; inspect?: boolean } = {}): Promise<ServerProcess> {
  const entry = options.bundle ? [options.bundle] : ['--import', 'tsx', path.join(ROOT, 'sync-server/bin/start.ts')];
  const inspect = options.inspect ? ['--inspect=127.0.0.1:0'] : [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...inspect, ...entry], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  const listening = new Promise<{ url: string; port: number }>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        if (entry.msg === 'listening') resolve({ url: String(entry.url), port: Number(entry.port) });
      } catch {
        logs.push({ raw: line });
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  const { url, port: actual } = await listening;
  return {
    url,
    port: actual,
    child,
    logs,
    stderr: () => stderr,
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
