/**
 * The server set-ups the chaos scenarios put under faults: the file backend on one instance,
 * and Redis + S3 behind two instances (each with its own DATA_DIR, as on two machines). Every
 * instance is the built bundle and restarts on its own port, so clients find it again.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startRedis, type RedisServer } from '../harness/redis-server';
import { startS3Server, type S3Server } from '../harness/s3-server';
import { startServerProcess, type ServerProcess } from '../harness/server-process';

export interface Deployment {
  /** `file`, `redis+s3 ×2`: the table's backend column. */
  backend: string;
  /** One base url per instance, stable across restarts. */
  urls: string[];
  /** The running process of each instance (replaced by `restart`). */
  servers: ServerProcess[];
  /** Starts instance `i` again on its port with its environment. */
  restart(i: number): Promise<void>;
  /** Stops everything and removes its data. */
  close(): Promise<void>;
}

async function tempDir(what: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `llmunix-chaos-${what}-`));
}

/** Instances with these environments, each restartable on the port it first got. */
async function instances(backend: string, envs: Record<string, string>[], bundle: string, cleanup: () => Promise<void>): Promise<Deployment> {
  const servers = await Promise.all(envs.map((env) => startServerProcess(env, 0, { bundle })));
  const deployment: Deployment = {
    backend,
    urls: servers.map((s) => s.url),
    servers,
    restart: async (i) => {
      deployment.servers[i] = await startServerProcess(envs[i]!, deployment.servers[i]!.port, { bundle });
    },
    close: async () => {
      await Promise.all(deployment.servers.map((s) => s.stop('SIGKILL')));
      await cleanup();
    },
  };
  return deployment;
}

/**
 * `extra` is added to every instance's environment (COMPACT_AFTER_UPDATES low, say, so crashes
 * land in compactions too).
 */
export async function fileDeployment(bundle: string, extra: Record<string, string> = {}): Promise<Deployment> {
  const dataDir = await tempDir('file');
  return instances('file', [{ DATA_DIR: dataDir, ...extra }], bundle, () => fs.rm(dataDir, { recursive: true, force: true }));
}

/** A deployment on Redis and S3, with both at hand (the dependencies scenario stops and restarts them). */
export interface RedisS3Deployment extends Deployment {
  redis: RedisServer;
  s3: S3Server;
}

export async function redisS3Deployment(bundle: string, count: number, extra: Record<string, string> = {}): Promise<RedisS3Deployment> {
  const [redis, s3] = await Promise.all([startRedis(), startS3Server()]);
  const dataDirs = await Promise.all(Array.from({ length: count }, (_, i) => tempDir(`redis-${i}`)));
  const shared = { REDIS_URL: redis.url, ...s3.serverEnv, ...extra };
  const cleanup = async () => {
    await Promise.all([redis.destroy(), s3.destroy(), ...dataDirs.map((d) => fs.rm(d, { recursive: true, force: true }))]);
  };
  try {
    return Object.assign(await instances(`redis+s3 ×${count}`, dataDirs.map((DATA_DIR) => ({ ...shared, DATA_DIR })), bundle, cleanup), { redis, s3 });
  } catch (e) {
    await cleanup();
    throw e;
  }
}
