import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot, SnapshotStore } from '../src/storage/snapshot-store';
import { InvalidNameError } from '../src/storage/storage';
import { UNPARSEABLE_ROOMS } from './storage-contract';

/**
 * The contract every `SnapshotStore` passes (memory, S3). `open` makes a store (empty, or at
 * least without the rooms these tests use: each run makes its room names unique); `reopen` (for
 * persistent stores) opens the same data again after `close`, as a restarted server would.
 */
export interface SnapshotContractTarget {
  open(): Promise<SnapshotStore>;
  reopen?: (closed: SnapshotStore) => Promise<SnapshotStore>;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/** Runs the snapshot-store contract against one backend. */
export function snapshotStoreContract(name: string, target: SnapshotContractTarget): void {
  describe(`snapshot store contract: ${name}`, () => {
    const open: SnapshotStore[] = [];
    const fresh = async () => {
      const s = await target.open();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close().catch(() => undefined);
    });
    // Stores may share a backend between tests (one S3 bucket per file): room ids are unique per run.
    let n = 0;
    const run = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
    const room = (base = 'user/alice/workflow') => `${base}/${run}-${++n}`;

    it('SNAP-1: a room without a snapshot gets null', async () => {
      const s = await fresh();
      expect(await s.get(room())).toBeNull();
    });

    it('SNAP-2: put then get round-trips the bytes and upTo (null or an id)', async () => {
      const s = await fresh();
      const a = room();
      const b = room();
      const empty = room();
      await s.put(a, { data: new Uint8Array([0, 1, 2, 255, 128, 0]), upTo: null });
      await s.put(b, { data: new Uint8Array([9, 8, 7]), upTo: '1700000000000-5' });
      await s.put(empty, { data: new Uint8Array(0), upTo: '0-1' });
      const ga = await s.get(a);
      expect(ga?.upTo).toBeNull();
      expect([...(ga?.data ?? [])]).toEqual([0, 1, 2, 255, 128, 0]);
      const gb = await s.get(b);
      expect(gb?.upTo).toBe('1700000000000-5');
      expect([...(gb?.data ?? [])]).toEqual([9, 8, 7]);
      const ge = await s.get(empty);
      expect(ge?.upTo).toBe('0-1');
      expect(ge?.data.length).toBe(0);
    });

    it('SNAP-3: a 2 MB snapshot round-trips byte for byte', async () => {
      const s = await fresh();
      const r = room();
      const data = new Uint8Array(randomBytes(2 * 1024 * 1024));
      await s.put(r, { data, upTo: '1700000000000-5' });
      const got = await s.get(r);
      expect(got?.upTo).toBe('1700000000000-5');
      expect(got?.data.length).toBe(data.length);
      expect(same(got!.data, data)).toBe(true);
    });

    it('SNAP-4: put replaces the snapshot, upTo included', async () => {
      const s = await fresh();
      const r = room();
      await s.put(r, { data: new Uint8Array(randomBytes(5000)), upTo: '1700000000000-5' });
      await s.put(r, { data: new Uint8Array([42]), upTo: '1700000000001-0' });
      expect(await s.get(r)).toEqual({ data: new Uint8Array([42]), upTo: '1700000000001-0' });
      await s.put(r, { data: new Uint8Array([43, 44]), upTo: null });
      expect(await s.get(r)).toEqual({ data: new Uint8Array([43, 44]), upTo: null });
    });

    it('SNAP-5: the stored snapshot is a copy, not the caller’s buffer', async () => {
      const s = await fresh();
      const r = room();
      const data = new Uint8Array([1, 2, 3]);
      await s.put(r, { data, upTo: null });
      data[0] = 99;
      const got = await s.get(r);
      expect([...got!.data]).toEqual([1, 2, 3]);
      got!.data[1] = 99;
      expect([...(await s.get(r))!.data]).toEqual([1, 2, 3]);
    });

    it('SNAP-6: rooms are independent, names that differ only by "-", "_" or volume included', async () => {
      const s = await fresh();
      const rooms = [
        `team/t-1/workflow/a_b-${run}`,
        `user/alice/workflow/abc-${run}`,
        `user/alice-${run}`,
        // Names that a careless key scheme could confuse with each other.
        `user/a-b-${run}`,
        `user/a_b-${run}`,
        `team/a-b-${run}`,
        `user/a-b-${run}/session/a-b`,
      ];
      await Promise.all(rooms.map((r, i) => s.put(r, { data: new Uint8Array([i, i + 1]), upTo: `${i}-0` })));
      for (const [i, r] of rooms.entries()) {
        expect(await s.get(r), r).toEqual({ data: new Uint8Array([i, i + 1]), upTo: `${i}-0` });
      }
      expect(await s.get(`team/t-1/workflow/a_b-${run}x`)).toBeNull();
      expect(await s.get(`team/t-1-${run}`)).toBeNull();
    });

    it('SNAP-7: list names every room with a snapshot, once each', async () => {
      const s = await fresh();
      const rooms = [room('team/t-1/workflow'), room('user/bob/session'), room('system/system/workflow'), `team/a_b-${run}-list`];
      for (const r of rooms) await s.put(r, { data: new Uint8Array([1]), upTo: null });
      await s.put(rooms[0]!, { data: new Uint8Array([2]), upTo: '5-0' });
      const listed = await s.list();
      expect(listed).toEqual(expect.arrayContaining(rooms));
      expect(new Set(listed).size).toBe(listed.length);
      expect(listed).not.toContain(room());
    });

    it('SNAP-8: a reader during a replace sees the old snapshot or the new one, whole', async () => {
      const s = await fresh();
      const r = room();
      const versions: Snapshot[] = [
        { data: new Uint8Array(randomBytes(300_000)), upTo: '1-0' },
        { data: new Uint8Array(randomBytes(200_000)), upTo: '2-0' },
      ];
      await s.put(r, versions[0]!);
      const reads: Promise<Snapshot | null>[] = [];
      for (let i = 0; i < 6; i++) {
        const write = s.put(r, versions[(i + 1) % 2]!);
        reads.push(s.get(r));
        await write;
      }
      for (const got of await Promise.all(reads)) {
        expect(got).not.toBeNull();
        const match = versions.find((v) => v.upTo === got!.upTo);
        expect(match, `upTo ${got!.upTo}`).toBeDefined();
        expect(same(got!.data, match!.data)).toBe(true);
      }
    });

    it('SNAP-12: delete removes a room\'s snapshot and leaves the others; deleting a missing one is fine', async () => {
      const s = await fresh();
      const gone = room();
      const kept = room();
      await s.put(gone, { data: new Uint8Array([1, 2]), upTo: '5-0' });
      await s.put(kept, { data: new Uint8Array([3]), upTo: null });
      await s.delete(gone);
      expect(await s.get(gone)).toBeNull();
      expect(await s.list()).not.toContain(gone);
      expect(await s.get(kept)).toEqual({ data: new Uint8Array([3]), upTo: null });
      await s.delete(gone);
      await s.delete(room());
    });

    it('SNAP-9: health reports ok', async () => {
      const s = await fresh();
      expect(await s.health()).toMatchObject({ ok: true });
    });

    it('SNAP-11: a room name that does not parse is refused with an InvalidNameError, and nothing is stored', async () => {
      const s = await fresh();
      for (const r of UNPARSEABLE_ROOMS) {
        await expect(s.get(r), r).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.put(r, { data: new Uint8Array([1]), upTo: null }), r).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.delete(r), r).rejects.toBeInstanceOf(InvalidNameError);
      }
      expect((await s.list()).filter((r) => UNPARSEABLE_ROOMS.includes(r))).toEqual([]);
    });

    if (target.reopen) {
      const reopen = target.reopen;
      it('SNAP-10: snapshots survive a close and reopen', async () => {
        const s = await target.open();
        const r = room();
        const data = new Uint8Array(randomBytes(10_000));
        await s.put(r, { data, upTo: '1700000000000-5' });
        await s.close();
        const again = await reopen(s);
        open.push(again);
        const got = await again.get(r);
        expect(got?.upTo).toBe('1700000000000-5');
        expect(same(got!.data, data)).toBe(true);
        expect(await again.list()).toContain(r);
      });
    }
  });
}
