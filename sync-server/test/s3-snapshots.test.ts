import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import http from 'node:http';
import net from 'node:net';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Client } from '../src/storage/s3-client';
import { S3SnapshotStore, type S3Config } from '../src/storage/s3-snapshots';
import { RedisRoomLog } from '../src/storage/redis-log';
import { SplitStorage } from '../src/storage/split';
import { InvalidNameError, StorageError } from '../src/storage/storage';
import { startRedis } from './harness/redis-server';
import { startS3Server, type S3Server } from './harness/s3-server';
import { snapshotStoreContract } from './snapshot-store-contract';
import { storageContract } from './storage-contract';

let s3: S3Server;
let raw: S3Client;
const stores: S3SnapshotStore[] = [];
const store = (extra: Partial<S3Config> = {}) => {
  const s = new S3SnapshotStore({ ...s3.config, ...extra });
  stores.push(s);
  return s;
};

beforeAll(async () => {
  s3 = await startS3Server();
  raw = createS3Client(s3.config);
});
afterAll(async () => {
  for (const s of stores) await s.close().catch(() => undefined);
  raw?.destroy();
  await s3?.destroy();
});

snapshotStoreContract('s3 (s3rver)', {
  open: async () => store(),
  reopen: async () => store(),
});

/** A port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Settles a promise into its error (failing when it resolves). */
async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

const fast = { maxAttempts: 1, connectTimeoutMs: 500, requestTimeoutMs: 500, healthTimeoutMs: 500 };

describe('S3 snapshot store', () => {
  it('keeps each room at rooms/<encoded room>.snapshot, upTo and a CRC-32 in the metadata', async () => {
    const s = store();
    const room = `team/t-1/workflow/a_b-layout`;
    expect(S3SnapshotStore.keyOf(room)).toBe('rooms/team%2Ft-1%2Fworkflow%2Fa_b-layout.snapshot');
    await s.put(room, { data: new Uint8Array([1, 2, 3]), upTo: '1700000000000-5' });
    const head = await raw.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: S3SnapshotStore.keyOf(room) }));
    expect(head.Metadata?.['up-to']).toBe('1700000000000-5');
    expect(head.Metadata?.crc32).toMatch(/^\d+$/);
    expect(head.ContentLength).toBe(3);
    await s.put(room, { data: new Uint8Array([4]), upTo: null });
    const got = await raw.send(new GetObjectCommand({ Bucket: s3.bucket, Key: S3SnapshotStore.keyOf(room) }));
    expect(got.Metadata?.['up-to'] ?? '').toBe('');
    expect([...(await got.Body!.transformToByteArray())]).toEqual([4]);
  });

  it('maps keys back to rooms and ignores keys that are not its own', () => {
    for (const room of ['user/alice/workflow/abc', 'team/t-1/workflow/a_b', 'system/system', 'user/a-b_c']) {
      expect(S3SnapshotStore.roomOf(S3SnapshotStore.keyOf(room))).toBe(room);
    }
    // Keys of names that do not parse (`user/a%2Fb`, `user/ünï code`, `../x`) are not rooms either.
    const foreign = ['rooms/x/y.snapshot', 'rooms/.snapshot', 'rooms/a.txt', 'volumes/a.snapshot', 'rooms/a%2fb.snapshot', 'rooms/%zz.snapshot'];
    foreign.push('rooms/user%2Fa%252Fb.snapshot', 'rooms/user%2F%C3%BCn%C3%AF%20code.snapshot', 'rooms/..%2Fx.snapshot', 'rooms/user%2F...snapshot');
    for (const key of foreign) {
      expect(S3SnapshotStore.roomOf(key), key).toBeNull();
    }
    for (const room of ['', 'user/a%2Fb', 'user/ünï code', '../x', 'user/..']) {
      expect(() => S3SnapshotStore.keyOf(room), room).toThrow(InvalidNameError);
    }
  });

  it('lists across pages and skips foreign objects and blobs', async () => {
    const s = store({ listPageSize: 2 });
    const rooms = ['user/pager/workflow/p1', 'user/pager/workflow/p2', 'user/pager/workflow/p3', 'user/pager/workflow/p4', 'user/pager/workflow/p5'];
    for (const r of rooms) await s.put(r, { data: new Uint8Array([1]), upTo: null });
    for (const Key of ['rooms/stray/nested.snapshot', 'rooms/notes.txt']) {
      await raw.send(new PutObjectCommand({ Bucket: s3.bucket, Key, Body: 'x' }));
    }
    await s.blobs.putBlob('volumes/user/pager/skills/s1.md', '# s1');
    const listed = await s.list();
    expect(listed).toEqual(expect.arrayContaining(rooms));
    expect(listed).toEqual([...listed].sort());
    // Other tests share the bucket with random room ids, so look only at what this test wrote.
    expect(listed.filter((r) => r.startsWith('user/pager/'))).toEqual(rooms);
    expect(listed.filter((r) => r.startsWith('stray') || r.startsWith('notes') || r.startsWith('volumes'))).toEqual([]);
  });

  it('refuses an upTo that cannot travel as metadata', async () => {
    const s = store();
    for (const upTo of ['', 'a b', 'línea', 'x\ny']) {
      const e = await failure(s.put('user/alice/workflow/bad-upto', { data: new Uint8Array([1]), upTo }));
      expect(e, JSON.stringify(upTo)).toBeInstanceOf(StorageError);
    }
    expect(await s.get('user/alice/workflow/bad-upto')).toBeNull();
  });

  it('notices a body that does not match its checksum instead of returning it', async () => {
    const s = store();
    const room = 'user/alice/workflow/torn';
    await raw.send(
      new PutObjectCommand({
        Bucket: s3.bucket,
        Key: S3SnapshotStore.keyOf(room),
        Body: new Uint8Array([1, 2, 3]),
        Metadata: { 'up-to': '1-0', crc32: '12345' },
      }),
    );
    const e = await failure(s.get(room));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.message).toMatch(/corrupt/);
    expect(e.message).toContain(s3.bucket);
  });

  it('reads again when a body is cut off or disagrees with its checksum', async () => {
    const body = Buffer.from([5, 6, 7, 8]);
    let requests = 0;
    // An S3 look-alike that answers GETs: first a body cut off mid-transfer, then a damaged one, then the real one.
    const flaky = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': String(body.length),
        'x-amz-meta-up-to': '9-9',
        'x-amz-meta-crc32': String(crc32(body)),
      });
      if (requests === 1) {
        res.write(body.subarray(0, 2));
        setTimeout(() => res.destroy(), 10);
      } else res.end(requests === 2 ? Buffer.from([5, 6, 7, 0]) : body);
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    try {
      const { port } = flaky.address() as net.AddressInfo;
      const s = store({ endpoint: `http://127.0.0.1:${port}`, ...fast });
      expect(await s.get('user/alice')).toEqual({ data: new Uint8Array(body), upTo: '9-9' });
      expect(requests).toBe(3);
    } finally {
      flaky.closeAllConnections();
      await new Promise((r) => flaky.close(r));
    }
  });

  it('rejects calls after close', async () => {
    const s = store();
    await s.close();
    expect(await failure(s.get('user/alice'))).toBeInstanceOf(StorageError);
    expect((await s.health()).ok).toBe(false);
  });
});

