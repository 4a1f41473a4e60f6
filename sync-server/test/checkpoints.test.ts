// HIST-10: who a checkpoint names and what it prunes. Authors are the identities whose updates
// reached the room since the version before: two people over the WebSocket, a share link, a REST
// caller; after each version the subject's checkpoints are pruned to the retention policy.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE } from '../../shared/src/codes';
import { trashWorkflow } from '../../shared/src/documents/trash';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { putNode, readWorkflowGraph } from '../../shared/src/documents/workflow';
import { ORIGIN } from '../../shared/src/origins';
import { versionIdOf, type VersionMeta } from '../../shared/src/history/version';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { Checkpoints } from '../src/history/checkpoints';
import { MemoryHistory } from '../src/history/memory-history';
import { Rooms } from '../src/rooms/rooms';
import { MemoryStorage } from '../src/storage/memory';
import { purgeTrashEntry } from '../src/trash/purge';
import { connectClient, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { requestAs } from './harness/rest-as';
import { seedWorkflow } from './harness/trash-items';
import { waitFor } from './harness/wait';

const SECRET = 'checkpoint-authors-secret-0123456789-abcdef';
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const node = (id: string) => ({ id, skillId: 'square', label: id, position: { x: 0, y: 0 }, inputs: {} });

describe('checkpoint authors', () => {
  it('names everyone whose changes reached the room since the last version, and only them', async () => {
    const server = await startTestServer({ AUTH_SECRET: SECRET, HISTORY_PAUSE_MS: '200', HISTORY_MAX_MS: '60000' });
    cleanups.push(() => server.close());
    const room = 'team/lab/workflow/shared';
    const token = { bob: await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] }), ada: await mintUserToken(SECRET, { sub: 'ada', teams: ['lab'] }) };
    const open = async (t: string): Promise<TestClient> => {
      const c = connectClient(server.url, room, { params: { token: t } });
      cleanups.push(() => c.destroy());
      await synced(c);
      return c;
    };
    const list = async (): Promise<VersionMeta[]> => (await requestAs(server.url, token.bob, `/api/versions?room=${room}`)).body.versions;
    const bob = await open(token.bob);
    const ada = await open(token.ada);
    putNode(bob.doc, node('b1'));
    putNode(ada.doc, node('a1'));
    await waitFor(async () => (await list()).length === 1, 'the first checkpoint');
    expect((await list())[0]!.authors).toEqual(['ada', 'bob']);

    // Only ada since then; then a share link's holder and a REST caller (carol's named version holds no change of hers).
    putNode(ada.doc, node('a2'));
    await waitFor(async () => (await list()).length === 2, 'the second checkpoint');
    expect((await list())[0]!.authors).toEqual(['ada']);
    const link = await open(await mintShareToken(SECRET, room, 'write'));
    putNode(link.doc, node('s1'));
    await waitFor(async () => (await list()).length === 3, 'the third checkpoint');
    expect((await list())[0]!.authors).toEqual(['share link']);
    const carol = await mintUserToken(SECRET, { sub: 'carol', teams: ['lab'] });
    const named = await requestAs(server.url, carol, '/api/versions', { method: 'POST', body: { room, name: 'carol names it' } });
    expect(named.body.authors).toEqual([]);
    expect((await requestAs(server.url, carol, `/api/versions/${(await list())[3]!.id}/restore`, { method: 'POST' })).status).toBe(200);
    await waitFor(async () => (await list()).length === 5, 'the checkpoint of the restore');
    expect((await list())[0]).toMatchObject({ name: null, authors: ['carol'] });
  });
});

