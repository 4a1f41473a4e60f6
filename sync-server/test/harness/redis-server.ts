import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** The redis-server process id (for CPU figures in benchmarks). */
  pid(): number;
  /** Stops it (SIGTERM, so it writes its AOF) and waits. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A real redis-server (Debian's package; `.ci/run` installs it) on 127.0.0.1 and a free port,
 * with its own data directory and an fsync'd append-only file, so a restart keeps the data.
 */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-redis-'));
  let child: ChildProcess | null = null;
  const launch = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const started = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      started.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      started.once('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
      started.once('error', (e) => reject(new Error(`redis-server could not start (is it installed? apt-get install redis-server): ${e.message}`)));
    });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => (child as ChildProcess | null)?.pid ?? 0,
    stop,
    restart: launch,
    destroy: async () => {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
