// HIST-1…9: the history stores pass one contract: in memory, in files, and with the index in a real
// redis-server and the content under DATA_DIR or in a real S3 server (s3rver).
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileHistory } from '../src/history/file-history';
import type { HistoryStore } from '../src/history/history-store';
import { MemoryHistory } from '../src/history/memory-history';
import { historyKey, RedisHistory } from '../src/history/redis-history';
import { S3VersionContent } from '../src/history/s3-version-content';
import { FileVersionContent } from '../src/history/version-content';
import { connectRedis } from '../src/storage/redis-log';
import { createS3Client } from '../src/storage/s3-client';
import { historyContract, metaOf } from './history-contract';
import { startRedis, type RedisServer } from './harness/redis-server';
import { startS3Server, type S3Server } from './harness/s3-server';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-history-'));
  dirs.push(dir);
  return dir;
}
let redis: RedisServer;
let s3: S3Server;
beforeAll(async () => {
  [redis, s3] = await Promise.all([startRedis(), startS3Server({ bucket: 'history-contract' })]);
});
afterAll(async () => {
  await Promise.all([redis?.destroy(), s3?.destroy()]);
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

historyContract('memory', { open: async () => new MemoryHistory() });

const fileDirs = new WeakMap<object, string>();
historyContract('file', {
  open: async () => {
    const dir = await freshDir();
    const store = await FileHistory.open(dir);
    fileDirs.set(store, dir);
    return store;
  },
  reopen: async (closed) => FileHistory.open(fileDirs.get(closed)!),
});

// Each case gets its own Redis database (and folder or bucket), so cases do not see each other.
let nextDb = 0;
const where = new WeakMap<object, { db: number; content: () => Promise<FileVersionContent | S3VersionContent> }>();
async function redisStore(db: number, content: () => Promise<FileVersionContent | S3VersionContent>, fresh: boolean): Promise<HistoryStore> {
  const connection = connectRedis(`${redis.url}/${db}`);
  if (fresh) await connection.flushdb();
  const store = new RedisHistory(connection, await content());
  where.set(store, { db, content });
  return store;
}
const reopenRedis = async (closed: HistoryStore) => redisStore(where.get(closed)!.db, where.get(closed)!.content, false);

historyContract('redis index + file content', {
  open: async () => {
    const dir = await freshDir();
    return redisStore(nextDb++ % 16, () => FileVersionContent.open(dir), true);
  },
  reopen: reopenRedis,
});

historyContract('redis index + s3 content', {
  open: async () => {
    const db = nextDb++ % 16;
    const bucket = `history-${db}-${Date.now()}`;
    await createS3Client(s3.config).send(new CreateBucketCommand({ Bucket: bucket }));
    return redisStore(db, async () => new S3VersionContent({ ...s3.config, bucket }), true);
  },
  reopen: reopenRedis,
});

describe('file history on disk', () => {
  it('skips a line torn by a crash mid-append, and the next version starts a line of its own', async () => {
    const dir = await freshDir();
    const subject = 'user/u1/workflow/torn';
    const store = await FileHistory.open(dir);
    const first = metaOf(subject);
    await store.add(first, new Uint8Array([1]));
    await store.close();
    const index = path.join(dir, 'history', 'user', 'u1', 'workflow', 'torn', 'index.jsonl');
    await fs.appendFile(index, '{"id":"user.u1.workflow.torn.0', 'utf8');
    const again = await FileHistory.open(dir);
    expect(await again.list(subject)).toEqual([first]);
    const second = metaOf(subject);
    await again.add(second, new Uint8Array([2]));
    expect(await again.list(subject)).toEqual([second, first]);
    await again.close();
  });
});

describe('S3 version content', () => {
  it('removes a subject of 1,001 versions in two delete requests, and leaves other subjects alone', async () => {
    const bucket = `history-batch-${Date.now()}`;
    const client = createS3Client(s3.config);
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const requests = new Map<string, number>();
    client.middlewareStack.add(
      (next, context) => (args) => {
        requests.set(context.commandName ?? '?', (requests.get(context.commandName ?? '?') ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'countRequests' },
    );
    const content = new S3VersionContent({ ...s3.config, bucket }, client);
    const subject = 'user/u1/workflow/many';
    const stamps = Array.from({ length: 1001 }, (_, i) => `stamp${String(i).padStart(6, '0')}`);
    for (let i = 0; i < stamps.length; i += 50) await Promise.all(stamps.slice(i, i + 50).map((s) => content.put(subject, s, new Uint8Array([1]))));
    await content.put('user/u1/workflow/other', 'stamp000000', new Uint8Array([2]));
    requests.clear();
    await content.removeSubject(subject);
    expect(requests.get('DeleteObjectsCommand')).toBe(2);
    expect(requests.get('DeleteObjectCommand')).toBeUndefined();
    const left = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'history/' }));
    expect((left.Contents ?? []).map((o) => o.Key)).toEqual(['history/user/u1/workflow/other/stamp000000.bin']);
    await content.close();
  }, 60_000);
});

describe('Redis history index', () => {
  it('skips a row that does not parse, as the file index skips a torn line: the other versions still list and read', async () => {
    const dir = await freshDir();
    const store = await redisStore(nextDb++ % 16, () => FileVersionContent.open(dir), true);
    const subject = 'user/u1/workflow/corrupt';
    const good = metaOf(subject);
    await store.add(good, new Uint8Array([1]));
    const corrupt = metaOf(subject);
    await store.add(corrupt, new Uint8Array([2]));
    const connection = connectRedis(`${redis.url}/${where.get(store)!.db}`);
    await connection.hset(historyKey(subject), corrupt.id, '{"id": "torn');
    await connection.quit();
    expect(await store.list(subject)).toEqual([good]);
    expect(await store.latest(subject)).toEqual(good);
    expect(await store.get(corrupt.id)).toBeNull();
    expect((await store.get(good.id))?.content).toEqual(new Uint8Array([1]));
    await store.close();
  });
});