describe('retention', () => {
  it('prunes the subject to the retention policy after each version: named ones and the newest of each hour stay', async () => {
    const storage = new MemoryStorage();
    const history = new MemoryHistory();
    const now = Date.UTC(2026, 5, 10, 12, 0, 0);
    const rooms: Rooms = new Rooms(storage, { idleMs: 60_000, compactAfter: 1000, groupCommitMs: 0, onDurableChange: (r) => checkpoints.changed(r), onApplied: (r, by, t) => checkpoints.applied(r, by, t) }, pino({ level: 'silent' }));
    const checkpoints: Checkpoints = new Checkpoints(rooms, history, { pauseMs: 60_000, maxMs: 60_000, now: () => now }, pino({ level: 'silent' }));
    cleanups.push(async () => {
      await rooms.closeAll();
      await checkpoints.close();
    });
    const subject = 'user/alice/workflow/old';
    // Two days ago: six checkpoints in one hour and a named version among them.
    const twoDaysAgo = now - 2 * 86_400_000;
    const old: VersionMeta[] = [0, 1, 2, 3, 4, 5].map((i) => ({
      id: versionIdOf(subject, twoDaysAgo + i * 60_000, `o${i}`),
      room: subject,
      name: i === 2 ? 'kept by name' : null,
      created_at: new Date(twoDaysAgo + i * 60_000).toISOString(),
      authors: ['alice'],
      changes: { kind: 'messages', added: 0, removed: 0, changed: 0 },
      size: 1,
    }));
    for (const meta of old) await history.add(meta, Y.encodeStateAsUpdate(new Y.Doc()));
    await rooms.use(subject, (room) => putNode(room.doc, node('n1')));
    const taken = await checkpoints.named({ kind: 'workflow', volume: 'user', volumeId: 'alice', id: 'old', room: subject, name: subject }, 'now');
    expect((await history.list(subject)).map((v) => v.id)).toEqual([taken!.id, old[5]!.id, old[2]!.id]);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const silent = pino({ level: 'silent' });

/** Memory versions whose reads take `delayMs`: a checkpoint spends that long being stored. */
class SlowHistory extends MemoryHistory {
  constructor(private readonly delayMs: number) {
    super();
  }
  override async latest(subject: string): Promise<VersionMeta | null> {
    await sleep(this.delayMs);
    return super.latest(subject);
  }
}

/** Rooms wired to checkpoints as the server wires them. */
function checkpointedRooms(history: MemoryHistory, options: { pauseMs: number; maxMs: number; idleMs?: number }, storage = new MemoryStorage()) {
  const rooms: Rooms = new Rooms(
    storage,
    {
      idleMs: options.idleMs ?? 60_000,
      compactAfter: 1000,
      groupCommitMs: 0,
      onDurableChange: (r) => checkpoints.changed(r),
      onApplied: (r, by, t) => checkpoints.applied(r, by, t),
      beforeUnload: (r) => checkpoints.unloading(r),
      onDropped: (r) => checkpoints.dropped(r),
    },
    silent,
  );
  const checkpoints: Checkpoints = new Checkpoints(rooms, history, options, silent);
  cleanups.push(async () => {
    await rooms.closeAll();
    await checkpoints.close();
  });
  return { storage, rooms, checkpoints };
}

describe('checkpoints and a purge for good', () => {
  const home = { volume: 'user', volumeId: 'alice' } as const;
  const room = 'user/alice/workflow/w';

  it('a checkpoint being stored when its room is purged does not land after the purge removed the versions', async () => {
    const history = new SlowHistory(100);
    const { rooms, checkpoints } = checkpointedRooms(history, { pauseMs: 1, maxMs: 10 });
    await seedWorkflow(rooms, home, 'w');
    // The checkpoint's timer has fired: its version is being stored (reading the latest takes 100 ms).
    await sleep(20);
    await rooms.use('user/alice', (r) => trashWorkflow(r.doc, home, 'w', { by: 'alice', at: new Date().toISOString() }));
    const purged = await purgeTrashEntry({ rooms, versions: checkpoints, log: silent }, 'user/alice', 'user.alice.workflow.w', ORIGIN.rest);
    expect(purged?.room).toBe(room);
    await sleep(300);
    expect(await history.list(room)).toEqual([]);
  });

  it('a room purged with changes pending takes no checkpoint of them, not even at close', async () => {
    const history = new MemoryHistory();
    const { rooms, checkpoints } = checkpointedRooms(history, { pauseMs: 60_000, maxMs: 60_000 });
    await rooms.use(room, (r) => putNode(r.doc, node('n1')));
    await rooms.purge(room, CLOSE.roomDeleted);
    await rooms.closeAll();
    await checkpoints.close();
    expect(await history.list(room)).toEqual([]);
  });
});

/** Memory storage whose appends fail once told to (a backend that went down). */
class FailingStorage extends MemoryStorage {
  failing = false;
  override async append(room: string, updates: Uint8Array[]): Promise<void> {
    if (this.failing) throw new Error('storage down');
    return super.append(room, updates);
  }
}

describe('what the checkpoints keep pending', () => {
  const at = '2026-01-01T00:00:00.000Z';

  it('a volume index change that touches no skill leaves nothing pending; a skill change does', async () => {
    const { rooms, checkpoints } = checkpointedRooms(new MemoryHistory(), { pauseMs: 60_000, maxMs: 60_000 });
    await rooms.use('user/alice', (r) => putWorkflowListing(r.doc, 'w', { name: 'W', description: '', created_at: at, updated_at: at }));
    expect(checkpoints.pendingRooms).toEqual([]);
    await rooms.use('user/alice', (r) => r.doc.getMap('skills').set('s', new Y.Text('---\nname: S\n---\n')));
    expect(checkpoints.pendingRooms).toEqual(['user/alice']);
  });

  it('a room whose storage fails is forgotten, and what is applied to it afterwards too', async () => {
    const storage = new FailingStorage();
    const { rooms, checkpoints } = checkpointedRooms(new MemoryHistory(), { pauseMs: 60_000, maxMs: 60_000 }, storage);
    const room = 'user/alice/workflow/w';
    const held = await rooms.acquire(room);
    storage.failing = true;
    putNode(held.doc, node('n1'));
    // The write in flight fails; the room says so from then on.
    await held.durable().catch(() => undefined);
    await expect(held.durable()).rejects.toThrow();
    expect(checkpoints.pendingRooms).toEqual([]);
    // A holder that has not let go yet writes on.
    putNode(held.doc, node('n2'));
    expect(checkpoints.pendingRooms).toEqual([]);
    rooms.release(held);
  });
});

/** Memory versions whose `add` waits until `open` is called (a history backend that hangs). */
class GatedHistory extends MemoryHistory {
  open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  override async add(meta: VersionMeta, content: Uint8Array): Promise<void> {
    await this.gate;
    return super.add(meta, content);
  }
}

describe('a room unloading while its checkpoint is stored', () => {
  it('reopens at once; close waits for the version being stored', async () => {
    const history = new GatedHistory();
    const { rooms, checkpoints } = checkpointedRooms(history, { pauseMs: 60_000, maxMs: 60_000, idleMs: 10 });
    // Should the test fail, the store is let finish so that closing does not hang (cleanups run last first).
    cleanups.push(() => history.open());
    const room = 'user/alice/workflow/w';
    await rooms.use(room, (r) => putNode(r.doc, node('n1')));
    await waitFor(() => !rooms.loaded.includes(room), 'the room to unload');
    const reopened = rooms.use(room, (r) => readWorkflowGraph(r.doc).nodes.length).then((n) => `loaded with ${n} node`);
    expect(await Promise.race([reopened, sleep(1000).then(() => 'still waiting')])).toBe('loaded with 1 node');

    let closed = false;
    const closing = checkpoints.close().then(() => (closed = true));
    await sleep(50);
    expect(closed).toBe(false);
    history.open();
    await closing;
    expect((await history.list(room)).map((v) => v.name)).toEqual([null]);
  });
});
