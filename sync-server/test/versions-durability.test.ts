// HIST-13: a version the server has acknowledged (a named version's 201, a checkpoint listed)
// survives kill -9 and a restart, on the file backend and on Redis + S3; with Redis + S3 the
// restarted server even gets a fresh DATA_DIR, so the versions can only have come from there.
// Two instances on one Redis list the same versions, each change versioned once.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { VersionMeta } from '../../shared/src/history/version';
import { putNode, readWorkflowGraph } from '../../shared/src/documents/workflow';
import { connectSynced } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { startRedis } from './harness/redis-server';
import { startS3Server } from './harness/s3-server';
import { requestAs } from './harness/rest-as';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-versions-dur-');
const room = 'user/default/workflow/kept';

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess({ HISTORY_PAUSE_MS: '100', HISTORY_MAX_MS: '1000', ...env });
  cleanups.push(() => server.stop('SIGKILL'));
  return server;
}
const api = (server: ServerProcess, method: string, path: string, body?: unknown) => requestAs(server.url, undefined, path, { method, body });
const versionsOf = async (server: ServerProcess): Promise<VersionMeta[]> => (await api(server, 'GET', `/api/versions?room=${room}`)).body.versions;

/** Edits, waits for a checkpoint, names versions in a burst and kills the server right after the last 201; then checks a restart has them all. */
async function survives(first: Record<string, string>, second: Record<string, string>): Promise<void> {
  const server = await start(first);
  const editor = await connectSynced(server.url, room);
  cleanups.push(() => editor.destroy());
  putNode(editor.doc, { id: 'n1', skillId: 'square', label: 'Square', position: { x: 0, y: 0 }, inputs: {} });
  await waitFor(async () => (await versionsOf(server)).length === 1, 'the first checkpoint', 15_000);
  putNode(editor.doc, { id: 'n2', skillId: 'square', label: 'Offset', position: { x: 1, y: 0 }, inputs: {} });
  const named: string[] = [];
  for (let i = 0; i < 5; i++) {
    const made = await api(server, 'POST', '/api/versions', { room, name: `named ${i}` });
    expect(made.status).toBe(201);
    named.push(made.body.id);
  }
  const acknowledged = (await versionsOf(server)).map((v) => v.id);
  await server.stop('SIGKILL');
  editor.destroy();

  const restarted = await start(second);
  const listed = await versionsOf(restarted);
  expect(listed.map((v) => v.id)).toEqual(expect.arrayContaining([...acknowledged, ...named]));
  const last = await api(restarted, 'GET', `/api/versions/${named[4]}`);
  expect(last.body).toMatchObject({ name: 'named 4', content: { nodes: [expect.objectContaining({ id: 'n1' }), expect.objectContaining({ id: 'n2' })] } });
  // The first checkpoint still restores: the live room goes back to its one node.
  const checkpoint = listed.find((v) => v.name === null && !named.includes(v.id)) as VersionMeta;
  expect((await api(restarted, 'POST', `/api/versions/${checkpoint.id}/restore`)).status).toBe(200);
  const reader = await connectSynced(restarted.url, room);
  cleanups.push(() => reader.destroy());
  await waitFor(() => readWorkflowGraph(reader.doc).nodes.length === 1, 'the restored workflow');
  const raw = new Uint8Array(await (await fetch(`${restarted.url}/api/versions/${checkpoint.id}/raw`)).arrayBuffer());
  const doc = new Y.Doc();
  Y.applyUpdate(doc, raw);
  expect(readWorkflowGraph(doc).nodes.map((n) => n.id)).toEqual(['n1']);
}

describe('versions survive kill -9', () => {
  it('on the file backend', async () => {
    const env = { DATA_DIR: await tempDir() };
    await survives(env, env);
  }, 60_000);

  it('on Redis + S3, with a fresh DATA_DIR after the restart', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    const s3 = await startS3Server({ bucket: 'versions-durability' });
    cleanups.push(() => s3.destroy());
    const shared = { REDIS_URL: redis.url, ...s3.serverEnv };
    await survives({ ...shared, DATA_DIR: await tempDir() }, { ...shared, DATA_DIR: await tempDir() });
  }, 90_000);
});

describe('versions with two instances on one Redis', () => {
  it('a checkpoint taken by the instance that logged the change is listed by both, and taken once', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    const env = { REDIS_URL: redis.url, DATA_DIR: await tempDir(), HISTORY_PAUSE_MS: '150', HISTORY_MAX_MS: '1000' };
    const [a, b] = [await startTestServer(env), await startTestServer(env)];
    cleanups.push(() => a.close(), () => b.close());
    const onA = await connectSynced(a.url, room);
    const onB = await connectSynced(b.url, room);
    cleanups.push(() => onA.destroy(), () => onB.destroy());
    putNode(onA.doc, { id: 'n1', skillId: 'square', label: 'Square', position: { x: 0, y: 0 }, inputs: {} });
    await waitFor(() => readWorkflowGraph(onB.doc).nodes.length === 1, 'the edit on the other instance');
    const listed = async (url: string): Promise<VersionMeta[]> => (await requestAs(url, undefined, `/api/versions?room=${room}`)).body.versions;
    await waitFor(async () => (await listed(b.url)).length === 1, 'the checkpoint, listed on the other instance');
    await new Promise((r) => setTimeout(r, 500));
    expect(await listed(a.url)).toEqual(await listed(b.url));
    expect(await listed(b.url)).toHaveLength(1);
  });
});
