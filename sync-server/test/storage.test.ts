import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { SplitStorage } from '../src/storage/split';
import { MemoryStorage } from '../src/storage/memory';
import type { StoredRoom } from '../src/storage/storage';
import { storageContract } from './storage-contract';

const dirs: string[] = [];
const dirOf = new WeakMap<object, string>();
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

storageContract('memory', { open: async () => new MemoryStorage() });

storageContract('file', {
  open: async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-store-'));
    dirs.push(dir);
    const storage = await FileStorage.open(dir);
    dirOf.set(storage, dir);
    return storage;
  },
  reopen: async (closed) => FileStorage.open(dirOf.get(closed) as string),
});

storageContract('file log + file snapshots (split)', {
  open: async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-split-'));
    dirs.push(dir);
    const storage = new SplitStorage(await FileRoomLog.open(dir), await FileSnapshotStore.open(dir));
    dirOf.set(storage, dir);
    return storage;
  },
  reopen: async (closed) => {
    const dir = dirOf.get(closed) as string;
    return new SplitStorage(await FileRoomLog.open(dir), await FileSnapshotStore.open(dir));
  },
});

describe('file room log (S3 snapshots without Redis)', () => {
  const room = 'user/alice/workflow/w';
  const updatesOf = (n: number, prefix: string) => {
    const doc = new Y.Doc();
    const out: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => out.push(u));
    for (let i = 0; i < n; i++) doc.getMap('m').set(`${prefix}${i}`, i);
    return { doc, out };
  };
  const openSplit = async (dir: string) => new SplitStorage(await FileRoomLog.open(dir), await FileSnapshotStore.open(dir));
  const keysOf = (stored: StoredRoom) => {
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    return [...doc.getMap('m').keys()].sort();
  };

  it('cuts a torn tail left by a crash, so updates appended afterwards are read back', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-log-'));
    dirs.push(dir);
    const { out } = updatesOf(2, 'k');
    let log = await FileRoomLog.open(dir);
    await log.append(room, [out[0]!]);
    await log.close();
    // A crash in the middle of the next record's write.
    await fs.appendFile(path.join(dir, 'logs', `${encodeURIComponent(room)}.log`), Buffer.from([9, 0, 0, 0, 1, 2]));
    log = await FileRoomLog.open(dir);
    expect(await log.append(room, [out[1]!])).toEqual(['2']);
    await log.close();
    log = await FileRoomLog.open(dir);
    expect((await log.read(room, null)).map((e) => e.id)).toEqual(['1', '2']);
    await log.close();
  });

  it('after a compaction that covers the whole log and a restart, new updates are still loaded', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-log-'));
    dirs.push(dir);
    const { doc, out } = updatesOf(3, 'before');
    let storage = await openSplit(dir);
    await storage.append(room, out.splice(0));
    await storage.compact(room, Y.encodeStateAsUpdate(doc));
    await storage.close();
    storage = await openSplit(dir);
    doc.getMap('m').set('after-restart', 1);
    await storage.append(room, out.splice(0));
    await storage.close();
    storage = await openSplit(dir);
    expect(keysOf(await storage.load(room))).toEqual(['after-restart', 'before0', 'before1', 'before2']);
    await storage.close();
  });
});
