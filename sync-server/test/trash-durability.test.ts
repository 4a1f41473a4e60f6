// TRASH-3: what is in the trash survives kill -9 and a restart, on the file backend and on
// Redis + S3, and comes back whole when restored. TRASH-4: a restart with a short TRASH_DAYS
// purges what has expired, at start: its log and its snapshot are gone from storage for good.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getTrashEntry, trashWorkflow } from '../../shared/src/documents/trash';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, writeWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import type { HistoryStore } from '../src/history/history-store';
import { openHistory } from '../src/history/open-history';
import { FileStorage } from '../src/storage/file';
import { RedisRoomLog } from '../src/storage/redis-log';
import { S3SnapshotStore } from '../src/storage/s3-snapshots';
import { SplitStorage } from '../src/storage/split';
import type { Storage } from '../src/storage/storage';
import { connectSynced, type TestClient } from './harness/clients';
import { startRedis } from './harness/redis-server';
import { startS3Server } from './harness/s3-server';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { requestAs } from './harness/rest-as';
import { teardownEachTest } from './harness/teardown';
import { SEEDED_GRAPH } from './harness/trash-items';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-trash-dur-');

interface Backend {
  /** The server's environment for this backend. */
  env: Record<string, string>;
  /** Whether a room has a compacted snapshot, read beside the server. */
  hasSnapshot(room: string): Promise<boolean>;
  /** The storage the server used, opened by the test once the server is gone. */
  open(): Promise<Storage>;
  /** The history store the server used, likewise. */
  openHistory(): Promise<HistoryStore>;
}

async function fileBackend(): Promise<Backend> {
  const dataDir = await tempDir();
  return {
    env: { DATA_DIR: dataDir },
    hasSnapshot: (room) => fs.access(path.join(dataDir, 'rooms', `${encodeURIComponent(room)}.snapshot`)).then(() => true, () => false),
    open: () => FileStorage.open(dataDir),
    openHistory: () => openHistory({ storage: 'file', dataDir }),
  };
}

async function redisS3Backend(): Promise<Backend> {
  const redis = await startRedis();
  cleanups.push(() => redis.destroy());
  const s3 = await startS3Server();
  cleanups.push(() => s3.destroy());
  // The child inherits them: S3 credentials come the standard way.
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  const snapshots = new S3SnapshotStore(s3.config);
  cleanups.push(() => snapshots.close());
  const dataDir = await tempDir();
  return {
    env: { REDIS_URL: redis.url, S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_REGION: s3.region, S3_FORCE_PATH_STYLE: 'true', DATA_DIR: dataDir },
    hasSnapshot: async (room) => (await snapshots.get(room)) !== null,
    open: async () => new SplitStorage(RedisRoomLog.connect(redis.url), new S3SnapshotStore(s3.config)),
    openHistory: () => openHistory({ storage: 'file', dataDir, redisUrl: redis.url, s3: s3.config }),
  };
}

async function start(backend: Backend, extra: Record<string, string> = {}): Promise<ServerProcess> {
  // Rooms unload (and compact into a snapshot) soon after their last use, so purges meet snapshots too.
  const server = await startServerProcess({ ...backend.env, ROOM_IDLE_MS: '200', ...extra });
  cleanups.push(() => server.stop('SIGKILL'));
  return server;
}

const api = (server: ServerProcess, method: string, url: string, body?: unknown) => requestAs(server.url, undefined, url, { method, body });

async function client(server: ServerProcess, room: string): Promise<TestClient> {
  const c = await connectSynced(server.url, room);
  cleanups.push(() => c.destroy());
  return c;
}

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

