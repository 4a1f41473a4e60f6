import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { decodeRecords, encodeRecord } from '../src/storage/log-record';
import { SplitStorage } from '../src/storage/split';
import { MemoryStorage } from '../src/storage/memory';
import { MemorySnapshotStore } from '../src/storage/memory-snapshots';
import type { RoomLog } from '../src/storage/room-log';
import type { SnapshotStore } from '../src/storage/snapshot-store';
import type { Storage, StoredRoom } from '../src/storage/storage';
import { roomLogContract } from './room-log-contract';
import { snapshotStoreContract } from './snapshot-store-contract';
import { storageContract } from './storage-contract';

const dirs: string[] = [];
const dirOf = new WeakMap<object, string>();
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

storageContract('memory', { open: async () => new MemoryStorage() });

/** A fresh DATA_DIR, removed after this file. */
async function freshDir(prefix: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** `open` makes a backend in a fresh DATA_DIR; `reopen` makes one again on the data of a closed one. */
function persistent<T extends object>(prefix: string, make: (dir: string) => Promise<T>) {
  const remembered = async (dir: string) => {
    const backend = await make(dir);
    dirOf.set(backend, dir);
    return backend;
  };
  return { open: async () => remembered(await freshDir(prefix)), reopen: async (closed: T) => remembered(dirOf.get(closed) as string) };
}

storageContract('file', persistent<Storage>('llmunix-store-', (dir) => FileStorage.open(dir)));

storageContract(
  'file log + file snapshots (split)',
  persistent<Storage>('llmunix-split-', async (dir) => new SplitStorage(await FileRoomLog.open(dir), await FileSnapshotStore.open(dir))),
);

snapshotStoreContract('memory', { open: async () => new MemorySnapshotStore() });
snapshotStoreContract('file', persistent<SnapshotStore>('llmunix-snap-', (dir) => FileSnapshotStore.open(dir)));

roomLogContract('file', {
  ...persistent<RoomLog>('llmunix-log-', (dir) => FileRoomLog.open(dir)),
  // Half of the next record: its header promising 1000 bytes, and a few of them.
  tear: async (log, room) => {
    const torn = Buffer.alloc(21);
    torn.writeUInt32LE(1000, 0);
    await fs.appendFile(path.join(dirOf.get(log) as string, 'logs', `${encodeURIComponent(room)}.log`), torn);
  },
  addStrays: async (log) => {
    for (const stray of ['%zz', '..%2Fx', 'user%2Fa%252Fb', 'nope%2Fx', '.format']) await fs.writeFile(path.join(dirOf.get(log) as string, 'logs', `${stray}.log`), '');
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
    const dir = await freshDir('llmunix-log-');
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
    const dir = await freshDir('llmunix-log-');
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

describe('DUR-5: a crash at any point of a file compaction leaves a room that loads whole', () => {
  const room = 'user/alice/workflow/c';
  const file = (dir: string, ext: string) => path.join(dir, 'rooms', `${encodeURIComponent(room)}.${ext}`);
  const keysOf = async (storage: FileStorage) => {
    const stored = await storage.load(room);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(doc, u);
    return { keys: doc.getMap('m').size, logged: stored.updates.length };
  };
  /** A room with a snapshot of 5 keys and 5 more logged after it. */
  const roomWithLog = async () => {
    const dir = await freshDir('llmunix-compact-');
    const storage = await FileStorage.open(dir);
    const doc = new Y.Doc();
    doc.on('update', (u: Uint8Array) => void storage.append(room, [u]));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`a${i}`, i);
    await storage.compact(room, Y.encodeStateAsUpdate(doc));
    for (let i = 0; i < 5; i++) doc.getMap('m').set(`b${i}`, i);
    await storage.close();
    return { dir, doc };
  };

  it('while the snapshot or the trimmed log is written: their temporary files are ignored', async () => {
    const { dir } = await roomWithLog();
    await fs.writeFile(`${file(dir, 'snapshot')}.tmp`, Buffer.from([1, 2, 3]));
    await fs.writeFile(`${file(dir, 'log')}.tmp`, Buffer.from([4, 5]));
    const storage = await FileStorage.open(dir);
    expect(await keysOf(storage)).toEqual({ keys: 10, logged: 5 });
    expect(await storage.list()).toEqual([room]);
    await storage.close();
  });

  it('after the new snapshot is in place but before the log is trimmed: the entries it covers are skipped', async () => {
    const { dir, doc } = await roomWithLog();
    const log = await FileRoomLog.open(dir, 'rooms');
    const newest = (await log.read(room, null)).at(-1)!.id;
    await log.close();
    await (await FileSnapshotStore.open(dir, 'rooms')).put(room, { data: Y.encodeStateAsUpdate(doc), upTo: newest });
    const storage = await FileStorage.open(dir);
    expect(await keysOf(storage)).toEqual({ keys: 10, logged: 0 });
    await storage.close();
  });
});

describe('DUR-4: the file log record format', () => {
  it('is u32 length | u32 crc32 (zlib, of sequence and update) | u64 sequence | update, and decodes back, at every size', () => {
    for (let size = 0; size <= 300; size++) {
      const update = new Uint8Array(size).map((_, i) => (i * 31 + size) % 256);
      const seq = size * 2 ** 33 + 7;
      const bytes = Buffer.concat(encodeRecord(seq, update));
      const body = bytes.subarray(8);
      expect(bytes.readUInt32LE(0), `size ${size}`).toBe(size);
      expect(bytes.readUInt32LE(4), `size ${size}`).toBe(crc32(body));
      expect(body.readBigUInt64LE(0), `size ${size}`).toBe(BigInt(seq));
      expect(Buffer.from(body.subarray(8)).equals(Buffer.from(update)), `size ${size}`).toBe(true);
      const { records, validLength } = decodeRecords(Buffer.concat([bytes, bytes.subarray(0, 11)]));
      expect(validLength).toBe(bytes.length);
      expect(records.map((r) => [r.seq, r.id, [...r.update]])).toEqual([[seq, String(seq), [...update]]]);
      // One bit flipped in the last byte (of the update, or of the sequence when there is none).
      const corrupt = Buffer.from(bytes);
      corrupt[corrupt.length - 1]! ^= 1;
      expect(decodeRecords(corrupt).validLength, `size ${size}`).toBe(0);
    }
  });
});
