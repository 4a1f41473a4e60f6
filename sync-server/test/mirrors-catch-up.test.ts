// MIRROR-2: mirrors catch up by themselves. Rooms stored before the mirrors existed are mirrored
// at the next start, without any client opening them; a mirror write that failed while S3 or
// Redis was down (and that the queue gave up on) is written once the backend is back, though
// the room never changes again. Real redis-server and s3rver; expected keys and files are
// computed from the stored documents by the chaos suite's `mirrorsMatch`, plus spot checks.
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, writeSessionMeta } from '../../shared/src/documents/session';
import { putSessionListing, putSkillSource, putWorkflowListing } from '../../shared/src/documents/volume-index';
import { writeWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { BlobMirror } from '../src/mirrors/blob-mirror';
import { FileBlobStore } from '../src/mirrors/blob-store';
import { Mirrors } from '../src/mirrors/mirrors';
import { RedisMirror } from '../src/mirrors/redis-mirror';
import { storedRoomReader } from '../src/mirrors/stored-rooms';
import { FileStorage } from '../src/storage/file';
import { openStorage } from '../src/storage/open';
import { createS3Client, S3BlobStore } from '../src/storage/s3-client';
import type { Storage } from '../src/storage/storage';
import { mirrorsMatch, mirrorsMatchWithin, type MirrorsMatchOptions } from './chaos/mirrors-match';
import { startTestServer } from './harness/in-process';
import { startRedis, type RedisServer } from './harness/redis-server';
import { startS3Server, type S3Server } from './harness/s3-server';
import { updateOf } from './harness/stored';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-catch-up-');

const NOW = '2025-01-01T00:00:00.000Z';
const skill = (id: string, code: string) => `---\nname: ${id}\nskill_id: ${id}\ntype: python\ndescription: ${id}\ninputs: []\noutputs: []\n---\n\n# ${id}\n\n## Code\n\n\`\`\`python\n${code}\n\`\`\`\n`;

/** A volume with a skill, a session (with a message) and a workflow, written straight to storage: no server, so no mirror. */
async function storeVolume(storage: Pick<Storage, 'append'>, tag: string): Promise<void> {
  await storage.append(`user/${tag}/session/s-${tag}`, [
    updateOf((doc) => {
      writeSessionMeta(doc, { id: `s-${tag}`, name: `Session ${tag}`, volume: 'user', volume_id: tag, status: 'active', created_at: NOW, updated_at: NOW, metadata: {} });
      appendMessage(doc, { role: 'user', content: `hello from ${tag}`, timestamp: NOW, traces: null, artifacts: null });
    }),
  ]);
  await storage.append(`user/${tag}/workflow/wf-${tag}`, [
    updateOf((doc) => {
      writeWorkflowMeta(doc, { name: `Flow ${tag}`, description: 'stored only', created_at: NOW, updated_at: NOW });
      writeWorkflowGraph(doc, { nodes: [{ id: 'n1', skillId: `sk-${tag}`, label: 'One', position: { x: 1, y: 2 }, inputs: {} }], edges: [] });
    }),
  ]);
  await storage.append(`user/${tag}`, [
    updateOf((doc) => {
      putSkillSource(doc, `sk-${tag}`, skill(`sk-${tag}`, 'return 1'));
      putSessionListing(doc, `s-${tag}`, { name: `Session ${tag}`, status: 'active', created_at: NOW, updated_at: NOW });
      putWorkflowListing(doc, `wf-${tag}`, { name: `Flow ${tag}`, description: 'stored only', created_at: NOW, updated_at: NOW });
    }),
  ]);
}

describe('mirrors catch up with Redis and S3', () => {
  let redis: RedisServer;
  let s3: S3Server;
  let reader: Redis;
  let bucket: S3BlobStore;

  beforeAll(async () => {
    [redis, s3] = await Promise.all([startRedis(), startS3Server({ bucket: 'llmunix-catch-up' })]);
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    reader = new Redis(redis.url);
    // Redis is stopped in one test: this reader reconnects by itself.
    reader.on('error', () => undefined);
    bucket = new S3BlobStore(createS3Client(s3.config), s3.bucket);
  });
  afterAll(async () => {
    reader?.disconnect();
    await Promise.all([redis?.destroy(), s3?.destroy()]);
  });

  /** The storage a server with Redis and S3 opens, for the test to write and read beside it. */
  async function openShared(): Promise<Storage> {
    const { storage } = await openStorage({ storage: 'file', dataDir: await tempDir(), redisUrl: redis.url, s3: s3.config });
    cleanups.push(() => storage.close());
    return storage;
  }

  it('mirror rooms stored before the mirrors at the next start, without loading them', async () => {
    const storage = await openShared();
    await storeVolume(storage, 'before');
    const match: MirrorsMatchOptions = { rooms: storage, redisUrl: redis.url, s3: s3.config };
    // The checker sees what is missing: nothing was mirrored yet.
    const before = await mirrorsMatch(match);
    expect(before).toEqual(expect.arrayContaining([expect.stringContaining('Redis session:s-before is (none)'), expect.stringContaining('blob volumes/user/before/skills/sk-before.md is missing')]));

    const server = await startTestServer({ REDIS_URL: redis.url, DATA_DIR: await tempDir(), STORAGE: 'file', ...s3.serverEnv });
    cleanups.push(() => server.close());
    const { problems } = await mirrorsMatchWithin(match, 20_000);
    expect(problems).toEqual([]);
    // Spot checks of what the checker compared wholesale.
    expect(JSON.parse((await reader.get('session:s-before'))!)).toMatchObject({ id: 's-before', name: 'Session before', volume: 'user', volume_id: 'before' });
    expect(await reader.smembers('user:before:sessions')).toEqual(['s-before']);
    expect(await bucket.getBlob('volumes/user/before/skills/sk-before.md')).toBe(skill('sk-before', 'return 1'));
    expect(JSON.parse((await bucket.getBlob('volumes/user/before/workflows/wf-before.json'))!)).toMatchObject({ name: 'Flow before', nodes: [expect.objectContaining({ id: 'n1' })] });
    // Read from storage: the catch-up loaded none of the rooms it mirrored.
    expect(server.rooms.loaded.filter((r) => r.startsWith('user/'))).toEqual([]);
  });

  /**
   * Mirrors as the server builds them, but with a queue that gives up after one attempt: what
   * is written after an outage can only be the catch-up's doing.
   */
  async function mirrorsGivingUpAtOnce(storage: Storage, warnings: string[]): Promise<Mirrors> {
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) });
    const mirrorRedis = new Redis(redis.url, { maxRetriesPerRequest: 1, commandTimeout: 2000 });
    mirrorRedis.on('error', () => undefined);
    const mirrors = new Mirrors(
      storedRoomReader(storage),
      { redis: new RedisMirror(mirrorRedis, log), blobs: new BlobMirror(new S3BlobStore(createS3Client({ ...s3.config, maxAttempts: 1 }), s3.bucket), log) },
      log,
      storage,
      { debounceMs: 20, maxWaitMs: 100, concurrency: 4, retryBaseMs: 50, retryMaxMs: 50, maxAttempts: 1 },
      { startDelayMs: 0, concurrency: 2, probeBaseMs: 100, probeMaxMs: 500 },
    );
    cleanups.push(async () => {
      await mirrors.close(2000);
      mirrorRedis.disconnect();
    });
    return mirrors;
  }

  it('write what failed while S3 was down once it is back, though the room never changes again', async () => {
    const storage = await openShared();
    const warnings: string[] = [];
    const mirrors = await mirrorsGivingUpAtOnce(storage, warnings);
    const match: MirrorsMatchOptions = { rooms: storage, redisUrl: redis.url, s3: s3.config };

    await s3.stop();
    await storeVolume(storage, 's3-outage');
    for (const room of ['user/s3-outage', 'user/s3-outage/session/s-s3-outage', 'user/s3-outage/workflow/wf-s3-outage']) mirrors.changed(room);
    await waitFor(() => warnings.includes('mirror write failed'), 'the mirror write to fail while S3 is down');
    expect(mirrors.catchUp.behind).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    // Behind: the queue gave up; the catch-up only checks whether storage is ready again.
    expect(mirrors.catchUp.behind).toBe(true);

    await s3.restart();
    const { problems } = await mirrorsMatchWithin(match, 20_000);
    expect(problems).toEqual([]);
    expect(await bucket.getBlob('volumes/user/s3-outage/skills/sk-s3-outage.md')).toBe(skill('sk-s3-outage', 'return 1'));
    expect(await mirrors.catchUp.idle(5000)).toBe(true);
  });

  it('write what failed while Redis was down once it is back, though the room never changes again', async () => {
    const storage = await openShared();
    const warnings: string[] = [];
    const mirrors = await mirrorsGivingUpAtOnce(storage, warnings);
    const match: MirrorsMatchOptions = { rooms: storage, redisUrl: redis.url, s3: s3.config };

    // Durable, then Redis goes away before the mirror has written it.
    await storeVolume(storage, 'redis-outage');
    await redis.stop();
    for (const room of ['user/redis-outage', 'user/redis-outage/session/s-redis-outage']) mirrors.changed(room);
    await waitFor(() => warnings.includes('mirror write failed'), 'the mirror write to fail while Redis is down', 15_000);
    expect(mirrors.catchUp.behind).toBe(true);

    await redis.restart();
    const { problems } = await mirrorsMatchWithin(match, 20_000);
    expect(problems).toEqual([]);
    expect(await reader.lrange('session:s-redis-outage:messages', 0, -1)).toEqual([JSON.stringify({ role: 'user', content: 'hello from redis-outage', timestamp: NOW, traces: null, artifacts: null })]);
    expect(await mirrors.catchUp.idle(5000)).toBe(true);
  });
});

describe('mirrors catch up under DATA_DIR (embedded file storage)', () => {
  it('write the files of rooms stored before the mirrors at the next start', async () => {
    const dataDir = await tempDir();
    const stored = await FileStorage.open(dataDir);
    await storeVolume(stored, 'embedded');
    await stored.close();
    const files = new FileBlobStore(dataDir);
    expect(await files.listBlobs('volumes/user/')).toEqual([]);

    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    cleanups.push(() => server.close());
    const { problems } = await mirrorsMatchWithin({ rooms: server.storage, dataDir }, 20_000);
    expect(problems).toEqual([]);
    expect(await files.listBlobs('volumes/user/')).toEqual(['volumes/user/embedded/skills/sk-embedded.md', 'volumes/user/embedded/workflows/wf-embedded.json']);
  });
});
