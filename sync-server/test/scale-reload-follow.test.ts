// SCALE-2 when a room loads again on an instance that still follows its log for the room's
// previous document (a room whose write failed while Redis was away is dropped and loads afresh,
// its follower still reading): the new document must get every entry after what its load read.
// The load reads the log, then the snapshot (S3: a request away); if the old follower reads
// further meanwhile, its next read is already waiting from there when the load sets the
// position back to where its own read ended. Taking that read's result skipped the entries in
// between for good (seen in the dependencies chaos scenario as one room splitting in two states).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/storage/snapshot-store';
import { MemorySnapshotStore } from '../src/storage/memory-snapshots';
import { RedisRoomLog } from '../src/storage/redis-log';
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

/** Snapshots whose next `get` waits until the test lets it go, as a slow S3 request would. */
class HeldSnapshots extends MemorySnapshotStore {
  private held: Promise<void> | null = null;
  private letGo: () => void = () => undefined;

  hold(): void {
    this.held = new Promise((resolve) => (this.letGo = resolve));
  }

  release(): void {
    this.letGo();
  }

  override async get(room: string): Promise<Snapshot | null> {
    const held = this.held;
    this.held = null;
    await held;
    return super.get(room);
  }
}

const text = (u: Uint8Array) => Buffer.from(u).toString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a room loaded again while its previous document still follows the log', () => {
  it('SCALE-2: the new document gets every entry after what its load read', async () => {
    const snapshots = new HeldSnapshots();
    const a = new SplitStorage(RedisRoomLog.connect(redis.url, { instanceId: 'instance-a' }), snapshots);
    const b = new SplitStorage(RedisRoomLog.connect(redis.url, { instanceId: 'instance-b' }), snapshots);
    try {
      const room = 'user/default/workflow/reload-while-following';
      const enc = (s: string) => new Uint8Array(Buffer.from(s));
      await b.append(room, [enc('e0')]);

      // The room's previous document on A, still following.
      await a.load(room);
      const old: string[] = [];
      a.replication!.follow(room, (entries) => old.push(...entries.map((e) => text(e.update))));

      // A loads the room again: its log read ends at e0, its snapshot read is held.
      snapshots.hold();
      const loading = a.load(room);
      await sleep(100);
      // Meanwhile B appends, the previous document's follower reads it, and its next read waits.
      await b.append(room, [enc('e1'), enc('e2')]);
      await waitFor(() => old.includes('e2'), 'the previous follower to read e1 and e2');
      await sleep(100);
      snapshots.release();
      const stored = await loading;
      expect(stored.updates.map(text), 'what the new load read').toEqual(['e0']);

      const fresh: string[] = [];
      a.replication!.follow(room, (entries) => fresh.push(...entries.map((e) => text(e.update))));
      await b.append(room, [enc('e3')]);
      await waitFor(() => fresh.includes('e3'), 'the new follower to read e3');
      expect(fresh, 'what the new document got after its load').toEqual(['e1', 'e2', 'e3']);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
