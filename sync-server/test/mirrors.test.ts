// MIRROR-1: the read models of DESIGN §6 match the documents after edits, renames and deletes:
// the original's Redis keys (real redis-server) and its blob layout, in S3 (real s3rver) or
// under DATA_DIR. Edits go through REST and stock y-websocket clients; the expected values are
// read from the documents as clients see them.
import fs from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { appendMessage, readMessages, readSessionMeta, writeSessionMeta } from '../../shared/src/documents/session';
import {
  getWorkflowListing,
  listSessions,
  listSkillSources,
  listWorkflows,
  putSessionListing,
  putSkillSource,
  putWorkflowListing,
  removeWorkflowListing,
  skillsOf,
} from '../../shared/src/documents/volume-index';
import {
  moveNode,
  moveNote,
  noteText,
  readWorkflowGraph,
  readWorkflowMeta,
  readWorkflowNotes,
  removeNode,
  writeWorkflowGraph,
  writeWorkflowMeta,
  type WorkflowGraph,
  type WorkflowNote,
} from '../../shared/src/documents/workflow';
import { isValidId } from '../../shared/src/rooms';
import { toWorkflowFile } from '../../shared/src/workflow/file';
import { loadConfig } from '../src/config';
import { FileBlobStore, type BlobStore } from '../src/mirrors/blob-store';
import { startServer } from '../src/server';
import { FileStorage } from '../src/storage/file';
import { createS3Client, S3BlobStore } from '../src/storage/s3-client';
import { connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { startRedis, type RedisServer } from './harness/redis-server';
import { startS3Server, type S3Server } from './harness/s3-server';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const { cleanups, tempDir } = teardownEachTest('llmunix-mirrors-');

async function start(env: Record<string, string>): Promise<Server> {
  const server = await startTestServer(env);
  cleanups.push(() => server.close());
  return server;
}

async function client(server: Server, room: string): Promise<TestClient> {
  const c = await connectSynced(server.url, room);
  cleanups.push(() => c.destroy());
  return c;
}

// Response bodies are checked field by field, so they stay loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(server: Server, method: string, url: string, body?: unknown): Promise<any> {
  const res = await fetch(`${server.url}${url}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, `${method} ${url}: ${JSON.stringify(json)}`).toBeLessThan(300);
  return json;
}

/** Retries an assertion until it holds; on timeout, fails with the assertion's own message. */
async function eventually(what: string, assertion: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const holds = async () => {
    try {
      await assertion();
      return true;
    } catch {
      return false;
    }
  };
  await waitFor(holds, what, timeoutMs).catch(async (e: unknown) => {
    await assertion();
    throw e;
  });
}

const skillMarkdown = (id: string, name: string, code: string) =>
  `---\nname: ${name}\nskill_id: ${id}\ntype: python\ndescription: ${name}\ninputs: []\noutputs: []\n---\n\n# ${name}\n\n## Code\n\n\`\`\`python\n${code}\n\`\`\`\n`;

const GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'n1', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: { bond: 0.74 } },
    { id: 'n2', skillId: 'quantum-vqe', label: 'VQE', position: { x: 200, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e1', source: 'n1', sourceHandle: 'hamiltonian', target: 'n2', targetHandle: 'hamiltonian' }],
};

const NOTES: WorkflowNote[] = [{ id: 'note-1', text: 'Bond length in Å', position: { x: 0, y: 200 }, size: { width: 220, height: 120 }, color: 'blue' }];

/** Creates a workflow as the app does: its room first, then its listing in the volume index. */
async function createWorkflow(server: Server, index: TestClient, id: string, name: string): Promise<TestClient> {
  const wf = await client(server, `user/default/workflow/${id}`);
  const fields = { name, description: `${name}, described`, created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z' };
  wf.doc.transact(() => {
    writeWorkflowMeta(wf.doc, fields);
    writeWorkflowGraph(wf.doc, { ...GRAPH, notes: NOTES });
  });
  putWorkflowListing(index.doc, id, fields);
  return wf;
}

/** The workflow file a workflow room should be mirrored as, exactly as the app exports it. */
function workflowText(index: Y.Doc, id: string, doc: Y.Doc): string {
  const listing = getWorkflowListing(index, id)!;
  const meta = readWorkflowMeta(doc);
  const file = toWorkflowFile({ name: meta.name || listing.name, description: meta.description || listing.description }, { ...readWorkflowGraph(doc), notes: readWorkflowNotes(doc) });
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Every blob of a volume, as the documents say it should be: key → text. */
function expectedBlobs(index: Y.Doc, workflows: Map<string, Y.Doc>, folder: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [id, markdown] of listSkillSources(index)) if (isValidId(id)) out.set(`${folder}skills/${id}.md`, markdown);
  for (const { id } of listWorkflows(index).filter((w) => isValidId(w.id))) {
    const doc = workflows.get(id);
    if (!doc) throw new Error(`the test holds no client for workflow ${id}`);
    out.set(`${folder}workflows/${id}.json`, workflowText(index, id, doc));
  }
  return new Map([...out].sort(([a], [b]) => a.localeCompare(b)));
}

async function actualBlobs(store: BlobStore, folder: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const key of await store.listBlobs(folder)) out.set(key, (await store.getBlob(key)) ?? '(gone)');
  return out;
}

describe('mirrors with Redis and S3', () => {
  let redis: RedisServer;
  let s3: S3Server;
  let reader: Redis;
  let bucket: S3BlobStore;

  beforeAll(async () => {
    [redis, s3] = await Promise.all([startRedis(), startS3Server()]);
    process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
    reader = new Redis(redis.url);
    bucket = new S3BlobStore(createS3Client(s3.config), s3.bucket);
  });
  afterAll(async () => {
    reader?.disconnect();
    await Promise.all([redis?.destroy(), s3?.destroy()]);
  });

  it('match the documents after edits, renames and deletes', async () => {
    const server = await start({
      REDIS_URL: redis.url,
      DATA_DIR: await tempDir(),
      STORAGE: 'file',
      ...s3.serverEnv,
    });
    const index = await client(server, 'user/default');

    // Sessions through REST: created with messages, renamed, paused, one deleted.
    const alpha = await api(server, 'POST', '/api/sessions', { name: 'Alpha', initial_message: 'Find the H2 ground state' });
    const beta = await api(server, 'POST', '/api/sessions', { name: 'Beta', metadata: { project: 'vqe', tags: ['a', 'b'] } });
    const gamma = await api(server, 'POST', '/api/sessions', { name: 'Gamma', initial_message: 'to be deleted' });
    await api(server, 'POST', `/api/sessions/${alpha.id}/messages`, { role: 'assistant', content: 'Use VQE.', traces: [1, 2], artifacts: ['plot.png'] });
    await api(server, 'PUT', `/api/sessions/${beta.id}`, { name: 'Beta, renamed' });
    await api(server, 'PUT', `/api/sessions/${alpha.id}`, { status: 'paused' });
    await eventually('the deleted session to be mirrored first', async () => expect(await reader.exists(`session:${gamma.id}`)).toBe(1));
    await api(server, 'DELETE', `/api/sessions/${gamma.id}`);

    // A session written by a y-websocket client, as the app does, with the chat's extras on a message.
    const deltaId = 'delta-from-yjs';
    const delta = await client(server, `user/default/session/${deltaId}`);
    const now = new Date().toISOString();
    writeSessionMeta(delta.doc, { id: deltaId, name: 'Delta', volume: 'user', volume_id: 'default', status: 'completed', created_at: now, updated_at: now, metadata: {} });
    appendMessage(delta.doc, { role: 'user', content: 'hi', timestamp: now, traces: null, artifacts: null });
    appendMessage(delta.doc, { role: 'assistant', content: 'hello', timestamp: now, traces: null, artifacts: null, skills_used: ['quantum-vqe'], error: 'stopped' });
    putSessionListing(index.doc, deltaId, { name: 'Delta', status: 'completed', created_at: now, updated_at: now });
    // Not ids: never a key.
    putSessionListing(index.doc, 'bad:id', { name: 'Bad', status: 'active', created_at: now, updated_at: now });
    putSessionListing(index.doc, '../x', { name: 'Bad', status: 'active', created_at: now, updated_at: now });

    // Skills: created and replaced through REST, edited in place by a client, one deleted; a bad key.
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('mirror-one', 'One', 'return 1') });
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('mirror-two', 'Two', 'return 2') });
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('mirror-three', 'Three', 'return 3') });
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('mirror-one', 'One', 'return 11'), overwrite: true });
    await waitFor(() => listSkillSources(index.doc).has('mirror-three'), 'the skills to reach the client');
    await eventually('the skill to be mirrored before it is deleted', async () => expect(await bucket.getBlob('volumes/user/default/skills/mirror-three.md')).not.toBeNull());
    await api(server, 'DELETE', '/api/skills/mirror-three');
    skillsOf(index.doc).get('mirror-two')!.insert(0, '<!-- edited live -->\n');
    putSkillSource(index.doc, '../escape', skillMarkdown('escape', 'Escape', 'pass'));

    // Workflows through a client: one created, edited and renamed; one created and deleted.
    const wfA = await createWorkflow(server, index, 'wf-alpha', 'Alpha flow');
    const wfB = await createWorkflow(server, index, 'wf-beta', 'Beta flow');
    await eventually('the second workflow to be mirrored', async () => expect(await bucket.getBlob('volumes/user/default/workflows/wf-beta.json')).not.toBeNull());
    moveNode(wfA.doc, 'n2', { x: 300, y: 40 });
    noteText(wfA.doc, 'note-1')!.insert(0, '**Why:** ');
    moveNote(wfA.doc, 'note-1', { x: 10, y: 240 });
    writeWorkflowMeta(wfA.doc, { name: 'Alpha flow, renamed', updated_at: new Date().toISOString() });
    putWorkflowListing(index.doc, 'wf-alpha', { name: 'Alpha flow, renamed' });
    removeWorkflowListing(index.doc, 'wf-beta');
    for (const node of readWorkflowGraph(wfB.doc).nodes) removeNode(wfB.doc, node.id);
    putWorkflowListing(index.doc, '..', { name: 'Bad', description: '', created_at: now, updated_at: now });

    // What the documents say, read by clients of the listed rooms.
    const sessions = new Map<string, Y.Doc>();
    for (const { id } of listSessions(index.doc)) if (isValidId(id)) sessions.set(id, (await client(server, `user/default/session/${id}`)).doc);
    expect([...sessions.keys()].sort()).toEqual([alpha.id, beta.id, deltaId].sort());
    const workflows = new Map([['wf-alpha', wfA.doc]]);

    await eventually('the Redis keys to match the documents', async () => {
      for (const [id, doc] of sessions) {
        expect(await reader.get(`session:${id}`)).toBe(JSON.stringify(readSessionMeta(doc)));
        const messages = readMessages(doc).map(({ role, content, timestamp, traces, artifacts }) => JSON.stringify({ role, content, timestamp, traces, artifacts }));
        expect(await reader.lrange(`session:${id}:messages`, 0, -1)).toEqual(messages);
      }
      expect((await reader.smembers('user:default:sessions')).sort()).toEqual([...sessions.keys()].sort());
      expect((await reader.smembers('all:sessions')).sort()).toEqual([...sessions.keys()].sort());
      expect(await reader.exists(`session:${gamma.id}`, `session:${gamma.id}:messages`)).toBe(0);
    });
    // Spot checks of what the loop above compared wholesale.
    expect(JSON.parse((await reader.get(`session:${alpha.id}`))!)).toMatchObject({ id: alpha.id, name: 'Alpha', status: 'paused', volume: 'user', volume_id: 'default' });
    expect(JSON.parse((await reader.get(`session:${beta.id}`))!)).toMatchObject({ name: 'Beta, renamed', metadata: { project: 'vqe', tags: ['a', 'b'] } });
    expect((await reader.lrange(`session:${alpha.id}:messages`, 0, -1)).map((m) => JSON.parse(m))).toEqual([
      { role: 'user', content: 'Find the H2 ground state', timestamp: alpha.created_at, traces: null, artifacts: null },
      expect.objectContaining({ role: 'assistant', content: 'Use VQE.', traces: [1, 2], artifacts: ['plot.png'] }),
    ]);
    expect(JSON.parse((await reader.lindex(`session:${deltaId}:messages`, 1))!)).toEqual({ role: 'assistant', content: 'hello', timestamp: now, traces: null, artifacts: null });
    // A session without messages has no list: Redis keeps no empty lists.
    const mirrored = [...sessions].flatMap(([id, doc]) => [`session:${id}`, ...(readMessages(doc).length > 0 ? [`session:${id}:messages`] : [])]);
    expect((await reader.keys('*')).filter((k) => !k.startsWith('llmunix:')).sort()).toEqual([...mirrored, 'all:sessions', 'user:default:sessions'].sort());

    await eventually('the blobs in S3 to match the documents', async () => {
      expect(await actualBlobs(bucket, 'volumes/user/default/')).toEqual(expectedBlobs(index.doc, workflows, 'volumes/user/default/'));
    });
    expect([...(await actualBlobs(bucket, 'volumes/user/default/')).keys()]).toEqual([
      'volumes/user/default/skills/mirror-one.md',
      'volumes/user/default/skills/mirror-two.md',
      'volumes/user/default/workflows/wf-alpha.json',
    ]);
    expect(await bucket.getBlob('volumes/user/default/skills/mirror-two.md')).toMatch(/^<!-- edited live -->\n---/);
    expect(JSON.parse((await bucket.getBlob('volumes/user/default/workflows/wf-alpha.json'))!)).toMatchObject({
      format: 'llmunix-workflow',
      name: 'Alpha flow, renamed',
      nodes: [expect.anything(), expect.objectContaining({ id: 'n2', position: { x: 300, y: 40 } })],
      version: 2,
      notes: [{ ...NOTES[0], text: '**Why:** Bond length in Å', position: { x: 10, y: 240 } }],
    });
    expect(await bucket.listBlobs('volumes/user/')).toEqual((await bucket.listBlobs('volumes/user/default/')));

    // The system volume's skills, loaded at start, are there too.
    const system = await client(server, 'system/system');
    await eventually('the system skills in S3', async () => {
      expect(await actualBlobs(bucket, 'volumes/system/system/')).toEqual(expectedBlobs(system.doc, new Map(), 'volumes/system/system/'));
    });
    expect(listSkillSources(system.doc).size).toBeGreaterThan(0);
  });

  it('two instances on one Redis and one bucket keep one mirror between them', async () => {
    // Their own Redis and bucket, so the volume starts empty.
    const [redis2, s3b] = await Promise.all([startRedis(), startS3Server({ bucket: 'llmunix-two' })]);
    cleanups.push(() => Promise.all([redis2.destroy(), s3b.destroy()]));
    const bucket2 = new S3BlobStore(createS3Client(s3b.config), s3b.bucket);
    const env = {
      REDIS_URL: redis2.url,
      DATA_DIR: await tempDir(),
      STORAGE: 'file',
      ...s3b.serverEnv,
    };
    const a = await start(env);
    const b = await start(env);
    const onA = await client(a, 'user/default');
    const onB = await client(b, 'user/default');
    const workflowOnB = await createWorkflow(b, onB, 'wf-shared', 'Shared');
    putSkillSource(onA.doc, 'lab-skill', skillMarkdown('lab-skill', 'Lab', 'return 0'));
    await waitFor(() => listSkillSources(onB.doc).has('lab-skill') && listWorkflows(onA.doc).length === 1, 'both edits to cross instances');
    putSkillSource(onB.doc, 'lab-skill', skillMarkdown('lab-skill', 'Lab', 'return 42'));
    writeWorkflowMeta(workflowOnB.doc, { name: 'Shared, renamed' });
    putWorkflowListing(onA.doc, 'wf-shared', { name: 'Shared, renamed' });
    const workflows = new Map([['wf-shared', workflowOnB.doc]]);
    await eventually('the volume in S3 to match the documents on both instances', async () => {
      const actual = await actualBlobs(bucket2, 'volumes/user/default/');
      expect(actual).toEqual(expectedBlobs(onA.doc, workflows, 'volumes/user/default/'));
      expect(actual).toEqual(expectedBlobs(onB.doc, workflows, 'volumes/user/default/'));
      expect(actual.get('volumes/user/default/skills/lab-skill.md')).toContain('return 42');
      expect(actual.get('volumes/user/default/workflows/wf-shared.json')).toContain('"name": "Shared, renamed"');
    });
  });

  it('catch up by themselves after the bucket was unreachable', async () => {
    const [redis3, s3c] = await Promise.all([startRedis(), startS3Server({ bucket: 'llmunix-outage' })]);
    cleanups.push(() => Promise.all([redis3.destroy(), s3c.destroy()]));
    const bucket3 = new S3BlobStore(createS3Client(s3c.config), s3c.bucket);
    // The server's warnings, to see the mirror fail.
    const warnings: Array<{ msg?: string }> = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line) as { msg?: string }) });
    const config = loadConfig({
      PORT: '0',
      REDIS_URL: redis3.url,
      DATA_DIR: await tempDir(),
      STORAGE: 'file',
      ...s3c.serverEnv,
    });
    const server = { ...(await startServer(config, { log })), config };
    cleanups.push(() => server.close());
    const index = await client(server, 'user/default');
    await s3c.stop();
    // The log is in Redis, so edits go on; only the mirror's writes fail, and are retried.
    putSkillSource(index.doc, 'outage', skillMarkdown('outage', 'Outage', 'return 1'));
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('outage-two', 'Two', 'return 2') });
    await waitFor(() => warnings.some((w) => w.msg === 'mirror write failed'), 'a mirror write to fail');
    await s3c.restart();
    await eventually('the mirror to catch up once the bucket is back', async () => {
      expect(await actualBlobs(bucket3, 'volumes/user/default/')).toEqual(expectedBlobs(index.doc, new Map(), 'volumes/user/default/'));
    }, 20_000);
    expect(listSkillSources(index.doc).size).toBe(2);
  });
});

