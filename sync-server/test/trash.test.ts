// TRASH-1: deletes move workflows, sessions and skills to their volume's trash, with their
// content kept; /api/trash lists, restores and deletes for good. TRASH-4: a purge (delete
// forever, or expiry after TRASH_DAYS) closes the room's clients with 4410, deletes its storage,
// its mirror and its versions, and forgets the entry last, so a purge cut short runs again.
// TRASH-5: only an entry about an item of the index's own volume is purged, marked first; one
// listed again is only forgotten; versions of a trashed item are refused. TRASH-6: tombstones
// refuse a stale device (4410); a trashed room is read-only.
import fs from 'node:fs/promises';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/src/codes';
import { runsOf } from '../../shared/src/documents/runs';
import { readMessages } from '../../shared/src/documents/session';
import { writeSkillFiles } from '../../shared/src/documents/skill-files';
import { getTrashEntry, listTrash, markPurging, purgedOf, restoreFromTrash, trashSkill, trashWorkflow, type TrashEntry } from '../../shared/src/documents/trash';
import { getSkillSource, getWorkflowListing, putSkillSource, putWorkflowListing } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { versionIdOf, type VersionMeta } from '../../shared/src/history/version';
import { ORIGIN } from '../../shared/src/origins';
import { loadConfig } from '../src/config';
import { RoomDeletedError } from '../src/rooms/room';
import { Rooms } from '../src/rooms/rooms';
import { MemoryStorage } from '../src/storage/memory';
import type { Storage } from '../src/storage/storage';
import { Checkpoints } from '../src/history/checkpoints';
import { MemoryHistory } from '../src/history/memory-history';
import { purgeTrashEntry, STALE_PURGE_MS } from '../src/trash/purge';
import { isExpired, sweepTrash } from '../src/trash/trash-expiry';
import { connectClient, connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { openPeer } from './harness/raw-peer';
import { requestAs } from './harness/rest-as';
import { storedBytes } from './harness/stored';
import { teardownEachTest } from './harness/teardown';
import { SEEDED_GRAPH, seedWorkflow } from './harness/trash-items';
import { waitFor } from './harness/wait';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const { cleanups, tempDir } = teardownEachTest('llmunix-trash-');
const silent = pino({ level: 'silent' });
const home = { volume: 'user', volumeId: 'default' } as const;

async function start(env: Record<string, string> = {}): Promise<Server> {
  const server = await startTestServer(env);
  cleanups.push(() => server.close());
  return server;
}

function client(server: Server, room: string): TestClient {
  const c = connectClient(server.url, room);
  cleanups.push(() => c.destroy());
  return c;
}

const api = (server: Server, method: string, url: string, body?: unknown) => requestAs(server.url, undefined, url, { method, body });

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
const sameGraph = (graph: WorkflowGraph) => ({ nodes: byId(graph.nodes), edges: byId(graph.edges) });

/** Everything stored of a room, as one document's JSON of the roots a workflow has. */
async function storedWorkflow(storage: Pick<Storage, 'read'>, room: string): Promise<{ empty: boolean; graph: WorkflowGraph }> {
  const stored = await storage.read(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return { empty: stored.snapshot === null && stored.updates.length === 0, graph: readWorkflowGraph(doc) };
}

/** Trashes a workflow the way the app does: one transaction on the index, by a person. */
async function trashInIndex(server: Server, id: string, by = 'default', at = new Date().toISOString()): Promise<TrashEntry> {
  const trashed = await server.rooms.use('user/default', (room) => room.doc.transact(() => trashWorkflow(room.doc, home, id, { by, at }), ORIGIN.rest));
  if (!trashed.ok) throw new Error(trashed.error.message);
  return trashed.value;
}

describe('TRASH-1: to the trash and back', () => {
  it('a deleted workflow keeps its room; the trash lists it; restore brings it back with its nodes, while a collaborator stays in the room', async () => {
    const server = await start();
    await seedWorkflow(server.rooms, home, 'w1', 'Filter chain');
    const open = await connectSynced(server.url, 'user/default/workflow/w1');
    cleanups.push(() => open.destroy());
    const entry = await trashInIndex(server, 'w1', 'alice', '2026-03-01T10:00:00.000Z');

    const listed = await api(server, 'GET', '/api/trash');
    expect(listed).toEqual({
      status: 200,
      body: {
        trash: [
          {
            id: 'user.default.workflow.w1',
            kind: 'workflow',
            item_id: 'w1',
            room: 'user/default/workflow/w1',
            name: 'Filter chain',
            deleted_at: '2026-03-01T10:00:00.000Z',
            deleted_by: 'alice',
            expires_at: '2026-03-31T10:00:00.000Z',
            volume: 'user',
            volume_id: 'default',
          },
        ],
      },
    });
    // The room is kept whole meanwhile, and whoever has it open keeps it.
    expect(sameGraph(readWorkflowGraph(open.doc))).toEqual(sameGraph(SEEDED_GRAPH));
    expect(open.provider.wsconnected).toBe(true);

    const restored = await api(server, 'POST', `/api/trash/${entry.id}/restore`);
    expect(restored).toEqual({ status: 200, body: { restored: entry.id, kind: 'workflow', item_id: 'w1', room: 'user/default/workflow/w1', name: 'Filter chain' } });
    const index = await server.rooms.use('user/default', (room) => ({ listing: getWorkflowListing(room.doc, 'w1'), trash: listTrash(room.doc, { volume: 'user', volumeId: 'default' }) }));
    expect(index).toEqual({ listing: entry.listing, trash: [] });
    expect(sameGraph((await storedWorkflow(server.storage, 'user/default/workflow/w1')).graph)).toEqual(sameGraph(SEEDED_GRAPH));
    expect((await api(server, 'POST', `/api/trash/${entry.id}/restore`)).status).toBe(404);
  });

  it('DELETE /api/sessions/:id moves a session to the trash; restored, GET gives it back with its messages', async () => {
    const server = await start();
    const { body: s } = await api(server, 'POST', '/api/sessions', { name: 'VQE study', initial_message: 'Find the H2 ground state' });
    await api(server, 'POST', `/api/sessions/${s.id}/messages`, { role: 'assistant', content: 'E = -1.137 Ha' });
    const deleted = await api(server, 'DELETE', `/api/sessions/${s.id}`);
    expect(deleted.body).toEqual({ deleted: true, id: s.id, trash_id: `user.default.session.${s.id}` });
    expect((await api(server, 'GET', '/api/sessions')).body.sessions).toEqual([]);
    expect((await api(server, 'GET', '/api/trash')).body.trash).toEqual([
      expect.objectContaining({ id: `user.default.session.${s.id}`, kind: 'session', name: 'VQE study', deleted_by: 'default' }),
    ]);
    expect((await api(server, 'POST', `/api/trash/user.default.session.${s.id}/restore`)).status).toBe(200);
    const back = await api(server, 'GET', `/api/sessions/${s.id}`);
    expect(back.body).toMatchObject({ id: s.id, name: 'VQE study' });
    expect(back.body.messages.map((m: { content: string }) => m.content)).toEqual(['Find the H2 ground state', 'E = -1.137 Ha']);
  });

  it('DELETE /api/skills/:id moves a skill with its files to the skill trash; restored, it is whole again', async () => {
    const server = await start();
    await api(server, 'POST', '/api/skills', { name: 'Temp', code: 'def execute(inputs):\n    return {}' });
    await server.rooms.use('user/default', (room) => writeSkillFiles(room.doc, 'temp', [{ path: 'scripts/a.py', bytes: new Uint8Array([1, 2, 3]) }]));
    const before = (await api(server, 'GET', '/api/skills/temp')).body;
    expect((await api(server, 'DELETE', '/api/skills/temp')).body).toEqual({ deleted: true, skill_id: 'temp', trash_id: 'user.default.skill.temp' });
    expect((await api(server, 'GET', '/api/skills/temp')).status).toBe(404);
    expect((await api(server, 'GET', '/api/trash')).body.trash).toEqual([expect.objectContaining({ id: 'user.default.skill.temp', kind: 'skill', name: 'Temp' })]);
    await server.rooms.use('user/default', (room) => expect(room.doc.getMap('skillTrash').has('user.default.skill.temp')).toBe(true));
    expect((await api(server, 'POST', '/api/trash/user.default.skill.temp/restore')).status).toBe(200);
    expect((await api(server, 'GET', '/api/skills/temp')).body).toEqual(before);
    expect(before.files).toEqual([{ path: 'scripts/a.py', size: 3 }]);
  });

  it('refuses a restore whose id is in use again (409), a trash id that is not one (400), and an unknown one (404)', async () => {
    const server = await start();
    await seedWorkflow(server.rooms, home, 'w2');
    const entry = await trashInIndex(server, 'w2');
    await server.rooms.use('user/default', (room) => putWorkflowListing(room.doc, 'w2', { name: 'A new w2' }));
    const conflict = await api(server, 'POST', `/api/trash/${entry.id}/restore`);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.message).toMatch(/exists again/);
    for (const bad of ['w2', 'user.default', 'user.default.notes.x', '..%2F..%2Fx', 'user.default.workflow.a%2Fb']) {
      const res = await api(server, 'POST', `/api/trash/${bad}/restore`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code, bad).toBe('invalid_id');
      expect((await api(server, 'DELETE', `/api/trash/${bad}`)).status, bad).toBe(400);
    }
    expect((await api(server, 'POST', '/api/trash/user.default.workflow.none/restore')).status).toBe(404);
    expect((await api(server, 'DELETE', '/api/trash/user.default.workflow.none')).status).toBe(404);
    expect((await api(server, 'GET', '/api/trash?volume=user&volume_id=x%2Fy')).status).toBe(400);
  });
  it('versions of a trashed workflow or skill can be neither named nor restored (409, saying how to restore it first); a restore the entry\'s files refuse is a 409', async () => {
    const server = await start();
    await seedWorkflow(server.rooms, home, 'wt');
    const room = 'user/default/workflow/wt';
    const named = await api(server, 'POST', '/api/versions', { room, name: 'before the delete' });
    expect(named.status).toBe(201);
    await api(server, 'POST', '/api/skills', { name: 'Kept', code: 'def execute(inputs):\n    return {}' });
    const skillVersion = await api(server, 'POST', '/api/versions', { room: 'user/default/skill/kept', name: 'v1' });
    expect(skillVersion.status).toBe(201);
    await trashInIndex(server, 'wt');
    expect((await api(server, 'DELETE', '/api/skills/kept')).status).toBe(200);

    for (const [call, trashId] of [
      [() => api(server, 'POST', '/api/versions', { room, name: 'in the trash' }), 'user.default.workflow.wt'],
      [() => api(server, 'POST', `/api/versions/${named.body.id}/restore`), 'user.default.workflow.wt'],
      [() => api(server, 'POST', `/api/versions/${skillVersion.body.id}/restore`), 'user.default.skill.kept'],
    ] as const) {
      const res = await call();
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain(`is in the trash; restore it first (POST /api/trash/${trashId}/restore)`);
    }
    expect((await api(server, 'GET', '/api/skills/kept')).status).toBe(404);

    await server.rooms.use('user/default', (r) => {
      const entry = r.doc.getMap('skillTrash').get('user.default.skill.kept') as Record<string, unknown>;
      r.doc.getMap('skillTrash').set('user.default.skill.kept', { ...entry, files: { '../escape': 'AA==' } });
    });
    const bad = await api(server, 'POST', '/api/trash/user.default.skill.kept/restore');
    expect(bad.status).toBe(409);
    expect(bad.body.error.message).toMatch(/cannot be restored/);
  });
});

describe('TRASH-4: deleting for good', () => {
  it('the mirror follows the listing (gone in the trash, back on restore); DELETE /api/trash/:id closes the room\'s clients with 4410, deletes its storage, its run history and its mirror, and forgets the entry', async () => {
    const dataDir = await tempDir();
    const server = await start({ STORAGE: 'file', DATA_DIR: dataDir });
    await seedWorkflow(server.rooms, home, 'w3');
    // Its run history, in a room of its own.
    await server.rooms.use('user/default/runs/w3', (room) => runsOf(room.doc).set('r1', { id: 'r1', status: 'done' }));
    const mirrored = path.join(dataDir, 'volumes/user/default/workflows/w3.json');
    await waitFor(() => fs.access(mirrored).then(() => true, () => false), 'the workflow to be mirrored');
    const open = client(server, 'user/default/workflow/w3');
    await waitFor(() => open.provider.synced, 'the collaborator to sync');
    const mirrorGone = () => waitFor(() => fs.access(mirrored).then(() => false, () => true), 'the trashed workflow\'s mirror to be deleted');
    let entry = await trashInIndex(server, 'w3');
    await mirrorGone();
    expect((await api(server, 'POST', `/api/trash/${entry.id}/restore`)).status).toBe(200);
    await waitFor(() => fs.access(mirrored).then(() => true, () => false), 'the restored workflow to be mirrored again');
    expect(JSON.parse(await fs.readFile(mirrored, 'utf8')).nodes).toHaveLength(2);
    entry = await trashInIndex(server, 'w3');
    await mirrorGone();

    expect(await api(server, 'DELETE', `/api/trash/${entry.id}`)).toEqual({ status: 200, body: { deleted: true, id: entry.id } });
    await waitFor(() => open.closeCodes.includes(CLOSE.roomDeleted.code), 'the collaborator to be told the room is gone');
    expect(await storedWorkflow(server.storage, 'user/default/workflow/w3')).toEqual({ empty: true, graph: { nodes: [], edges: [] } });
    expect(await server.storage.list()).not.toContain('user/default/workflow/w3');
    expect(await server.storage.read('user/default/runs/w3')).toEqual({ snapshot: null, updates: [] });
    expect((await api(server, 'GET', '/api/trash')).body.trash).toEqual([]);
    expect((await api(server, 'POST', `/api/trash/${entry.id}/restore`)).status).toBe(404);
    // A stock client never reconnects after a 44xx code; the room is not loaded again.
    await new Promise((r) => setTimeout(r, 300));
    expect(open.closeCodes).toEqual([CLOSE.roomDeleted.code]);
    expect(server.rooms.loaded).not.toContain('user/default/workflow/w3');
    await expect(fs.access(mirrored)).rejects.toThrow();
  });

  it('a purged room is tombstoned: a stale device that missed the purge is refused with 4410 (its run history too) and stores nothing; listing the id again lifts it; no client writes the tombstones', async () => {
    const server = await start();
    await seedWorkflow(server.rooms, home, 'ts');
    const entry = await trashInIndex(server, 'ts');
    expect((await api(server, 'DELETE', `/api/trash/${entry.id}`)).status).toBe(200);
    expect(await server.rooms.use('user/default', (r) => [...purgedOf(r.doc).keys()].sort())).toEqual(['user/default/runs/ts', 'user/default/workflow/ts']);

    // A device offline during the purge comes back with its copy of the workflow.
    const stale = new Y.Doc();
    writeWorkflowMeta(stale, { name: 'Stale copy' });
    const back = connectClient(server.url, 'user/default/workflow/ts', { doc: stale });
    cleanups.push(() => back.destroy());
    const runs = client(server, 'user/default/runs/ts');
    await waitFor(() => back.closeCodes.includes(CLOSE.roomDeleted.code) && runs.closeCodes.includes(CLOSE.roomDeleted.code), 'the stale device to be refused');
    expect(await server.storage.read('user/default/workflow/ts')).toEqual({ snapshot: null, updates: [] });

    // No client may write the tombstones, to lift one or to lock a live room.
    const index = await connectSynced(server.url, 'user/default');
    cleanups.push(() => index.destroy());
    purgedOf(index.doc).set('user/default/workflow/other', 'now');
    purgedOf(index.doc).delete('user/default/workflow/ts');
    await new Promise((r) => setTimeout(r, 300));
    expect(await server.rooms.use('user/default', (r) => [...purgedOf(r.doc).keys()].sort())).toEqual(['user/default/runs/ts', 'user/default/workflow/ts']);

    // A new workflow under the same id opens and keeps its edits.
    await server.rooms.use('user/default', (r) => putWorkflowListing(r.doc, 'ts', { name: 'Anew' }));
    const fresh = await connectSynced(server.url, 'user/default/workflow/ts');
    cleanups.push(() => fresh.destroy());
    writeWorkflowMeta(fresh.doc, { name: 'Anew' });
    await waitFor(() => server.rooms.use('user/default/workflow/ts', (r) => r.doc.getMap('meta').get('name') === 'Anew'), 'the new workflow\'s edit on the server');
  });

  it('a workflow in the trash is read-only to connections made while it is there, and writable again once restored', async () => {
    const server = await start();
    await seedWorkflow(server.rooms, home, 'ro');
    const entry = await trashInIndex(server, 'ro');
    const room = 'user/default/workflow/ro';
    const during = await openPeer(server.url, room);
    if (!during.ok) throw new Error(`refused with ${during.code}`);
    cleanups.push(() => during.peer.close());
    const before = await storedBytes(server.storage, room);
    during.peer.write((doc) => writeWorkflowMeta(doc, { name: 'Edited in the trash' }));
    await during.peer.roundTrip();
    expect(during.peer.denials).toEqual([expect.stringContaining('read-only')]);
    expect(await storedBytes(server.storage, room)).toBe(before);
    // A stock client that opened it while in the trash, too: restored, it is told so and reconnects writable.
    const stock = client(server, room);
    await waitFor(() => stock.provider.synced, 'the stock client to sync the trashed room');

    expect((await api(server, 'POST', `/api/trash/${entry.id}/restore`)).status).toBe(200);
    await waitFor(() => stock.closeCodes.includes(CLOSE.roomRestored.code), 'the read-only connection to be closed as restored');
    await waitFor(() => stock.provider.synced && stock.provider.wsconnected, 'the stock client to reconnect');
    writeWorkflowMeta(stock.doc, { description: 'Edited by the reconnected client' });
    await waitFor(() => server.rooms.use(room, (r) => r.doc.getMap('meta').get('description') === 'Edited by the reconnected client'), 'the reconnected client\'s edit to be stored');
    const after = await openPeer(server.url, room);
    if (!after.ok) throw new Error(`refused with ${after.code}`);
    cleanups.push(() => after.peer.close());
    after.peer.write((doc) => writeWorkflowMeta(doc, { name: 'Edited once restored' }));
    await after.peer.roundTrip();
    expect(after.peer.denials).toEqual([]);
    expect(await server.rooms.use(room, (r) => r.doc.getMap('meta').get('name'))).toBe('Edited once restored');
  });

  it('expiry: an entry older than TRASH_DAYS is purged by the sweep, a younger one stays', async () => {
    // 0.00002 days is 1.7 s.
    const server = await start({ TRASH_DAYS: '0.00002' });
    await seedWorkflow(server.rooms, home, 'old');
    await seedWorkflow(server.rooms, home, 'young');
    await trashInIndex(server, 'old');
    await new Promise((r) => setTimeout(r, 2000));
    await trashInIndex(server, 'young');
    // Made durable before the sweep reads the index from storage.
    expect(await server.trashExpiry.sweep()).toEqual({ purged: ['user.default.workflow.old'], failed: [] });
    expect((await storedWorkflow(server.storage, 'user/default/workflow/old')).empty).toBe(true);
    expect(sameGraph((await storedWorkflow(server.storage, 'user/default/workflow/young')).graph)).toEqual(sameGraph(SEEDED_GRAPH));
    expect((await api(server, 'GET', '/api/trash')).body.trash.map((e: { id: string }) => e.id)).toEqual(['user.default.workflow.young']);
  });

  it('TRASH_DAYS is validated: a positive number of days, fractions allowed', async () => {
    expect(loadConfig({}).trashDays).toBe(30);
    expect(loadConfig({ TRASH_DAYS: '0.5' }).trashDays).toBe(0.5);
    for (const bad of ['0', '-1', 'thirty', '100000']) expect(() => loadConfig({ TRASH_DAYS: bad }), bad).toThrow(/TRASH_DAYS=/);
  });
});

describe('TRASH-4: the purge and the sweep, on their own (an injected clock)', () => {
  const DAY = 24 * 60 * 60 * 1000;

  /** The memory history store, made to fail its next `removeSubject` when asked (a backend that is down). */
  class History extends MemoryHistory {
    failNext = false;
    /** When set, `removeSubject` waits for it (a slow backend, to act while a purge runs). */
    hold: Promise<void> | null = null;
    override async removeSubject(subject: string): Promise<void> {
      await this.hold;
      if (this.failNext) {
        this.failNext = false;
        throw new Error('history backend down');
      }
      return super.removeSubject(subject);
    }
  }

  /** One checkpoint of a subject, as the checkpoints store one. */
  async function addVersion(history: MemoryHistory, subject: string): Promise<void> {
    const meta: VersionMeta = {
      id: versionIdOf(subject, Date.now(), 'abcd'),
      room: subject,
      name: null,
      created_at: new Date().toISOString(),
      authors: ['ada'],
      changes: { kind: 'text', added: 1, removed: 0 },
      size: 1,
    };
    await history.add(meta, new Uint8Array([1]));
  }

  /** Subjects that still have versions, of those given. */
  const versioned = async (history: MemoryHistory, subjects: string[]) => (await Promise.all(subjects.map(async (s) => ((await history.list(s)).length > 0 ? [s] : [])))).flat();

  async function setup() {
    const storage = new MemoryStorage();
    const rooms = new Rooms(storage, { idleMs: 10, compactAfter: 1000, groupCommitMs: 0 }, silent);
    cleanups.push(() => rooms.closeAll());
    const versions = new History();
    const checkpoints = new Checkpoints(rooms, versions, { pauseMs: 60_000, maxMs: 60_000 }, silent);
    cleanups.push(() => checkpoints.close());
    return { storage, rooms, versions, deps: { rooms, versions: checkpoints, log: silent } };
  }

  it('purges what is older than TRASH_DAYS by the clock given, and removes the versions of the workflow and of a skill', async () => {
    const { storage, rooms, versions, deps } = await setup();
    const team = { volume: 'team', volumeId: 'lab' } as const;
    await seedWorkflow(rooms, team, 'w');
    await seedWorkflow(rooms, team, 'kept');
    await rooms.use('team/lab', (room) => {
      trashWorkflow(room.doc, team, 'w', { by: 'ada', at: '2026-01-01T00:00:00.000Z' });
      trashWorkflow(room.doc, team, 'kept', { by: 'ada', at: '2026-01-20T00:00:00.000Z' });
      room.doc.getMap('skills').set('s', new Y.Text('---\nname: S\n---\n'));
    });
    await rooms.use('team/lab', (room) => trashSkill(room.doc, team, 's', { by: 'ada', at: '2026-01-02T00:00:00.000Z' }));
    const subjects = ['team/lab/workflow/w', 'team/lab/workflow/kept', 'team/lab/skill/s'];
    for (const s of subjects) await addVersion(versions, s);

    const now = Date.parse('2026-01-01T00:00:00.000Z') + 30 * DAY - 1;
    expect(await sweepTrash(storage, deps, { days: 30, now: () => now })).toEqual({ purged: [], failed: [] });
    expect(await sweepTrash(storage, deps, { days: 30, now: () => now + 2 * DAY })).toEqual({ purged: ['team.lab.skill.s', 'team.lab.workflow.w'], failed: [] });
    expect(await versioned(versions, subjects)).toEqual(['team/lab/workflow/kept']);
    expect((await storedWorkflow(storage, 'team/lab/workflow/w')).empty).toBe(true);
    expect((await storedWorkflow(storage, 'team/lab/workflow/kept')).empty).toBe(false);
    expect(await rooms.use('team/lab', (room) => listTrash(room.doc, { volume: 'team', volumeId: 'lab' }).map((e) => e.id))).toEqual(['team.lab.workflow.kept']);
  });

  it('a purge cut short keeps the entry, and the next sweep finishes it', async () => {
    const { storage, rooms, versions, deps } = await setup();
    await seedWorkflow(rooms, home, 'w');
    await rooms.use('user/default', (room) => trashWorkflow(room.doc, home, 'w', { by: 'default', at: '2026-01-01T00:00:00.000Z' }));
    await addVersion(versions, 'user/default/workflow/w');
    versions.failNext = true;
    const later = () => Date.parse('2026-03-01T00:00:00.000Z');
    expect(await sweepTrash(storage, deps, { days: 30, now: later })).toEqual({ purged: [], failed: ['user.default.workflow.w'] });
    expect(await rooms.use('user/default', (room) => getTrashEntry(room.doc, { volume: 'user', volumeId: 'default' }, 'user.default.workflow.w')?.item_id)).toBe('w');
    expect(await sweepTrash(storage, deps, { days: 30, now: later })).toEqual({ purged: ['user.default.workflow.w'], failed: [] });
    expect(await versioned(versions, ['user/default/workflow/w'])).toEqual([]);
  });

  it('a forged entry (another volume\'s room, a skill outside skillTrash, a kind or id not its subject\'s) is neither listed nor purged', async () => {
    const { storage, rooms, versions, deps } = await setup();
    const bob = { volume: 'user', volumeId: 'bob' } as const;
    const mallory = { volume: 'user', volumeId: 'mallory' } as const;
    await seedWorkflow(rooms, bob, 'w');
    await addVersion(versions, 'user/bob/workflow/w');
    const old = { name: 'x', deleted_at: '2000-01-01T00:00:00.000Z', deleted_by: 'mallory' };
    // What Mallory may write over WebSocket: her own index's `trash` root.
    await rooms.use('user/mallory', (room) => {
      const trash = room.doc.getMap('trash');
      trash.set('user.bob.workflow.w', { kind: 'workflow', item_id: 'w', room: 'user/bob/workflow/w', ...old });
      trash.set('user.mallory.skill.s', { kind: 'skill', item_id: 's', room: 'user/mallory/skill/s', ...old });
      trash.set('user.mallory.workflow.w', { kind: 'session', item_id: 'w', room: 'user/mallory/workflow/w', ...old });
      trash.set('user.mallory.session.s', { kind: 'session', item_id: 'other', room: 'user/mallory/session/s', ...old });
    });
    expect(await rooms.use('user/mallory', (room) => listTrash(room.doc, mallory))).toEqual([]);
    expect(await sweepTrash(storage, deps, { days: 30 })).toEqual({ purged: [], failed: [] });
    expect(await purgeTrashEntry(deps, 'user/mallory', 'user.bob.workflow.w', ORIGIN.rest)).toBeNull();
    expect(await versioned(versions, ['user/bob/workflow/w'])).toEqual(['user/bob/workflow/w']);
    expect(sameGraph((await storedWorkflow(storage, 'user/bob/workflow/w')).graph)).toEqual(sameGraph(SEEDED_GRAPH));
  });

  it('an entry whose id is listed again is only forgotten: the new workflow\'s room and the new skill and its versions are kept', async () => {
    const { storage, rooms, versions, deps } = await setup();
    await seedWorkflow(rooms, home, 'w');
    await rooms.use('user/default', (room) => {
      trashWorkflow(room.doc, home, 'w', { by: 'default', at: '2026-01-01T00:00:00.000Z' });
      putSkillSource(room.doc, 's', '---\nname: S\n---\nold');
    });
    await rooms.use('user/default', (room) => trashSkill(room.doc, home, 's', { by: 'default', at: '2026-01-01T00:00:00.000Z' }));
    // Made again under the same ids, with their own content and versions.
    await seedWorkflow(rooms, home, 'w');
    await rooms.use('user/default', (room) => putSkillSource(room.doc, 's', '---\nname: S\n---\nnew work'));
    await addVersion(versions, 'user/default/skill/s');
    await addVersion(versions, 'user/default/workflow/w');

    expect((await purgeTrashEntry(deps, 'user/default', 'user.default.skill.s', ORIGIN.rest))?.id).toBe('user.default.skill.s');
    expect(await sweepTrash(storage, deps, { days: 30 })).toEqual({ purged: ['user.default.workflow.w'], failed: [] });
    expect(await rooms.use('user/default', (room) => ({ trash: listTrash(room.doc, home), skill: getSkillSource(room.doc, 's') }))).toEqual({ trash: [], skill: '---\nname: S\n---\nnew work' });
    expect(await versioned(versions, ['user/default/skill/s', 'user/default/workflow/w'])).toEqual(['user/default/skill/s', 'user/default/workflow/w']);
    expect(sameGraph((await storedWorkflow(storage, 'user/default/workflow/w')).graph)).toEqual(sameGraph(SEEDED_GRAPH));
  });

  it('a restore while the purge runs is refused as being deleted for good, and a purge cut short is retried by the sweep only once its marker is stale', async () => {
    const { storage, rooms, versions, deps } = await setup();
    await seedWorkflow(rooms, home, 'w');
    await rooms.use('user/default', (room) => trashWorkflow(room.doc, home, 'w', { by: 'default', at: new Date().toISOString() }));
    let release = () => {};
    versions.hold = new Promise((r) => (release = r));
    const purging = purgeTrashEntry(deps, 'user/default', 'user.default.workflow.w', ORIGIN.rest);
    await waitFor(() => rooms.use('user/default', (room) => getTrashEntry(room.doc, home, 'user.default.workflow.w')?.purging !== undefined), 'the purging marker');
    const restored = await rooms.use('user/default', (room) => room.doc.transact(() => restoreFromTrash(room.doc, home, 'user.default.workflow.w'), ORIGIN.rest));
    expect(restored).toMatchObject({ ok: false, error: { code: 'purging', message: expect.stringContaining('being deleted for good') } });
    release();
    expect((await purging)?.id).toBe('user.default.workflow.w');
    expect(await rooms.use('user/default', (room) => ({ listed: getWorkflowListing(room.doc, 'w'), trash: listTrash(room.doc, home) }))).toEqual({ listed: undefined, trash: [] });

    // A purge that crashed after its marker: a recent deletion, so only the stale marker makes it due.
    versions.hold = null;
    await seedWorkflow(rooms, home, 'c');
    await rooms.use('user/default', (room) => {
      trashWorkflow(room.doc, home, 'c', { by: 'default', at: new Date().toISOString() });
      markPurging(room.doc, home, 'user.default.workflow.c', new Date().toISOString());
    });
    expect(await sweepTrash(storage, deps, { days: 30 })).toEqual({ purged: [], failed: [] });
    const later = () => Date.now() + STALE_PURGE_MS + 1;
    expect(await sweepTrash(storage, deps, { days: 30, now: later })).toEqual({ purged: ['user.default.workflow.c'], failed: [] });
    expect((await storedWorkflow(storage, 'user/default/workflow/c')).empty).toBe(true);
  });

  it('a room in use when it is purged: its holder is cut off, uses that come meanwhile wait and then find it empty', async () => {
    const { storage, rooms } = await setup();
    const name = 'user/default/workflow/w';
    await seedWorkflow(rooms, home, 'w');
    const held = await rooms.acquire(name);
    const purging = rooms.purge(name, CLOSE.roomDeleted);
    const during = rooms.use(name, (room) => readWorkflowGraph(room.doc).nodes.length);
    await purging;
    expect(await during).toBe(0);
    // A REST call that held it answers 410 "deleted for good" (sync-server/src/http/errors.ts).
    await expect(held.durable()).rejects.toBeInstanceOf(RoomDeletedError);
    // The old holder's release does not count against the room loaded since.
    rooms.release(held);
    const again = await rooms.acquire(name);
    expect(again).not.toBe(held);
    rooms.release(again);
    expect(await storage.read(name)).toEqual({ snapshot: null, updates: [] });
  });

  it('an entry not due by the purge\'s own test is left alone, and one whose time does not parse never expires', async () => {
    const { storage, rooms, deps } = await setup();
    await seedWorkflow(rooms, home, 'x');
    await rooms.use('user/default', (room) => trashWorkflow(room.doc, home, 'x', { by: 'default', at: '2026-01-01T00:00:00.000Z' }));
    expect(await purgeTrashEntry(deps, 'user/default', 'user.default.workflow.x', ORIGIN.rest, (e) => isExpired(e, 30, Date.parse('2026-01-02T00:00:00.000Z')))).toBeNull();
    expect((await storedWorkflow(storage, 'user/default/workflow/x')).empty).toBe(false);
    expect(isExpired({ deleted_at: 'not a date' } as TrashEntry, 0, Date.now())).toBe(false);
  });

  it('versions: kept through the trash and a restore; deleted for good with the room, a checkpoint still pending included', async () => {
    // Checkpoints wait 1.5 s of quiet: the edit below is still pending when the room is purged.
    const server = await start({ HISTORY_PAUSE_MS: '1500', HISTORY_MAX_MS: '1500' });
    const room = 'user/default/workflow/wv';
    await seedWorkflow(server.rooms, home, 'wv');
    expect((await api(server, 'POST', '/api/versions', { room, name: 'before the refactor' })).status).toBe(201);
    await trashInIndex(server, 'wv');
    expect((await api(server, 'POST', '/api/trash/user.default.workflow.wv/restore')).status).toBe(200);
    expect((await api(server, 'GET', `/api/versions?room=${room}`)).body.versions.map((v: VersionMeta) => v.name)).toEqual(['before the refactor']);

    await server.rooms.use(room, (r) => r.doc.transact(() => writeWorkflowMeta(r.doc, { name: 'Renamed just before' }), ORIGIN.rest));
    await trashInIndex(server, 'wv');
    expect((await api(server, 'DELETE', '/api/trash/user.default.workflow.wv')).status).toBe(200);
    expect(await server.history.list(room)).toEqual([]);
    // Past the pause, the checkpoint that was pending has not come back.
    await new Promise((r) => setTimeout(r, 2000));
    expect((await api(server, 'GET', `/api/versions?room=${room}`)).body.versions).toEqual([]);
  });

  it('a purged session room is gone with its messages', async () => {
    const server = await start();
    const { body: s } = await api(server, 'POST', '/api/sessions', { name: 'Gone', initial_message: 'hello' });
    await api(server, 'DELETE', `/api/sessions/${s.id}`);
    const room = `user/default/session/${s.id}`;
    expect(await server.rooms.use(room, (r) => readMessages(r.doc).length)).toBe(1);
    expect((await api(server, 'DELETE', `/api/trash/user.default.session.${s.id}`)).status).toBe(200);
    expect(await server.storage.read(room)).toEqual({ snapshot: null, updates: [] });
  });
});
