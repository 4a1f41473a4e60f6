import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { SplitStorage } from '../src/storage/split';
import { MemoryStorage } from '../src/storage/memory';
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