describe('S3 snapshot store when S3 is not there', () => {
  it('an unreachable endpoint: health says why, calls reject with StorageError naming bucket and room', async () => {
    const endpoint = `http://127.0.0.1:${await deadPort()}`;
    const s = store({ endpoint, bucket: 'nowhere-bucket', ...fast });
    const started = Date.now();
    const health = await s.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('nowhere-bucket');
    expect(health.detail).toContain(endpoint);
    expect(health.detail).toMatch(/connection refused/);

    const e = await failure(s.get('user/alice/workflow/abc'));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.message).toContain('bucket "nowhere-bucket"');
    expect(e.message).toContain('room "user/alice/workflow/abc"');
    expect(e.message).toMatch(/connection refused/);
    expect((e as StorageError).room).toBe('user/alice/workflow/abc');

    expect(await failure(s.put('user/alice/workflow/abc', { data: new Uint8Array([1]), upTo: null }))).toBeInstanceOf(StorageError);
    const listError = await failure(s.list());
    expect(listError).toBeInstanceOf(StorageError);
    expect(listError.message).toContain('nowhere-bucket');
    expect(await failure(s.blobs.getBlob('volumes/user/alice/skills/x.md'))).toBeInstanceOf(StorageError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('an endpoint that never answers: health and get give up after their timeouts', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((sock) => sockets.add(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const s = store({ endpoint: `http://127.0.0.1:${port}`, ...fast, healthTimeoutMs: 300, requestTimeoutMs: 300 });
      let started = Date.now();
      const health = await s.health();
      expect(health).toMatchObject({ ok: false });
      expect(health.detail).toMatch(/no answer within 300 ms/);
      expect(Date.now() - started).toBeLessThan(2000);

      started = Date.now();
      const e = await failure(s.get('user/alice/workflow/abc'));
      expect(e).toBeInstanceOf(StorageError);
      expect(e.message).toContain(`bucket "${s3.bucket}"`);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('a server that stops and comes back: health follows it and the same store works again', async () => {
    const other = await startS3Server({ bucket: 'comes-back' });
    try {
      const s = store({ ...other.config, ...fast });
      await s.put('user/alice/workflow/abc', { data: new Uint8Array([7]), upTo: '3-1' });
      await other.stop();
      const down = await s.health();
      expect(down.ok).toBe(false);
      // A pooled keep-alive socket may see the reset before a new connect is refused.
      expect(down.detail).toMatch(/comes-back.*connection (refused|reset)/);
      expect(await failure(s.get('user/alice/workflow/abc'))).toBeInstanceOf(StorageError);
      await other.restart();
      expect(await s.health()).toEqual({ ok: true });
      expect(await s.get('user/alice/workflow/abc')).toEqual({ data: new Uint8Array([7]), upTo: '3-1' });
    } finally {
      await other.destroy();
    }
  });

  it('a missing bucket and wrong credentials are reported as such', async () => {
    const missing = store({ bucket: 'no-such-bucket', ...fast });
    expect(await missing.health()).toEqual({ ok: false, detail: expect.stringMatching(/"no-such-bucket".*no such bucket/) });
    const e = await failure(missing.put('user/alice', { data: new Uint8Array([1]), upTo: null }));
    expect(e).toBeInstanceOf(StorageError);
    expect(e.message).toMatch(/NoSuchBucket/);

    const wrong = store({ credentials: { accessKeyId: 'WRONG', secretAccessKey: 'WRONG' }, ...fast });
    expect((await wrong.health()).ok).toBe(false);
    const denied = await failure(wrong.get('user/alice'));
    expect(denied).toBeInstanceOf(StorageError);
    expect(denied.message).toMatch(/HTTP 403/);
  });
});

describe('S3 blobs (the human-readable mirror)', () => {
  it('round-trip text, list by prefix, delete', async () => {
    const { blobs } = store();
    const skill = 'volumes/user/alice/skills/summarize.md';
    const workflow = 'volumes/user/alice/workflows/w-1.json';
    const text = '# Summarize\n\nÜnïcödé and emoji 🙂, 2 MB of nothing else.\n';
    await blobs.putBlob(skill, text, 'text/markdown; charset=utf-8');
    await blobs.putBlob(workflow, JSON.stringify({ id: 'w-1', nodes: [] }), 'application/json');
    await blobs.putBlob('volumes/team/t-1/skills/other.md', 'other');
    expect(await blobs.getBlob(skill)).toBe(text);
    expect(JSON.parse((await blobs.getBlob(workflow))!)).toEqual({ id: 'w-1', nodes: [] });
    const head = await raw.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: skill }));
    expect(head.ContentType).toBe('text/markdown; charset=utf-8');

    expect(await blobs.listBlobs('volumes/user/alice/')).toEqual([skill, workflow]);
    expect(await blobs.listBlobs('volumes/team/')).toEqual(['volumes/team/t-1/skills/other.md']);
    expect((await blobs.listBlobs('')).some((k) => k.startsWith('rooms/'))).toBe(false);

    await blobs.putBlob(skill, 'replaced');
    expect(await blobs.getBlob(skill)).toBe('replaced');
    await blobs.deleteBlob(skill);
    expect(await blobs.getBlob(skill)).toBeNull();
    await blobs.deleteBlob(skill);
    expect(await blobs.listBlobs('volumes/user/alice/')).toEqual([workflow]);
    expect(await blobs.getBlob('volumes/user/nobody/skills/none.md')).toBeNull();
  });

  it('refuse keys that climb, are absolute, or reach into the snapshots', async () => {
    const { blobs } = store();
    const bad = ['', '/volumes/a.md', '../a.md', 'volumes/../rooms/x.snapshot', 'volumes/a/..', 'volumes//a.md', 'volumes/./a.md', 'volumes\\a.md', 'volumes/a\n.md', 'rooms/user%2Falice.snapshot', 'x'.repeat(1025)];
    for (const key of bad) {
      expect(await failure(blobs.putBlob(key, 'x')), JSON.stringify(key)).toBeInstanceOf(StorageError);
      expect(await failure(blobs.getBlob(key)), JSON.stringify(key)).toBeInstanceOf(StorageError);
      expect(await failure(blobs.deleteBlob(key)), JSON.stringify(key)).toBeInstanceOf(StorageError);
    }
    for (const prefix of ['/', '../', 'volumes/../', 'rooms/', '/volumes/']) {
      expect(await failure(blobs.listBlobs(prefix)), prefix).toBeInstanceOf(StorageError);
    }
    const e = await failure(blobs.putBlob('../escape.md', 'x'));
    expect(e.message).toMatch(/invalid blob key "..\/escape.md": it contains ".."/);
  });
});

// The whole storage of a production setup, Redis log plus S3 snapshots, passes the one storage
// contract every backend passes.
describe('Redis log + S3 snapshots as one storage', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  let s3: Awaited<ReturnType<typeof startS3Server>>;
  let db = 0;
  const opened = new WeakMap<object, number>();
  beforeAll(async () => {
    redis = await startRedis();
    s3 = await startS3Server({ bucket: 'contract-split' });
  });
  afterAll(async () => {
    await redis?.destroy();
    await s3?.destroy();
  });
  // Each case gets its own Redis database and its own bucket, so cases do not see each other.
  const build = async (index: number, fresh: boolean) => {
    const log = RedisRoomLog.connect(`${redis.url}/${index}`);
    const bucket = `contract-split-${index}`;
    if (fresh) {
      await log.redis.flushdb();
      await createS3Client(s3.config).send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
    }
    const storage = new SplitStorage(log, new S3SnapshotStore({ ...s3.config, bucket }));
    opened.set(storage, index);
    return storage;
  };
  storageContract('redis log + s3 snapshots', {
    open: async () => build(db++, true),
    reopen: async (closed) => build(opened.get(closed)!, false),
  });
});
