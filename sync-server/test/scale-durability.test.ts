// SCALE-2: with Redis (and S3) behind several instances, nothing anyone has seen is lost: an
// instance killed with -9, and Redis stopped and restarted. SCALE-3: with an empty Redis after
// everything restarted, rooms come back from their S3 snapshots.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, connectSynced, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { startRedis, type RedisServer } from './harness/redis-server';
import { startS3Server } from './harness/s3-server';
import { startServerProcess } from './harness/server-process';
import { waitFor } from './harness/wait';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const track = <T extends { destroy(): void }>(x: T): T => {
  cleanups.push(() => x.destroy());
  return x;
};
async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-scale-dur-'));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}
async function redisServer(): Promise<RedisServer> {
  const redis = await startRedis();
  cleanups.push(() => redis.destroy());
  return redis;
}

describe('scale-out durability', () => {
  it('kill -9 of one instance mid-stream loses nothing a client on the other instance saw', async () => {
    const redis = await redisServer();
    const dataDir = await tempDir();
    const env = { REDIS_URL: redis.url, DATA_DIR: dataDir };
    const a = await startServerProcess(env);
    const b = await startServerProcess(env);
    cleanups.push(() => a.stop('SIGKILL'), () => b.stop('SIGTERM'));
    const room = 'user/default/workflow/kill-instance';
    const writer = track(await connectSynced(a.url, room));
    const reader = track(await connectSynced(b.url, room));
    const seen = new Set<string>();
    let killed = false;
    reader.doc.getMap('m').observe((e) => {
      e.keysChanged.forEach((k) => seen.add(k));
      if (!killed && seen.size >= 100) {
        killed = true;
        a.child.kill('SIGKILL');
      }
    });
    let i = 0;
    const stream = setInterval(() => {
      for (let j = 0; j < 5; j++) writer.doc.getMap('m').set(`k${i++}`, i);
    }, 1);
    await waitFor(() => killed, 'the reader to see 100 updates');
    clearInterval(stream);
    const seenAtKill = [...seen];
    // The writer's people reconnect to the surviving instance.
    const moved = track(connectClient(b.url, room));
    await synced(moved);
    await waitFor(() => seenAtKill.every((k) => moved.doc.getMap('m').has(k)), 'every seen update on the other instance');
    expect(seenAtKill.length).toBeGreaterThanOrEqual(100);
  });

  it('Redis stopped for a few seconds and restarted: instances recover by themselves, clients converge, nothing acknowledged is lost', async () => {
    const redis = await redisServer();
    const dataDir = await tempDir();
    const env = { REDIS_URL: redis.url, DATA_DIR: dataDir, STORAGE: 'file' };
    const a = await startTestServer(env);
    const b = await startTestServer(env);
    cleanups.push(() => a.close(), () => b.close());
    const room = 'user/default/workflow/redis-restart';
    const left: TestClient = track(await connectSynced(a.url, room));
    const right: TestClient = track(await connectSynced(b.url, room));
    for (let k = 0; k < 20; k++) left.doc.getMap('m').set(`before-${k}`, k);
    await waitFor(() => right.doc.getMap('m').size === 20, 'the first edits across instances');

    await redis.stop();
    // /readyz says which backend is down.
    const down = (await (await fetch(`${a.url}/readyz`)).json()) as { status: string; backends: Record<string, { ok: boolean; detail?: string }> };
    expect(down.status).toBe('not ready');
    expect(down.backends.redis).toMatchObject({ ok: false, detail: expect.stringMatching(/Redis is not reachable/) });
    // Both sides keep editing while Redis is away; their servers cannot log, so nothing is
    // acknowledged, and the clients keep their edits.
    for (let k = 0; k < 10; k++) {
      left.doc.getMap('m').set(`during-left-${k}`, k);
      right.doc.getMap('m').set(`during-right-${k}`, k);
    }
    await new Promise((r) => setTimeout(r, 3000));
    await redis.restart();

    await waitFor(() => left.doc.getMap('m').size === 40 && right.doc.getMap('m').size === 40, 'both clients to hold all 40 keys', 30_000);
    for (const server of [a, b]) {
      const fresh = track(connectClient(server.url, room));
      await synced(fresh);
      await waitFor(() => fresh.doc.getMap('m').size === 40, `a fresh client on ${server.url} to hold all 40 keys`, 15_000);
    }
    const ready = (await (await fetch(`${a.url}/readyz`)).json()) as { status: string; backends: Record<string, { ok: boolean }> };
    expect(ready).toMatchObject({ status: 'ready', backends: { redis: { ok: true }, 'file snapshots': { ok: true } } });
  }, 90_000); // Two servers and a Redis restart: 6 s alone, and past 30 s once under the full suite's load.

  it('S3 without Redis: one instance keeps its log on disk and its snapshots in S3', async () => {
    const s3 = await startS3Server();
    cleanups.push(() => s3.destroy());
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    const s3env = { S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_FORCE_PATH_STYLE: 'true', STORAGE: 'file' };
    const server = await startTestServer({ DATA_DIR: await tempDir(), ...s3env });
    const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { backends: Record<string, { ok: boolean }> };
    expect(ready.backends).toEqual({ file: { ok: true }, 's3 snapshots': { ok: true }, history: { ok: true } });
    const room = 'user/default/workflow/s3-only';
    const c = await connectSynced(server.url, room);
    for (let k = 0; k < 50; k++) c.doc.getMap('m').set(`k${k}`, k);
    const check = await connectSynced(server.url, room);
    await waitFor(() => check.doc.getMap('m').size === 50, 'the edits to reach the server');
    c.destroy();
    check.destroy();
    await server.close();
    // Another machine (an empty DATA_DIR) with the same bucket has the room whole.
    const other = await startTestServer({ DATA_DIR: await tempDir(), ...s3env });
    cleanups.push(() => other.close());
    const fresh = track(connectClient(other.url, room));
    const atFirstSync = await new Promise<number>((resolve) => fresh.provider.once('sync', () => resolve(fresh.doc.getMap('m').size)));
    expect(atFirstSync).toBe(50);
  });

  it('after everything restarts with an empty Redis, rooms load from their S3 snapshots', async () => {
    const s3 = await startS3Server();
    cleanups.push(() => s3.destroy());
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    const s3env = { S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_FORCE_PATH_STYLE: 'true' };
    const dataDir = await tempDir();
    const rooms = ['user/default/workflow/s3-a', 'user/default/session/s3-b', 'user/default'];

    const first = await startRedis();
    const server = await startTestServer({ REDIS_URL: first.url, DATA_DIR: dataDir, ...s3env });
    for (const room of rooms) {
      const c = await connectSynced(server.url, room);
      for (let k = 0; k < 200; k++) c.doc.getMap('m').set(`${room}-${k}`, k);
      const check = await connectSynced(server.url, room);
      await waitFor(() => check.doc.getMap('m').size === 200, `${room} to reach the server`);
      c.destroy();
      check.destroy();
    }
    // A graceful stop compacts every room into its snapshot.
    await server.close();
    await first.destroy();

    const empty = await redisServer();
    const again = await startTestServer({ REDIS_URL: empty.url, DATA_DIR: await tempDir(), ...s3env });
    cleanups.push(() => again.close());
    for (const room of rooms) {
      const c = track(connectClient(again.url, room));
      const atFirstSync = await new Promise<number>((resolve) => c.provider.once('sync', () => resolve(c.doc.getMap('m').size)));
      expect(atFirstSync, room).toBe(200);
    }
  });
});
