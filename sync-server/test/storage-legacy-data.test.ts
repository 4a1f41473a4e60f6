// Data directories written by the release before the one file log (test/fixtures, see its
// README) load whole with today's code, stay whole after appends, compaction and restarts, and
// the file backend's move to the current format survives a crash at each of its steps.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { SplitStorage } from '../src/storage/split';
import { StorageError, type Storage } from '../src/storage/storage';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');
type Content = { m: Record<string, unknown>; t: string };

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
});

/** A copy of a fixture to work on, so the checked-in bytes stay as the old release wrote them. */
async function copyOf(fixture: string): Promise<{ dir: string; expected: Record<string, Content> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-legacy-'));
  dirs.push(dir);
  await fs.cp(path.join(FIXTURES, fixture), dir, { recursive: true });
  const expected = JSON.parse(await fs.readFile(path.join(dir, 'expected.json'), 'utf8')) as Record<string, Content>;
  return { dir, expected };
}

async function docOf(storage: Storage, room: string): Promise<Y.Doc> {
  const stored = await storage.load(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

const contentOf = (doc: Y.Doc): Content => ({ m: doc.getMap('m').toJSON(), t: doc.getText('t').toString() });

/** Every room reads back as the old release read it. */
async function expectWhole(storage: Storage, expected: Record<string, Content>): Promise<void> {
  for (const [room, content] of Object.entries(expected)) expect(contentOf(await docOf(storage, room)), room).toEqual(content);
  expect(await storage.list()).toEqual(Object.keys(expected).sort());
}

/** Appends one edit to every room, compacts every other room, and returns the contents to expect. */
async function editEach(storage: Storage, expected: Record<string, Content>): Promise<Record<string, Content>> {
  const after: Record<string, Content> = {};
  for (const [n, room] of Object.keys(expected).entries()) {
    const doc = await docOf(storage, room);
    doc.clientID = 5000 + n;
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getMap('m').set('after-upgrade', n);
    doc.getText('t').insert(0, 'new ');
    await storage.append(room, updates);
    if (n % 2 === 0) await storage.compact(room, Y.encodeStateAsUpdate(doc));
    after[room] = contentOf(doc);
  }
  return after;
}

/** Every file under a folder, by relative path, with its bytes. */
async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await fs.readdir(dir, { recursive: true })).sort()) {
    const file = path.join(dir, name);
    if ((await fs.stat(file)).isFile()) out[name] = (await fs.readFile(file)).toString('hex');
  }
  return out;
}

describe('a DATA_DIR of the file backend from before the one file log', () => {
  it('loads whole (the torn record cut), takes new edits, compacts and restarts with nothing lost; the old folder is kept as it was', async () => {
    const { dir, expected } = await copyOf('data-file-v1');
    const original = await filesOf(path.join(FIXTURES, 'data-file-v1', 'rooms'));
    let storage: Storage = await FileStorage.open(dir);
    await expectWhole(storage, expected);
    const after = await editEach(storage, expected);
    await expectWhole(storage, after);
    await storage.close();
    storage = await FileStorage.open(dir);
    await expectWhole(storage, after);
    await storage.close();
    expect(await filesOf(path.join(dir, 'rooms.format1'))).toEqual(original);
    expect((await fs.readdir(dir)).sort()).toEqual(['expected.json', 'rooms', 'rooms.format1']);
  });

  it('a crash while the new folder is written leaves the old one, and the next start moves it again', async () => {
    const { dir, expected } = await copyOf('data-file-v1');
    // What a crash midway leaves: a partial new folder, with a half-written log.
    await fs.mkdir(path.join(dir, 'rooms.migrating'));
    await fs.writeFile(path.join(dir, 'rooms.migrating', `${encodeURIComponent('user/default/session/log-only')}.log`), Buffer.from([7, 0, 0]));
    const storage = await FileStorage.open(dir);
    await expectWhole(storage, expected);
    await storage.close();
    expect((await fs.readdir(dir)).sort()).toEqual(['expected.json', 'rooms', 'rooms.format1']);
  });

  it('a crash between moving the old folder aside and moving the new one in finishes at the next start', async () => {
    const { dir, expected } = await copyOf('data-file-v1');
    await (await FileStorage.open(dir)).close();
    // Back to the moment between the two renames: the old folder aside, the new one complete.
    await fs.rename(path.join(dir, 'rooms'), path.join(dir, 'rooms.migrating'));
    const storage = await FileStorage.open(dir);
    await expectWhole(storage, expected);
    await storage.close();
  });

  it('a folder from a newer release, or a move blocked by an earlier backup, is refused with what to do', async () => {
    const newer = await copyOf('data-file-v1');
    await fs.writeFile(path.join(newer.dir, 'rooms', '.format'), 'llmunix rooms 3\n');
    await expect(FileStorage.open(newer.dir)).rejects.toThrow(/written by a newer release/);
    const blocked = await copyOf('data-file-v1');
    await fs.mkdir(path.join(blocked.dir, 'rooms.format1'));
    const refusal = FileStorage.open(blocked.dir);
    await expect(refusal).rejects.toBeInstanceOf(StorageError);
    await expect(refusal).rejects.toThrow(/rooms\.format1 .* is in the way: move it out/);
    // Nothing was touched.
    expect(await filesOf(path.join(blocked.dir, 'rooms'))).toEqual(await filesOf(path.join(FIXTURES, 'data-file-v1', 'rooms')));
  });
});

describe('a DATA_DIR of the file room log with file snapshots (as with S3) from before the one file log', () => {
  const open = async (dir: string) => new SplitStorage(await FileRoomLog.open(dir), await FileSnapshotStore.open(dir));

  it('loads whole (the torn record cut), takes new edits, compacts and restarts with nothing lost', async () => {
    const { dir, expected } = await copyOf('data-file-log-v1');
    let storage: Storage = await open(dir);
    await expectWhole(storage, expected);
    const after = await editEach(storage, expected);
    await storage.close();
    storage = await open(dir);
    await expectWhole(storage, after);
    await storage.close();
  });
});
