import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { InvalidNameError, type Storage } from '../src/storage/storage';

/**
 * The one contract every storage backend passes (memory, file, and later Redis and S3).
 * `open` makes a fresh empty storage; `reopen` (for persistent backends) opens the same data
 * again after `close`, as a restarted server would.
 */
/** Room names that no backend may turn into a path or a key (issue 8): each is refused. */
export const UNPARSEABLE_ROOMS = [
  '',
  '..',
  '../x',
  'user/..',
  'user/../../etc/passwd',
  '/etc/passwd',
  'user/a%2Fb',
  'user/a/b',
  'user/a b',
  'user/a:b',
  'user/*',
  'user/{x}',
  'user/ünï',
  'user/a\0b',
  'user/..\\x',
  'user/x/session/..',
  'user/x/session/a.b',
  'system/other',
  `user/${'x'.repeat(200)}`,
];

export interface ContractTarget {
  open(): Promise<Storage>;
  reopen?: (closed: Storage) => Promise<Storage>;
}

const bytes = (...values: number[]) => new Uint8Array(values);

function docUpdates(count: number): { updates: Uint8Array[]; doc: Y.Doc } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i}`, i);
  return { updates, doc };
}

function rebuild(stored: { snapshot: Uint8Array | null; updates: Uint8Array[] }): Y.Doc {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

/** Runs the storage contract against one backend. */
export function storageContract(name: string, target: ContractTarget): void {
  describe(`storage contract: ${name}`, () => {
    const open: Storage[] = [];
    const fresh = async () => {
      const s = await target.open();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close().catch(() => undefined);
    });

    it('STORE-1: a room never written loads empty', async () => {
      const s = await fresh();
      expect(await s.load('user/u1/workflow/none')).toEqual({ snapshot: null, updates: [] });
    });

    it('STORE-2: appended updates load back in order, byte for byte', async () => {
      const s = await fresh();
      await s.append('user/u1', [bytes(1, 2, 3)]);
      await s.append('user/u1', [bytes(4), bytes(5, 6)]);
      const loaded = await s.load('user/u1');
      expect(loaded.snapshot).toBeNull();
      expect(loaded.updates.map((u) => [...u])).toEqual([[1, 2, 3], [4], [5, 6]]);
    });

    it('STORE-3: rooms are independent', async () => {
      const s = await fresh();
      await s.append('user/u1/session/a', [bytes(1)]);
      await s.append('user/u1/session/b', [bytes(2)]);
      await s.append('team/t-1/workflow/a_b', [bytes(3)]);
      expect((await s.load('user/u1/session/a')).updates.map((u) => [...u])).toEqual([[1]]);
      expect((await s.load('user/u1/session/b')).updates.map((u) => [...u])).toEqual([[2]]);
      expect((await s.load('team/t-1/workflow/a_b')).updates.map((u) => [...u])).toEqual([[3]]);
      expect(await s.list()).toEqual(expect.arrayContaining(['user/u1/session/a', 'user/u1/session/b', 'team/t-1/workflow/a_b']));
    });

    it('STORE-4: compaction replaces the log with a snapshot; later appends follow it', async () => {
      const s = await fresh();
      const { updates, doc } = docUpdates(50);
      await s.append('user/u1/workflow/w', updates);
      await s.compact('user/u1/workflow/w', Y.encodeStateAsUpdate(doc));
      let loaded = await s.load('user/u1/workflow/w');
      expect(loaded.updates).toEqual([]);
      expect(rebuild(loaded).getMap('m').size).toBe(50);
      doc.on('update', (u: Uint8Array) => void s.append('user/u1/workflow/w', [u]));
      doc.getMap('m').set('late', 1);
      await new Promise((r) => setTimeout(r, 20));
      loaded = await s.load('user/u1/workflow/w');
      expect(loaded.updates.length).toBe(1);
      expect(rebuild(loaded).getMap('m').get('late')).toBe(1);
    });

    it('STORE-5: a large update and many small ones round-trip into the same document', async () => {
      const s = await fresh();
      const big = new Y.Doc();
      big.getText('t').insert(0, 'x'.repeat(1_000_000));
      const { updates, doc } = docUpdates(1000);
      await s.append('user/u1/workflow/big', [Y.encodeStateAsUpdate(big)]);
      await s.append('user/u1/workflow/big', updates);
      const rebuilt = rebuild(await s.load('user/u1/workflow/big'));
      expect(rebuilt.getText('t').length).toBe(1_000_000);
      expect(rebuilt.getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
    });

    it('STORE-6: release frees a room without losing it', async () => {
      const s = await fresh();
      await s.append('user/u1', [bytes(7)]);
      await s.release('user/u1');
      await s.append('user/u1', [bytes(8)]);
      expect((await s.load('user/u1')).updates.map((u) => [...u])).toEqual([[7], [8]]);
    });

    it('STORE-7: health reports ok', async () => {
      const s = await fresh();
      expect((await s.health()).ok).toBe(true);
    });

    it('STORE-10: read gives what load gives, without loading the room', async () => {
      const s = await fresh();
      const { updates, doc } = docUpdates(20);
      await s.append('user/u1/workflow/r', updates.slice(0, 10));
      await s.compact('user/u1/workflow/r', Y.encodeStateAsUpdate(rebuild({ snapshot: null, updates: updates.slice(0, 10) })));
      await s.append('user/u1/workflow/r', updates.slice(10));
      const read = await s.read('user/u1/workflow/r');
      expect(read.updates).toHaveLength(10);
      expect(rebuild(read).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      expect(await s.read('user/u1/workflow/none')).toEqual({ snapshot: null, updates: [] });
      await expect(s.read('user/..'), 'a name that does not parse').rejects.toBeInstanceOf(InvalidNameError);
    });

    it('STORE-9: a room name that does not parse is refused with an InvalidNameError, and nothing is stored', async () => {
      const s = await fresh();
      for (const room of UNPARSEABLE_ROOMS) {
        await expect(s.load(room), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.append(room, [bytes(1)]), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.compact(room, bytes(1)), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(s.delete(room), room).rejects.toBeInstanceOf(InvalidNameError);
      }
      expect((await s.list()).filter((room) => UNPARSEABLE_ROOMS.includes(room))).toEqual([]);
    });

    it('STORE-11: delete removes a room for good (snapshot and log), leaves the others, and a room written again afterwards holds only the new updates', async () => {
      const s = await fresh();
      const room = 'user/u1/workflow/gone';
      const { updates, doc } = docUpdates(20);
      await s.append(room, updates.slice(0, 10));
      await s.compact(room, Y.encodeStateAsUpdate(rebuild({ snapshot: null, updates: updates.slice(0, 10) })));
      await s.append(room, updates.slice(10));
      await s.append('user/u1/workflow/kept', [bytes(4)]);
      expect(rebuild(await s.load(room)).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      await s.release(room);
      await s.delete(room);
      expect(await s.load(room)).toEqual({ snapshot: null, updates: [] });
      expect(await s.read(room)).toEqual({ snapshot: null, updates: [] });
      expect(await s.list()).not.toContain(room);
      expect((await s.load('user/u1/workflow/kept')).updates.map((u) => [...u])).toEqual([[4]]);
      // Deleting what is not there (again, or never written) is fine: a purge cut short runs again.
      await s.delete(room);
      await s.delete('user/u1/workflow/never');
      await s.append(room, [bytes(5)]);
      const reborn = await s.load(room);
      expect({ snapshot: reborn.snapshot, updates: reborn.updates.map((u) => [...u]) }).toEqual({ snapshot: null, updates: [[5]] });
      expect(await s.list()).toContain(room);
    });

    if (target.reopen) {
      const reopen = target.reopen;
      it('STORE-11: a deleted room stays deleted after a close and reopen', async () => {
        const s = await target.open();
        const { updates, doc } = docUpdates(10);
        await s.append('user/u1/workflow/del', updates.slice(0, 5));
        await s.compact('user/u1/workflow/del', Y.encodeStateAsUpdate(rebuild({ snapshot: null, updates: updates.slice(0, 5) })));
        await s.append('user/u1/workflow/del', updates.slice(5));
        await s.append('user/u1/workflow/stays', updates);
        await s.delete('user/u1/workflow/del');
        await s.close();
        const again = await reopen(s);
        open.push(again);
        expect(await again.load('user/u1/workflow/del')).toEqual({ snapshot: null, updates: [] });
        expect(await again.list()).not.toContain('user/u1/workflow/del');
        expect(rebuild(await again.load('user/u1/workflow/stays')).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
      });

      it('STORE-8: what was appended and compacted survives a close and reopen', async () => {
        const s = await target.open();
        const { updates, doc } = docUpdates(30);
        await s.append('user/u1/workflow/a', updates.slice(0, 10));
        await s.compact('user/u1/workflow/a', Y.encodeStateAsUpdate(rebuild({ snapshot: null, updates: updates.slice(0, 10) })));
        await s.append('user/u1/workflow/a', updates.slice(10));
        await s.append('user/u1/workflow/b', [bytes(9)]);
        await s.close();
        const again = await reopen(s);
        open.push(again);
        expect(rebuild(await again.load('user/u1/workflow/a')).getMap('m').toJSON()).toEqual(doc.getMap('m').toJSON());
        expect((await again.load('user/u1/workflow/b')).updates.map((u) => [...u])).toEqual([[9]]);
        expect(await again.list()).toEqual(expect.arrayContaining(['user/u1/workflow/a', 'user/u1/workflow/b']));
      });
    }
  });
}