async function trashSurvivesAndExpires(backend: Backend): Promise<void> {
  const workflowRoom = 'user/default/workflow/w1';
  let server = await start(backend);
  const { body: session } = await api(server, 'POST', '/api/sessions', { name: 'Kept', initial_message: 'first' });
  const sessionRoom = `user/default/session/${session.id}`;
  await api(server, 'POST', `/api/sessions/${session.id}/messages`, { role: 'assistant', content: 'second' });
  expect((await api(server, 'POST', '/api/versions', { room: sessionRoom, name: 'both messages' })).status).toBe(201);
  expect((await api(server, 'POST', '/api/skills', { name: 'Gone Skill', code: 'def execute(inputs):\n    return {}' })).status).toBe(201);
  // A workflow made as the app makes it, and seen by another client (so durable).
  const author = await client(server, workflowRoom);
  const index = await client(server, 'user/default');
  author.doc.transact(() => {
    writeWorkflowMeta(author.doc, { name: 'Filter chain', description: '', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
    writeWorkflowGraph(author.doc, SEEDED_GRAPH);
  });
  index.doc.transact(() => putWorkflowListing(index.doc, 'w1', { name: 'Filter chain', description: '', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }));
  const observer = await client(server, workflowRoom);
  await waitFor(() => readWorkflowGraph(observer.doc).nodes.length === 2, 'the workflow to be stored');
  author.destroy();
  observer.destroy();
  await waitFor(() => backend.hasSnapshot(sessionRoom), 'the session room to be compacted into a snapshot');
  await waitFor(() => backend.hasSnapshot(workflowRoom), 'the workflow room to be compacted into a snapshot');

  // Into the trash: two by REST (durable when answered), one as the app does it (durable once another client has it).
  expect((await api(server, 'DELETE', `/api/sessions/${session.id}`)).status).toBe(200);
  expect((await api(server, 'DELETE', '/api/skills/gone-skill')).status).toBe(200);
  index.doc.transact(() => trashWorkflow(index.doc, { volume: 'user', volumeId: 'default' }, 'w1', { by: 'alice', at: new Date().toISOString() }));
  const indexObserver = await client(server, 'user/default');
  await waitFor(() => getTrashEntry(indexObserver.doc, { volume: 'user', volumeId: 'default' }, 'user.default.workflow.w1') !== undefined, 'the trashed workflow to be stored');
  index.destroy();
  indexObserver.destroy();
  await server.stop('SIGKILL');

  server = await start(backend);
  const listed = (await api(server, 'GET', '/api/trash')).body.trash as Array<{ id: string; kind: string; name: string; deleted_by: string }>;
  expect(byId(listed).map(({ id, kind, name, deleted_by }) => ({ id, kind, name, deleted_by }))).toEqual([
    { id: 'user.default.session.' + session.id, kind: 'session', name: 'Kept', deleted_by: 'default' },
    { id: 'user.default.skill.gone-skill', kind: 'skill', name: 'Gone Skill', deleted_by: 'default' },
    { id: 'user.default.workflow.w1', kind: 'workflow', name: 'Filter chain', deleted_by: 'alice' },
  ]);
  // The trash leaves versions alone until a purge.
  expect((await api(server, 'GET', `/api/versions?room=${sessionRoom}`)).body.versions.map((v: { name: string }) => v.name)).toContain('both messages');
  // Restored after the crash: the workflow with its nodes and edges.
  expect((await api(server, 'POST', '/api/trash/user.default.workflow.w1/restore')).status).toBe(200);
  const reopened = await client(server, workflowRoom);
  expect({ nodes: byId(readWorkflowGraph(reopened.doc).nodes), edges: readWorkflowGraph(reopened.doc).edges }).toEqual({ nodes: byId(SEEDED_GRAPH.nodes), edges: SEEDED_GRAPH.edges });
  reopened.destroy();
  await server.stop('SIGKILL');

  // Past a short TRASH_DAYS (0.00001 days is 0.9 s), the sweep at start purges the rest for good.
  await new Promise((r) => setTimeout(r, 1000));
  server = await start(backend, { TRASH_DAYS: '0.00001' });
  await waitFor(() => server.logs.filter((l) => l.msg === 'purged from the trash for good').length === 2, 'the expired entries to be purged at start');
  expect((await api(server, 'GET', '/api/trash')).body.trash).toEqual([]);
  expect((await api(server, 'GET', '/api/skills/gone-skill')).status).toBe(404);
  expect((await api(server, 'POST', `/api/trash/user.default.session.${session.id}/restore`)).status).toBe(404);
  await server.stop('SIGKILL');

  const storage = await backend.open();
  cleanups.push(() => storage.close());
  expect(await storage.read(sessionRoom)).toEqual({ snapshot: null, updates: [] });
  expect(await storage.list()).not.toContain(sessionRoom);
  expect(await backend.hasSnapshot(sessionRoom)).toBe(false);
  const workflow = await storage.read(workflowRoom);
  expect(workflow.snapshot !== null || workflow.updates.length > 0).toBe(true);
  const history = await backend.openHistory();
  cleanups.push(() => history.close());
  expect(await history.list(sessionRoom)).toEqual([]);
}

describe('TRASH-3, TRASH-4: the trash across kill -9 and restarts', () => {
  it('file backend: trashed items survive, a restored workflow comes back whole, and expiry deletes the rest (and its versions) from disk', async () => {
    await trashSurvivesAndExpires(await fileBackend());
  }, 90_000);

  it('Redis + S3: trashed items survive, a restored workflow comes back whole, and expiry deletes the rest (and its versions) from the stream and the bucket', async () => {
    await trashSurvivesAndExpires(await redisS3Backend());
  }, 90_000);
});
