// The edge's read of volume indexes (edge/shared-reads.ts): connections that arrive while an
// index is being read share that read (one storage read, one decode), and nothing is kept after
// it, so the next read sees what was stored since. Measured under load by the chaos suite's
// `load` scenario (its "volume-index read per connection" row).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sharedStoredReader } from '../src/edge/shared-reads';
import { FileStorage } from '../src/storage/file';
import type { Storage } from '../src/storage/storage';

const opened: Array<{ storage: FileStorage; dir: string }> = [];
afterEach(async () => {
  for (const { storage, dir } of opened.splice(0)) {
    await storage.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
});

/** A real file storage whose reads are counted. */
async function countedStorage(): Promise<{ storage: FileStorage; reads: () => number; read: Pick<Storage, 'read'> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-shared-reads-'));
  const storage = await FileStorage.open(dir);
  opened.push({ storage, dir });
  let reads = 0;
  return { storage, reads: () => reads, read: { read: (room) => (reads++, storage.read(room)) } };
}

/** One writer per test, its changes in order, so a later value of a key replaces the earlier one. */
let writer = new Y.Doc();
beforeEach(() => {
  writer = new Y.Doc();
});
function updateSetting(key: string, value: string): Uint8Array {
  let update: Uint8Array | undefined;
  writer.once('update', (u: Uint8Array) => (update = u));
  writer.getMap('m').set(key, value);
  return update as Uint8Array;
}

const ROOM = 'user/alice';
const valueOf = (key: string) => (doc: Y.Doc) => doc.getMap<string>('m').get(key);

describe('shared stored reads (the edge’s volume-index reads)', () => {
  it('reads that overlap share one storage read, and each gets its own answer from the same document', async () => {
    const { storage, reads, read } = await countedStorage();
    await storage.append(ROOM, [updateSetting('a', 'one'), updateSetting('b', 'two')]);
    const reader = sharedStoredReader(read);
    const answers = await Promise.all([reader.read(ROOM, valueOf('a')), reader.read(ROOM, valueOf('b')), ...Array.from({ length: 48 }, () => reader.read(ROOM, valueOf('a')))]);
    expect(answers.slice(0, 3)).toEqual(['one', 'two', 'one']);
    expect(answers.every((a, i) => a === (i === 1 ? 'two' : 'one'))).toBe(true);
    expect(reads()).toBe(1);
  });

  it('keeps nothing once a read is over: the next read sees what was stored since', async () => {
    const { storage, reads, read } = await countedStorage();
    await storage.append(ROOM, [updateSetting('a', 'one')]);
    const reader = sharedStoredReader(read);
    expect(await reader.read(ROOM, valueOf('a'))).toBe('one');
    await storage.append(ROOM, [updateSetting('a', 'changed')]);
    expect(await reader.read(ROOM, valueOf('a'))).toBe('changed');
    expect(reads()).toBe(2);
  });

  it('reads of different rooms are not shared', async () => {
    const { storage, reads, read } = await countedStorage();
    await storage.append(ROOM, [updateSetting('a', 'alice')]);
    writer = new Y.Doc();
    await storage.append('user/bob', [updateSetting('a', 'bob')]);
    const reader = sharedStoredReader(read);
    expect(await Promise.all([reader.read(ROOM, valueOf('a')), reader.read('user/bob', valueOf('a'))])).toEqual(['alice', 'bob']);
    expect(reads()).toBe(2);
  });

  it('a reader whose question throws fails alone; a storage read that fails fails every reader sharing it', async () => {
    const { storage, read } = await countedStorage();
    await storage.append(ROOM, [updateSetting('a', 'one')]);
    const reader = sharedStoredReader(read);
    const [bad, good] = await Promise.allSettled([
      reader.read(ROOM, () => {
        throw new Error('this question fails');
      }),
      reader.read(ROOM, valueOf('a')),
    ]);
    expect(bad).toMatchObject({ status: 'rejected', reason: { message: 'this question fails' } });
    expect(good).toEqual({ status: 'fulfilled', value: 'one' });

    const broken = sharedStoredReader({ read: () => Promise.reject(new Error('storage is down')) });
    const both = await Promise.allSettled([broken.read(ROOM, valueOf('a')), broken.read(ROOM, valueOf('a'))]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    // And the failure is not remembered: a later read tries storage again.
    let tries = 0;
    const flaky = sharedStoredReader({ read: (room) => (++tries === 1 ? Promise.reject(new Error('once')) : storage.read(room)) });
    await expect(flaky.read(ROOM, valueOf('a'))).rejects.toThrow('once');
    expect(await flaky.read(ROOM, valueOf('a'))).toBe('one');
  });
});
