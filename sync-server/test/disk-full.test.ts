// DUR-7: a full disk under DATA_DIR (a real tmpfs that fills, ENOSPC from the kernel): writes are refused
// with a clear message to the clients that made them, who keep their changes; nothing stored is
// damaged (a torn append is cut, a snapshot or log rewrite that does not fit leaves the old file
// whole); reads go on; /readyz says so; and once space returns the refused changes are stored
// with no restart. Mounting needs root (CI runs as root); where it is refused, only this file skips.
import fs from 'node:fs/promises';
import path from 'node:path';
import { readAuthMessage } from 'y-protocols/auth';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/src/codes';
import { listSkillSources } from '../../shared/src/documents/volume-index';
import type { Storage } from '../src/storage/storage';
import { isDiskFull } from '../src/storage/disk-space';
import { FileStorage } from '../src/storage/file';
import { connectClient, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { mountTmpfs, type Tmpfs } from './harness/tmpfs';
import { waitFor } from './harness/wait';

const mounted = await mountTmpfs(4096);
if (!mounted.ok) console.warn(`disk-full tests skipped: ${mounted.why}`);
const tmpfs = mounted.ok ? mounted.tmpfs : (null as unknown as Tmpfs);

const clients: TestClient[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const close of closers.splice(0).reverse()) await close();
  if (!mounted.ok) return;
  // Each test starts on an empty disk.
  await tmpfs.free();
  for (const name of await fs.readdir(tmpfs.dir)) await fs.rm(path.join(tmpfs.dir, name), { recursive: true, force: true });
});
afterAll(async () => {
  if (mounted.ok) await tmpfs.unmount();
});

/** A stock y-websocket client that also keeps the reasons of the permission-denied messages it gets (as the PWA does). */
function client(url: string, room: string): TestClient & { denials: string[] } {
  const c = connectClient(url, room);
  clients.push(c);
  const denials: string[] = [];
  // y-websocket's message type 2 (auth): a permission-denied reason.
  c.provider.messageHandlers[2] = (_encoder, decoder) => readAuthMessage(decoder, c.doc, (_doc, reason) => denials.push(reason));
  return Object.assign(c, { denials });
}

const keys = (doc: Y.Doc): string[] => [...doc.getMap('m').keys()].sort();

