// SCALE-3: compaction of a room shared through Redis. It runs under a per-room lock with an
// expiry; the snapshot covers the stream only as far as the room has read it in order (plus this
// instance's own later entries); the log is trimmed only up to there, and only entries older
// than 30 s. Stream entries with explicit ids stand for entries of a given age and instance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MemorySnapshotStore } from '../src/storage/memory-snapshots';
import { RedisRoomLog, streamKey } from '../src/storage/redis-log';
import { SplitStorage } from '../src/storage/split';
import { startRedis, type RedisServer } from './harness/redis-server';
import { waitFor } from './harness/wait';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
});

/** One-key updates `k0`…, each as a Yjs update of its own, and the snapshot of all of them. */
function updates(count: number): { updates: Uint8Array[]; snapshotOf: (n: number) => Uint8Array } {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let k = 0; k < count; k++) doc.getMap('m').set(`k${k}`, k);
  return {
    updates: out,
    snapshotOf: (n) => {
      const part = new Y.Doc();
      for (const u of out.slice(0, n)) Y.applyUpdate(part, u);
      return Y.encodeStateAsUpdate(part);
    },
  };
}

/** An instance's storage on the shared Redis and snapshot store. */
function instance(id: string, snapshots: MemorySnapshotStore): { log: RedisRoomLog; storage: SplitStorage } {
  const log = RedisRoomLog.connect(redis.url, { instanceId: id });
  return { log, storage: new SplitStorage(log, snapshots) };
}

/** Adds a stream entry with a chosen id (its time part says how old it is) and instance. */
async function xadd(log: RedisRoomLog, room: string, id: string, update: Uint8Array, origin: string): Promise<void> {
  await log.redis.xadd(streamKey(room), id, 'u', Buffer.from(update), 'i', origin);
}

const streamIds = async (log: RedisRoomLog, room: string) => (await log.redis.xrange(streamKey(room), '-', '+')).map(([id]) => id);

async function keysAfterLoad(storage: SplitStorage, room: string): Promise<string[]> {
  const stored = await storage.load(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return [...doc.getMap('m').keys()].sort();
}

describe('compaction with several instances on one Redis', () => {
  it('SCALE-3: a room is compacted by one instance at a time, and the lock of one that died expires', async () => {
    const snapshots = new MemorySnapshotStore();
    const a = instance('instance-a', snapshots);
    const b = instance('instance-b', snapshots);
    const room = 'user/default/workflow/locked';
    const { updates: [u0], snapshotOf } = updates(1);
    await a.storage.append(room, [u0!]);
    const [logged] = await streamIds(a.log, room);
    await a.storage.load(room);

    // B holds the lock (500 ms expiry) and never lets go, as an instance killed mid-compaction.
    let holding = false;
    void b.log.withLock(room, 500, () => {
      holding = true;
      return new Promise<void>(() => undefined);
    });
    await waitFor(() => holding, 'B to hold the lock');
    await a.storage.compact(room, snapshotOf(1));
    expect(await snapshots.get(room), 'a snapshot written while another instance held the lock').toBeNull();

    await new Promise((r) => setTimeout(r, 600));
    await a.storage.compact(room, snapshotOf(1));
    expect((await snapshots.get(room))?.upTo, 'the snapshot once the lock expired').toBe(logged);
    await Promise.all([a.storage.close(), b.storage.close()]);
  });

  it('SCALE-3: the snapshot covers the stream as far as the room read it in order, and only old, covered entries are trimmed', async () => {
    const snapshots = new MemorySnapshotStore();
    const a = instance('instance-a', snapshots);
    const { updates: u, snapshotOf } = updates(4);

    // Old entries: A's room read two, then B appended one A has not read, then A one of its own.
    const room = 'user/default/workflow/positions';
    await xadd(a.log, room, '1000-1', u[0]!, 'instance-a');
    await xadd(a.log, room, '1000-2', u[1]!, 'instance-a');
    await a.storage.load(room);
    await xadd(a.log, room, '1000-3', u[2]!, 'instance-b');
    await xadd(a.log, room, '1000-4', u[3]!, 'instance-a');
    await a.storage.compact(room, snapshotOf(2));
    expect((await snapshots.get(room))?.upTo, "the snapshot stops before B's unread entry").toBe('1000-2');
    expect(await streamIds(a.log, room), 'trimmed up to the snapshot, not past it').toEqual(['1000-3', '1000-4']);

    // A read beside the loaded room (the mirrors read what is stored) moves no position: had it
    // recorded one past B's entry, the next compaction would cover an entry the room never applied.
    const beside = 'user/default/workflow/read-beside';
    const besideEdits = updates(3);
    await xadd(a.log, beside, '1000-1', besideEdits.updates[0]!, 'instance-a');
    await xadd(a.log, beside, '1000-2', besideEdits.updates[1]!, 'instance-a');
    await a.storage.load(beside);
    await xadd(a.log, beside, '1000-3', besideEdits.updates[2]!, 'instance-b');
    expect((await a.storage.read(beside)).updates, 'the read sees everything stored').toHaveLength(3);
    await a.storage.compact(beside, besideEdits.snapshotOf(2));
    expect((await snapshots.get(beside))?.upTo, 'the read did not move the room past the entry it has not applied').toBe('1000-2');

    // This instance's own entries past what the room read are in its document, so covered too.
    const own = 'user/default/workflow/own-entries';
    const ownEdits = updates(2);
    await xadd(a.log, own, '1000-1', ownEdits.updates[0]!, 'instance-a');
    await a.storage.load(own);
    await xadd(a.log, own, '1000-2', ownEdits.updates[1]!, 'instance-a');
    await a.storage.compact(own, ownEdits.snapshotOf(2));
    expect((await snapshots.get(own))?.upTo).toBe('1000-2');
    expect(await streamIds(a.log, own)).toEqual([]);

    // Entries younger than 30 s stay after compaction: another instance may not have read them.
    const young = 'user/default/workflow/young';
    const youngEdits = updates(2);
    await a.storage.append(young, youngEdits.updates);
    const ids = await streamIds(a.log, young);
    await a.storage.load(young);
    await a.storage.compact(young, youngEdits.snapshotOf(2));
    expect((await snapshots.get(young))?.upTo).toBe(ids[1]);
    expect(await streamIds(a.log, young), 'young entries kept').toEqual(ids);
    await a.storage.close();

    // Another instance, starting afresh, loads each room whole from snapshot plus stream.
    const b = instance('instance-b', snapshots);
    expect(await keysAfterLoad(b.storage, room)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(await keysAfterLoad(b.storage, own)).toEqual(['k0', 'k1']);
    expect(await keysAfterLoad(b.storage, young)).toEqual(['k0', 'k1']);
    await b.storage.close();
  });
});
