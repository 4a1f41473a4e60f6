// Data directories written by the release before the one file log (test/fixtures, see its
// README) load whole with today's code, stay whole after appends, compaction and restarts, and
// the file backend's move to the current format survives a crash at each of its steps.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FileStorage } from '../src/storage/file';
import { FileRoomLog } from '../src/storage/file-log';
import { FileSnapshotStore } from '../src/storage/file-snapshots';
import { SplitStorage } from '../src/storage/split';
import { StorageError, type Storage } from '../src/storage/storage';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const FIXTURES = path.join(HERE, 'fixtures');
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

/** A record as the release before the one file log wrote it: `u32 length | u32 crc32 | bytes`. */
function legacyRecord(data: Uint8Array): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(data.length, 0);
  header.writeUInt32LE(crc32(data), 4);
  return Buffer.concat([header, data]);
}

/** A legacy `rooms/` folder of many rooms (a snapshot, then logged edits), big enough that moving it takes a while. */
async function largeLegacyDir(rooms: number): Promise<{ dir: string; expected: Record<string, Content> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-legacy-'));
  dirs.push(dir);
  await fs.mkdir(path.join(dir, 'rooms'));
  const expected: Record<string, Content> = {};
  for (let r = 0; r < rooms; r++) {
    const room = `user/u${r}/workflow/w`;
    const doc = new Y.Doc();
    for (let i = 0; i < 20; i++) doc.getMap('m').set(`s${i}`, i);
    const logged: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => logged.push(u));
    const snapshot = Y.encodeStateAsUpdate(doc);
    for (let i = 0; i < 30; i++) doc.getMap('m').set(`l${i}`, i);
    await fs.writeFile(path.join(dir, 'rooms', `${encodeURIComponent(room)}.snapshot`), legacyRecord(snapshot));
    await fs.writeFile(path.join(dir, 'rooms', `${encodeURIComponent(room)}.log`), Buffer.concat(logged.map(legacyRecord)));
    expected[room] = contentOf(doc);
  }
  return { dir, expected };
}

/** Opens the file storage in a child process, which says "opening" first and "opened" after. */
function openInChild(dir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const { FileStorage } = await import(${JSON.stringify(path.join(HERE, '../src/storage/file.ts'))}); console.log('opening'); await FileStorage.open(process.argv[1]); console.log('opened');`, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const said = (what: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (out.includes(what) ? resolve() : undefined);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        check();
      });
      child.once('exit', () => (out.includes(what) ? resolve() : reject(new Error(`the child exited before saying "${what}"`))));
      check();
    });
  return { child, said, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
}

describe('DUR-6: kill -9 while a legacy DATA_DIR is moved to the current format', () => {
  it('at any moment leaves a folder that the next start opens whole', async () => {
    // How long an uninterrupted move takes here, to spread the kills over it.
    const timing = await largeLegacyDir(150);
    const whole = openInChild(timing.dir);
    await whole.said('opening');
    const started = performance.now();
    await whole.said('opened');
    const duration = performance.now() - started;
    await whole.exited;
    const interrupted = new Set<string>();
    for (const fraction of [0.2, 0.5, 0.8]) {
      const { dir, expected } = await largeLegacyDir(150);
      const run = openInChild(dir);
      await run.said('opening');
      await new Promise((r) => setTimeout(r, duration * fraction));
      run.child.kill('SIGKILL');
      await run.exited;
      const left = (await fs.readdir(dir)).sort().join(',');
      interrupted.add(left);
      const storage = await FileStorage.open(dir);
      await expectWhole(storage, expected);
      await storage.close();
    }
    // The kills fell in the middle of the move, not only before or after it.
    expect([...interrupted].some((left) => left.includes('rooms.migrating')), [...interrupted].join(' | ')).toBe(true);
  }, 120_000);
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
