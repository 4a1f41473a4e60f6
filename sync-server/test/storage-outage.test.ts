// SCALE-2: what clients get while Redis or S3 is down (issue 19), on a real redis-server and s3rver:
// - Redis down: a REST write answers 503 `unavailable` with the storage's message (not 201 for
//   a change that was never stored, nor 500); a WebSocket client's room is closed with 4500
//   (room unavailable), the client retries by itself, and its edits are stored once Redis is
//   back; what was acknowledged before is all there.
// - S3 down: a loaded room keeps storing and delivering writes (its log is in Redis) though its
//   compaction fails; it compacts again once S3 is back.
import { CLOSE } from '../../shared/src/codes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3SnapshotStore } from '../src/storage/s3-snapshots';
import { connectClient, connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { startRedis, type RedisServer } from './harness/redis-server';
import { startS3Server, type S3Server } from './harness/s3-server';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-outage-');

let redis: RedisServer;
let s3: S3Server;

beforeAll(async () => {
  [redis, s3] = await Promise.all([startRedis(), startS3Server({ bucket: 'llmunix-outage' })]);
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
});
afterAll(async () => {
  await Promise.all([redis?.destroy(), s3?.destroy()]);
});

async function start(extra: Record<string, string> = {}) {
  const server = await startTestServer({ REDIS_URL: redis.url, DATA_DIR: await tempDir(), STORAGE: 'file', ...s3.serverEnv, ...extra });
  cleanups.push(() => server.close());
  return server;
}

function client(url: string, room: string): TestClient {
  const c = connectClient(url, room);
  cleanups.push(() => c.destroy());
  return c;
}

async function post(url: string, path: string, body: unknown): Promise<{ status: number; body: { id?: string; error?: { code: string; message: string; help: string } } }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as never };
}

describe('while Redis is down', () => {
  it('REST writes answer 503 with what is wrong; WebSocket clients are closed with 4500, retry, and their edits are stored once it is back', async () => {
    const server = await start();
    const created = await post(server.url, '/api/sessions', { name: 'Outage' });
    expect(created.status).toBe(201);
    const id = created.body.id!;
    expect((await post(server.url, `/api/sessions/${id}/messages`, { role: 'user', content: 'before' })).status).toBe(201);
    const room = 'user/default/workflow/outage';
    const writer = client(server.url, room);
    await waitFor(() => writer.provider.synced, 'the writer to sync');
    writer.doc.getMap('m').set('before', 1);
    const watcher = await connectSynced(server.url, room);
    cleanups.push(() => watcher.destroy());
    await waitFor(() => watcher.doc.getMap('m').has('before'), 'the first edit to be delivered');

    await redis.stop();
    const refused = await post(server.url, `/api/sessions/${id}/messages`, { role: 'user', content: 'while down' });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'unavailable', help: 'A storage backend is not ready; see /readyz.' });
    expect(refused.body.error!.message).toMatch(/could not be stored \(Redis could not append .*\), so they are not acknowledged: send them again once the server's storage is back/);
    writer.doc.getMap('m').set('while down', 2);
    await waitFor(() => writer.closeCodes.includes(CLOSE.roomUnavailable.code), 'the writer to be told the room is unavailable', 15_000);
    // Nothing unstored reached the other client.
    expect(watcher.doc.getMap('m').has('while down')).toBe(false);

    await redis.restart();
    // The stock client reconnected by itself and sent its edit again.
    await waitFor(() => watcher.doc.getMap('m').has('while down'), 'the edit made while Redis was down to be stored and delivered', 20_000);
    const fresh = await connectSynced(server.url, room);
    cleanups.push(() => fresh.destroy());
    expect(fresh.doc.getMap('m').toJSON()).toEqual({ before: 1, 'while down': 2 });
    const session = (await (await fetch(`${server.url}/api/sessions/${id}`)).json()) as { messages: Array<{ content: string }> };
    expect(session.messages.map((m) => m.content)).toContain('before');
  });
});

describe('while S3 is down', () => {
  it('a loaded room goes on storing and delivering writes though its compaction fails, and compacts once S3 is back', async () => {
    const server = await start({ COMPACT_AFTER_UPDATES: '5' });
    const room = 'user/default/workflow/s3-outage';
    const writer = await connectSynced(server.url, room);
    const reader = await connectSynced(server.url, room);
    cleanups.push(() => writer.destroy(), () => reader.destroy());

    await s3.stop();
    for (let i = 0; i < 30; i++) {
      writer.doc.getMap('m').set(`k${i}`, i);
      await new Promise((r) => setTimeout(r, 20));
    }
    // Delivered means stored (DUR-1): 30 updates, six times the compaction threshold.
    await waitFor(() => reader.doc.getMap('m').size === 30, 'every write made while S3 was down to be delivered', 15_000);
    expect(writer.closeCodes).toEqual([]);
    expect(reader.closeCodes).toEqual([]);

    await s3.restart();
    const snapshots = new S3SnapshotStore(s3.config);
    cleanups.push(() => snapshots.close());
    // The room compacts again on a later write once the backoff has passed.
    let n = 30;
    await waitFor(
      async () => {
        writer.doc.getMap('m').set(`k${n++}`, n);
        return (await snapshots.get(room)) !== null;
      },
      'the room to compact once S3 is back',
      20_000,
    );
    const fresh = await connectSynced(server.url, room);
    cleanups.push(() => fresh.destroy());
    await waitFor(() => fresh.doc.getMap('m').size === reader.doc.getMap('m').size, 'a fresh client to hold every write');
    expect(fresh.doc.getMap('m').size).toBeGreaterThanOrEqual(30);
  });
});