async function readyz(url: string): Promise<{ status: number; body: { backends: Record<string, { ok: boolean; detail?: string }> } }> {
  const res = await fetch(`${url}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}

/** What a fresh client gets at its first sync of `room`. */
async function firstSync(url: string, room: string): Promise<string[]> {
  const c = client(url, room);
  await synced(c);
  const seen = keys(c.doc);
  c.destroy();
  return seen;
}

describe.skipIf(!mounted.ok)('a full disk under DATA_DIR', () => {
  it('refuses writes with a clear message, keeps serving reads, damages nothing, and stores the refused changes once space returns', async () => {
    const dataDir = path.join(tmpfs.dir, 'data');
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir, GROUP_COMMIT_MS: '0' });
    closers.push(() => server.close());
    const room = 'user/default/workflow/full';
    const other = 'user/default/workflow/other';
    const writer = client(server.url, room);
    const reader = client(server.url, room);
    // The volume index, as every open app holds it: REST writes change it.
    const index = client(server.url, 'user/default');
    await Promise.all([synced(writer), synced(reader), synced(index)]);
    for (let i = 0; i < 20; i++) writer.doc.getMap('m').set(`before-${i}`, 'x'.repeat(100));
    await server.rooms.use(other, (r) => r.doc.getMap('m').set('stored', 'yes'));
    await waitFor(() => keys(reader.doc).length === 20, 'the reader to see what was written before the disk filled');
    const stored = keys(reader.doc);
    const created = await fetch(`${server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'made before the disk filled' }) });
    const session = ((await created.json()) as { id: string }).id;

    await tmpfs.fill();
    // Bigger than any slack left in the log file's last page: the append needs new pages.
    for (let i = 0; i < 10; i++) writer.doc.getMap('m').set(`during-${i}`, 'y'.repeat(2000));

    // The writer is told in words: its room's storage failed (4507), then, back, its change is refused.
    await waitFor(() => writer.closeCodes.includes(CLOSE.storageFull.code), 'the writer to be closed with 4507 (server disk full)');
    expect(CLOSE.storageFull.reason).toBe('server disk full');
    await waitFor(() => writer.denials.length > 0, 'the writer to be told its changes were not saved');
    expect(writer.denials[0]).toContain("the server's disk is full");
    expect(writer.denials[0]).toContain('kept on this device and sent again by themselves once the server has space');
    // Its changes stay on the client; nobody else got them (they are not stored).
    expect(keys(writer.doc).filter((k) => k.startsWith('during-'))).toHaveLength(10);
    await synced(reader);
    expect(keys(reader.doc)).toEqual(stored);

    // /readyz says the disk is full.
    const full = await readyz(server.url);
    expect(full.status).toBe(503);
    expect(full.body.backends.disk?.ok).toBe(false);
    expect(full.body.backends.disk?.detail).toContain('is full');

    // Reads go on: a fresh client of either room gets what is stored, and nothing unsaved.
    expect(await firstSync(server.url, room)).toEqual(stored);
    expect(await firstSync(server.url, other)).toEqual(['stored']);
    // A REST write is answered 507 before it touches a room (here the volume index, which it
    // would trash the session in): the index's clients stay connected, and the session stays.
    const rest = await fetch(`${server.url}/api/sessions/${session}`, { method: 'DELETE' });
    expect(rest.status).toBe(507);
    const refused = ((await rest.json()) as { error: { code: string; message: string } }).error;
    expect(refused.code).toBe('insufficient_storage');
    expect(refused.message).toContain("disk is full");
    const listed = (await (await fetch(`${server.url}/api/sessions`)).json()) as { sessions: Array<{ id: string }> };
    expect(listed.sessions.map((x) => x.id)).toContain(session);
    expect(index.closeCodes).toEqual([]);

    // Space returns: with no restart, the refused changes are asked for again and stored.
    await tmpfs.free();
    await waitFor(() => keys(reader.doc).filter((k) => k.startsWith('during-')).length === 10, "the writer's refused changes to reach the reader once space returned", 15_000);
    expect((await readyz(server.url)).status).toBe(200);
    const after = await firstSync(server.url, room);
    expect(after).toEqual(keys(writer.doc));

    // Nothing damaged: the stored room, read afresh from disk after a clean shutdown, holds all of it.
    await server.close();
    closers.length = 0;
    const storage = await FileStorage.open(dataDir);
    expect(keys(await storedDoc(storage, room))).toEqual(after);
    await storage.close();
  }, 60_000);

  it('goes on when only a compaction does not fit: the change that set it off is stored and delivered, the old snapshot stands', async () => {
    const dataDir = path.join(tmpfs.dir, 'data');
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir, GROUP_COMMIT_MS: '0', COMPACT_AFTER_UPDATES: '30' });
    closers.push(() => server.close());
    const room = 'user/default/workflow/snapshot';
    const writer = client(server.url, room);
    const reader = client(server.url, room);
    await Promise.all([synced(writer), synced(reader)]);
    // 25 logged updates of 2 KB: the room's snapshot will need about 50 KB.
    for (let i = 0; i < 25; i++) writer.doc.getMap('m').set(`big-${i}`, 'x'.repeat(2000));
    await waitFor(() => keys(reader.doc).length === 25, 'the reader to see the first updates');
    const snapshotBefore = await storedDoc(server.storage, room).then(keys);

    // Room for small appends, not for the snapshot the 30th update sets off.
    await tmpfs.fill(24);
    for (let i = 0; i < 5; i++) {
      writer.doc.getMap('m').set(`small-${i}`, i);
      await waitFor(() => reader.doc.getMap('m').has(`small-${i}`), `small update ${i} to be stored and delivered although the snapshot did not fit`);
    }
    expect(writer.closeCodes).toEqual([]);
    expect(writer.denials).toEqual([]);
    expect((await readyz(server.url)).body.backends.disk?.ok).toBe(false);
    expect(await storedDoc(server.storage, room).then(keys)).toEqual([...snapshotBefore, ...Array.from({ length: 5 }, (_, i) => `small-${i}`)].sort());

    await tmpfs.free();
    await waitFor(async () => (await readyz(server.url)).status === 200, '/readyz to be ready once space returned');
  }, 30_000);

  it('keeps the old snapshot and log whole when a compaction does not fit, and cuts a torn append', async () => {
    const dataDir = path.join(tmpfs.dir, 'data');
    const storage = await FileStorage.open(dataDir);
    closers.push(() => storage.close());
    const room = 'user/default/workflow/compact';
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 50; i++) doc.getMap('m').set(`k${i}`, 'z'.repeat(200));
    await storage.append(room, updates.slice(0, 25));
    await storage.compact(room, Y.encodeStateAsUpdate(doc));
    await storage.append(room, updates.slice(25));
    const before = await storage.read(room);

    // Some room left, less than the new snapshot: one writev of it stops short without an error.
    await tmpfs.fill(64);
    const big = new Y.Doc();
    big.getMap('m').set('big', 'b'.repeat(512 * 1024));
    const compaction = await storage.compact(room, Y.encodeStateAsUpdate(big)).then(() => null, (e: unknown) => e);
    expect(isDiskFull(compaction), `compaction refused with ENOSPC (got ${String(compaction)})`).toBe(true);
    expect(await storage.read(room)).toEqual(before);

    // An append that cannot fit leaves at most a torn tail, cut before anything follows it.
    const more = new Y.Doc();
    Y.applyUpdate(more, Y.encodeStateAsUpdate(doc));
    const extra: Uint8Array[] = [];
    more.on('update', (u: Uint8Array) => extra.push(u));
    more.getMap('m').set('late', 'l'.repeat(300 * 1024));
    expect(isDiskFull(await storage.append(room, extra).then(() => null, (e: unknown) => e))).toBe(true);
    await tmpfs.free();
    more.getMap('m').set('after', 'ok');
    await storage.append(room, extra);
    expect(keys(await storedDoc(storage, room))).toEqual([...keys(doc), 'after', 'late'].sort());
  }, 30_000);

  it('starts on a full disk, serves what is stored, and writes the system skills once space returns', async () => {
    const dataDir = path.join(tmpfs.dir, 'data');
    const first = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    await first.rooms.use('user/default/workflow/kept', (r) => r.doc.getMap('m').set('kept', 'yes'));
    await first.close();
    // A new release's skills: the system volume must be rewritten at start.
    const skillsDir = path.join(tmpfs.dir, 'skills');
    await fs.cp(first.config.skillsDir, skillsDir, { recursive: true });
    const [file] = (await fs.readdir(skillsDir)).filter((f) => f.endsWith('.md')).sort();
    const source = await fs.readFile(path.join(skillsDir, file!), 'utf8');
    // Longer than any slack left in the system room's last page: the write needs new pages.
    await fs.writeFile(path.join(skillsDir, file!), `${source.trimEnd()}\n\nChanged by the disk-full test. ${'More words. '.repeat(1000)}\n`);

    await tmpfs.fill();
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir, SKILLS_DIR: skillsDir });
    closers.push(() => server.close());
    // The skills are written while the server listens: the full disk shows once that write fails.
    await waitFor(async () => (await readyz(server.url)).body.backends.disk?.ok === false, '/readyz to name the full disk');
    expect(await firstSync(server.url, 'user/default/workflow/kept')).toEqual(['kept']);

    await tmpfs.free();
    await waitFor(async () => (await readyz(server.url)).status === 200, '/readyz to be ready once space returned');
    const skillId = /^skill_id: (.*)$/m.exec(source)?.[1] ?? '';
    await waitFor(async () => (await storedDoc(server.storage, 'system/system').then(listSkillSources)).get(skillId)?.includes('Changed by the disk-full test') === true, 'the changed system skill to be stored', 10_000);
  }, 60_000);
});

/** A room as stored, read afresh (snapshot and log). */
async function storedDoc(storage: Pick<Storage, 'read'>, room: string): Promise<Y.Doc> {
  const stored = await storage.read(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}
