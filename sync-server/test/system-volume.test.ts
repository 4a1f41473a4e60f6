// SYS-1: the system volume is loaded from skills/ at start (SYS-3: written while the server
// starts listening, uses of it waiting until it is in) and is read-only over the network:
// a client's edit is refused (told so with the standard permission-denied message), never
// applied, never stored, never seen by others. SYS-2: a changed skill file reaches clients
// holding an older copy without duplicating anything. The server listens before the volume is
// loaded: a use of it meanwhile waits until its files are in, never seeing it empty or stale.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSkillSource, listSkillSources, skillsOf } from '../../shared/src/documents/volume-index';
import { Rooms } from '../src/rooms/rooms';
import { MemoryStorage } from '../src/storage/memory';
import { loadSystemVolume, readSystemSkills, SystemSkillsError, writeSystemVolume } from '../src/system-volume';
import { connectClient, connectSynced, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const SKILLS = path.resolve(import.meta.dirname, '../../skills');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serverWith(env: Record<string, string>) {
  const server = await startTestServer(env);
  cleanups.push(() => server.close());
  return server;
}
async function client(url: string, room: string): Promise<TestClient> {
  const c = await connectSynced(url, room);
  cleanups.push(() => c.destroy());
  return c;
}

describe('system volume', () => {
  it('holds every skill file of skills/ as Markdown text', async () => {
    const server = await serverWith({});
    const c = await client(server.url, 'system/system');
    const files = (await fs.readdir(SKILLS)).filter((f) => f.endsWith('.md'));
    const sources = listSkillSources(c.doc);
    expect(sources.size).toBe(files.length);
    for (const file of files) {
      expect(sources.get(file.replace(/\.md$/, ''))).toBe(await fs.readFile(path.join(SKILLS, file), 'utf8'));
    }
  });

  it('refuses edits over the network: not applied, not stored, not seen, and the editor is told', async () => {
    const server = await serverWith({});
    const editor = await client(server.url, 'system/system');
    const watcher = await client(server.url, 'system/system');
    const storedBefore = JSON.stringify(await server.storage.load('system/system'));
    const denied: string[] = [];
    const original = console.warn;
    // y-websocket reports the permission-denied message through console.warn.
    console.warn = (...args: unknown[]) => denied.push(args.join(' '));
    cleanups.push(() => {
      console.warn = original;
    });
    skillsOf(editor.doc).set('quantum-vqe', new Y.Text('hacked'));
    await waitFor(() => denied.some((d) => d.includes('read-only')), 'the permission-denied message');
    // Give a wrongly applied edit time to reach the watcher before checking it did not.
    await new Promise((r) => setTimeout(r, 100));
    expect(getSkillSource(watcher.doc, 'quantum-vqe')).toContain('VQE');
    expect(JSON.stringify(await server.storage.load('system/system'))).toBe(storedBefore);
    const fresh = await client(server.url, 'system/system');
    expect(getSkillSource(fresh.doc, 'quantum-vqe')).toContain('VQE');
  });

  it('a changed skill file reaches a client holding the old copy, without duplicates', async () => {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-sys-'));
    const skillsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-skills-'));
    cleanups.push(() => fs.rm(dataDir, { recursive: true, force: true }));
    cleanups.push(() => fs.rm(skillsDir, { recursive: true, force: true }));
    await fs.cp(SKILLS, skillsDir, { recursive: true });
    const env = { STORAGE: 'file', DATA_DIR: dataDir, SKILLS_DIR: skillsDir };

    const first = await startTestServer(env);
    const offline = new Y.Doc();
    const c1 = await connectSynced(first.url, 'system/system');
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(c1.doc));
    c1.destroy();
    await first.close();

    const file = path.join(skillsDir, 'export-results.md');
    const changed = (await fs.readFile(file, 'utf8')).replace('# Skill: Export Results', '# Skill: Export Results (v2)');
    await fs.writeFile(file, changed);
    await fs.rm(path.join(skillsDir, 'threejs-animation.md'));

    const second = await serverWith(env);
    const returning = connectClient(second.url, 'system/system', { doc: offline });
    cleanups.push(() => returning.destroy());
    await synced(returning);
    await waitFor(() => getSkillSource(returning.doc, 'export-results') === changed, 'the new file content');
    expect(listSkillSources(returning.doc).has('threejs-animation')).toBe(false);
    expect((getSkillSource(returning.doc, 'export-results')?.match(/# Skill:/g) ?? []).length).toBe(1);
  });
});

describe('system volume while it is written', () => {
  const silent = pino({ level: 'silent' });
  const rooms = (storage = new MemoryStorage()) => {
    const made = new Rooms(storage, { idleMs: 60_000, compactAfter: 1000, groupCommitMs: 0 }, silent);
    cleanups.push(() => made.closeAll());
    return made;
  };

  it('a use of the volume that comes while it is written (the server listens meanwhile) sees every file', async () => {
    const files = (await fs.readdir(SKILLS)).filter((f) => f.endsWith('.md'));
    const inMemory = rooms();
    const writing = writeSystemVolume(inMemory, await readSystemSkills(SKILLS));
    // Asked for at once, as by a client connecting the moment the server listens.
    const early = inMemory.use('system/system', (room) => listSkillSources(room.doc).size);
    const acquired = inMemory.acquire('system/system').then((room) => {
      const size = listSkillSources(room.doc).size;
      inMemory.release(room);
      return size;
    });
    expect(await early).toBe(files.length);
    expect(await acquired).toBe(files.length);
    expect(await writing).toBe(files.length);
  });

  it('a client of a stored volume whose files changed sees only the new content, never the stored copy first', async () => {
    const skillsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-skills-'));
    cleanups.push(() => fs.rm(skillsDir, { recursive: true, force: true }));
    await fs.cp(SKILLS, skillsDir, { recursive: true });
    const storage = new MemoryStorage();
    await loadSystemVolume(rooms(storage), skillsDir);
    const file = path.join(skillsDir, 'export-results.md');
    const changed = (await fs.readFile(file, 'utf8')).replace('# Skill: Export Results', '# Skill: Export Results (v2)');
    await fs.writeFile(file, changed);

    const restarted = rooms(storage);
    const writing = writeSystemVolume(restarted, await readSystemSkills(skillsDir));
    const seen = await restarted.use('system/system', (room) => getSkillSource(room.doc, 'export-results'));
    expect(seen).toBe(changed);
    await writing;
  });

  it('a catalogue that does not validate is refused before anything is written', async () => {
    const skillsDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-badskills-'));
    cleanups.push(() => fs.rm(skillsDir, { recursive: true, force: true }));
    await fs.writeFile(path.join(skillsDir, 'broken.md'), '---\nskill_id: broken\n---\nno type, no code\n');
    await expect(readSystemSkills(skillsDir)).rejects.toThrow(SystemSkillsError);
    const storage = new MemoryStorage();
    await expect(loadSystemVolume(rooms(storage), skillsDir)).rejects.toThrow(SystemSkillsError);
    expect(await storage.list()).toEqual([]);
  });
});
