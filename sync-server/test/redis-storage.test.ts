// The Redis room log against a real redis-server: it passes the room log contract, and the
// storage contract as the log half of a split storage; it trims exactly what a snapshot covers, keeps rooms apart, and
// survives a Redis restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySnapshotStore } from '../src/storage/memory-snapshots';
import { awarenessChannel, RedisRoomLog, roomOfAwarenessChannel, roomOfStreamKey, streamKey } from '../src/storage/redis-log';
import { SplitStorage } from '../src/storage/split';
import { startRedis, type RedisServer } from './harness/redis-server';
import { roomLogContract } from './room-log-contract';
import { storageContract } from './storage-contract';

let redis: RedisServer;
const opened = new WeakMap<object, { snapshots: MemorySnapshotStore; db: number }>();
let nextDb = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
});

// Each contract case gets an empty logical database, so cases do not see each other's rooms.
storageContract('redis log + memory snapshots', {
  open: async () => {
    const db = nextDb++ % 12;
    const log = RedisRoomLog.connect(`${redis.url}/${db}`);
    await log.redis.flushdb();
    const snapshots = new MemorySnapshotStore();
    const storage = new SplitStorage(log, snapshots);
    opened.set(storage, { snapshots, db });
    return storage;
  },
  reopen: async (closed) => {
    const { snapshots, db } = opened.get(closed)!;
    return new SplitStorage(RedisRoomLog.connect(`${redis.url}/${db}`), snapshots);
  },
});

// Database 12 is the room log contract's, emptied for each case; 14 and 15 are the tests' below.
roomLogContract('redis', {
  open: async () => {
    const log = RedisRoomLog.connect(`${redis.url}/12`);
    await log.redis.flushdb();
    return log;
  },
  reopen: async () => RedisRoomLog.connect(`${redis.url}/12`),
  // Whatever else writes this Redis may add to the set of rooms.
  addStrays: async (log) => {
    await (log as RedisRoomLog).redis.sadd('llmunix:rooms', 'nope/x', '../x', 'user/a%2Fb', 'user/..');
  },
});

const bytes = (...v: number[]) => new Uint8Array(v);

describe('Redis room log', () => {
  it('names streams and awareness channels as before the one room-name encoding, and reads them back', () => {
    const stream = streamKey('team/t-1/workflow/a_b');
    const channel = awarenessChannel('user/alice');
    expect({ stream, channel, rooms: [roomOfStreamKey(stream), roomOfAwarenessChannel(channel)] }).toEqual({
      stream: 'llmunix:log:team%2Ft-1%2Fworkflow%2Fa_b',
      channel: 'llmunix:awareness:user%2Falice',
      rooms: ['team/t-1/workflow/a_b', 'user/alice'],
    });
    for (const foreign of ['llmunix:log:%zz', 'llmunix:log:user/alice', 'llmunix:log:user%252Falice', 'llmunix:rooms', 'llmunix:awareness:nope%2Fx']) {
      expect(roomOfStreamKey(foreign) ?? roomOfAwarenessChannel(foreign), foreign).toBeNull();
    }
  });

  it('gives ordered ids, reads after an id, and trims up to and including one', async () => {
    const log = RedisRoomLog.connect(`${redis.url}/15`);
    await log.redis.flushdb();
    const ids = await log.append('user/a/workflow/w', [bytes(1), bytes(2), bytes(3)]);
    expect(ids).toHaveLength(3);
    expect((await log.read('user/a/workflow/w', ids[0]!)).map((e) => [...e.update])).toEqual([[2], [3]]);
    await log.trim('user/a/workflow/w', ids[1]!);
    expect((await log.read('user/a/workflow/w', null)).map((e) => e.id)).toEqual([ids[2]]);
    expect(await log.list()).toEqual(['user/a/workflow/w']);
    expect((await log.health()).ok).toBe(true);
    await log.close();
  });

  it('keeps what it acknowledged across a Redis restart, and reconnects by itself', async () => {
    const log = RedisRoomLog.connect(`${redis.url}/14`, { commandTimeoutMs: 2000 });
    await log.redis.flushdb();
    await log.append('user/a', [bytes(7), bytes(8)]);
    await redis.stop();
    expect((await log.health()).ok).toBe(false);
    await redis.restart();
    // ioredis reconnects with backoff; the next calls work without a new client.
    let entries: Awaited<ReturnType<typeof log.read>> = [];
    for (let i = 0; i < 50 && entries.length === 0; i++) {
      entries = await log.read('user/a', null).catch(() => []);
      if (entries.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(entries.map((e) => [...e.update])).toEqual([[7], [8]]);
    await log.append('user/a', [bytes(9)]);
    expect((await log.read('user/a', null)).length).toBe(3);
    await log.close();
  });

  it('a failing Redis call is a StorageError naming the room', async () => {
    const log = RedisRoomLog.connect('redis://127.0.0.1:1', { commandTimeoutMs: 300 });
    await expect(log.append('user/a/session/s', [bytes(1)])).rejects.toThrow(/Redis could not append to the log for room "user\/a\/session\/s"/);
    expect((await log.health()).detail).toMatch(/Redis is not reachable/);
    log.redis.disconnect();
  });
});