describe('mirrors under DATA_DIR (embedded file storage)', () => {
  it('write skill and workflow files, delete them, refuse bad ids, and flush at shutdown', async () => {
    const dataDir = await tempDir();
    const files = new FileBlobStore(dataDir);
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    cleanups.push(() => server.close());
    const index = await client(server, 'user/default');

    await api(server, 'POST', '/api/skills', { content: skillMarkdown('file-one', 'One', 'return 1') });
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('file-two', 'Two', 'return 2') });
    const wf = await createWorkflow(server, index, 'wf-file', 'File flow');
    const gone = await createWorkflow(server, index, 'wf-gone', 'Gone flow');
    putSkillSource(index.doc, '../../escape', skillMarkdown('escape', 'Escape', 'pass'));
    putWorkflowListing(index.doc, '../../../etc', { name: 'Bad', description: '', created_at: '', updated_at: '' });
    await waitFor(() => listSkillSources(index.doc).has('file-two'), 'the skills to reach the client');
    await eventually('the files to be written', async () => {
      expect(await files.listBlobs('volumes/user/default/')).toEqual([
        'volumes/user/default/skills/file-one.md',
        'volumes/user/default/skills/file-two.md',
        'volumes/user/default/workflows/wf-file.json',
        'volumes/user/default/workflows/wf-gone.json',
      ]);
    });

    await api(server, 'DELETE', '/api/skills/file-one');
    removeWorkflowListing(index.doc, 'wf-gone');
    removeNode(gone.doc, 'n1');
    moveNode(wf.doc, 'n1', { x: -50, y: 10 });
    const workflows = new Map([['wf-file', wf.doc]]);
    await eventually('the files to match the documents', async () => {
      expect(await actualBlobs(files, 'volumes/user/default/')).toEqual(expectedBlobs(index.doc, workflows, 'volumes/user/default/'));
    });
    expect([...(await actualBlobs(files, 'volumes/user/default/')).keys()]).toEqual(['volumes/user/default/skills/file-two.md', 'volumes/user/default/workflows/wf-file.json']);
    // Nothing escaped its folder (the versions keep to theirs; the lock is the server's, DUR-8), and no temporary file was left behind.
    expect((await fs.readdir(dataDir)).sort()).toEqual(['history', 'llmunix.lock', 'rooms', 'volumes']);
    expect((await fs.readdir(path.join(dataDir, 'volumes'))).sort()).toEqual(['system', 'user']);
    expect((await fs.readdir(path.join(dataDir, 'volumes/user'))).sort()).toEqual(['default']);
    expect((await fs.readdir(path.join(dataDir, 'volumes/user/default'), { recursive: true })).sort()).toEqual([
      'skills',
      'skills/file-two.md',
      'workflows',
      'workflows/wf-file.json',
    ]);

    // A change made just before a graceful shutdown is in the mirror once the server has stopped.
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('file-two', 'Two', 'return 22'), overwrite: true });
    await api(server, 'POST', '/api/skills', { content: skillMarkdown('file-last', 'Last', 'return 3') });
    for (const c of cleanups.splice(1).reverse()) await c();
    expect(await files.getBlob('volumes/user/default/skills/file-two.md')).toBe(skillMarkdown('file-two', 'Two', 'return 22'));
    expect(await files.getBlob('volumes/user/default/skills/file-last.md')).toBe(skillMarkdown('file-last', 'Last', 'return 3'));
  });

  it('read the rooms from storage: mirroring loads no room into memory, not even the volume it checks', async () => {
    const dataDir = await tempDir();
    // A volume that lists a workflow, stored before the server starts, so no client has it open.
    const stored = await FileStorage.open(dataDir);
    const index = new Y.Doc();
    putWorkflowListing(index, 'wf-cold', { name: 'Cold', description: 'Stored only', created_at: '2025-01-01T00:00:00.000Z', updated_at: '2025-01-01T00:00:00.000Z' });
    const seeded = new Y.Doc();
    writeWorkflowGraph(seeded, GRAPH);
    await stored.append('user/default', [Y.encodeStateAsUpdate(index)]);
    await stored.append('user/default/workflow/wf-cold', [Y.encodeStateAsUpdate(seeded)]);
    await stored.close();

    const files = new FileBlobStore(dataDir);
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    cleanups.push(() => server.close());
    const wf = await client(server, 'user/default/workflow/wf-cold');
    moveNode(wf.doc, 'n2', { x: 321, y: 123 });
    await eventually('the workflow file to hold the edit', async () => {
      expect(await files.getBlob('volumes/user/default/workflows/wf-cold.json')).toBe(workflowText(index, 'wf-cold', wf.doc));
    });
    // The mirror checked the listing in "user/default" without loading that room (rooms stay 30 s after use).
    expect(server.rooms.loaded).toContain('user/default/workflow/wf-cold');
    expect(server.rooms.loaded).not.toContain('user/default');
  });
});
