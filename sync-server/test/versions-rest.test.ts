// HIST-10, HIST-11: /api/versions over a real server: checkpoints after a pause, at most every
// HISTORY_MAX_MS and when a room unloads, only when the content changed, with the authors whose
// updates reached the room (a peer's identity, or a REST call's caller); named versions; reads in
// the REST shapes; raw bytes; restores that collaborators receive live; clear 400s and 404s.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeSkillContent } from '../../shared/src/history/content';
import { versionIdOf, type VersionMeta } from '../../shared/src/history/version';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { putNode, readWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { ConfigError, loadConfig } from '../src/config';
import { connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { requestAs } from './harness/rest-as';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups } = teardownEachTest('llmunix-versions-');
let url = '';

async function start(env: Record<string, string> = {}) {
  const server = await startTestServer({ HISTORY_PAUSE_MS: '150', HISTORY_MAX_MS: '100000', ...env });
  cleanups.push(() => server.close());
  url = server.url;
  return server;
}
async function client(room: string): Promise<TestClient> {
  const c = await connectSynced(url, room);
  cleanups.push(() => c.destroy());
  return c;
}
const api = (method: string, path: string, body?: unknown) => requestAs(url, undefined, path, { method, body });
const versionsOf = async (room: string): Promise<VersionMeta[]> => (await api('GET', `/api/versions?room=${encodeURIComponent(room)}`)).body.versions;
const node = (id: string, label: string) => ({ id, skillId: 'square', label, position: { x: 0, y: 0 }, inputs: {} });

describe('/api/versions', () => {
  it('checkpoints a workflow after a pause, names one, reads it in the workflow shape and as raw bytes, and restores it live', async () => {
    await start();
    const room = 'user/default/workflow/w1';
    const editor = await client(room);
    editor.doc.transact(() => {
      writeWorkflowMeta(editor.doc, { name: 'Tides', description: 'harbour' });
      putNode(editor.doc, node('n1', 'Square'));
    });
    await waitFor(async () => (await versionsOf(room)).length === 1, 'the first checkpoint');
    const [first] = await versionsOf(room);
    expect(first).toMatchObject({ room, name: null, authors: ['default'], changes: { kind: 'graph', nodes: { added: [{ id: 'n1', label: 'Square' }] } } });
    expect(first!.size).toBeGreaterThan(0);

    // Quiet and unchanged: no second checkpoint. A named version is stored all the same.
    await new Promise((r) => setTimeout(r, 400));
    expect(await versionsOf(room)).toHaveLength(1);
    const named = await api('POST', '/api/versions', { room, name: '  before the refactor ' });
    expect(named.status).toBe(201);
    expect(named.body).toMatchObject({ room, name: 'before the refactor', authors: [] });
    expect((await versionsOf(room)).map((v) => v.id)).toEqual([named.body.id, first!.id]);

    const read = await api('GET', `/api/versions/${first!.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ ...first, content: { name: 'Tides', description: 'harbour', nodes: [expect.objectContaining({ id: 'n1', label: 'Square' })], edges: [], notes: [] } });
    const raw = await fetch(`${url}/api/versions/${first!.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('application/octet-stream');
    const preview = new Y.Doc();
    Y.applyUpdate(preview, new Uint8Array(await raw.arrayBuffer()));
    expect(readWorkflowGraph(preview).nodes.map((n) => n.label)).toEqual(['Square']);

    // More edits, then the first version comes back as a change a collaborator receives live.
    const watcher = await client(room);
    editor.doc.transact(() => putNode(editor.doc, node('n2', 'Offset')));
    await waitFor(() => readWorkflowGraph(watcher.doc).nodes.length === 2, 'the second node to reach the watcher');
    const restored = await api('POST', `/api/versions/${first!.id}/restore`);
    expect(restored).toEqual({ status: 200, body: { restored: first!.id, room } });
    await waitFor(() => readWorkflowGraph(watcher.doc).nodes.length === 1, 'the restore to reach the watcher');
    expect(readWorkflowGraph(editor.doc).nodes.map((n) => n.id)).toEqual(['n1']);
  });

  it('takes a checkpoint at most every HISTORY_MAX_MS while edits go on without a pause', async () => {
    await start({ HISTORY_PAUSE_MS: '400', HISTORY_MAX_MS: '500' });
    const room = 'user/default/workflow/busy';
    const editor = await client(room);
    let i = 0;
    const stream = setInterval(() => putNode(editor.doc, node(`n${i}`, `Node ${i++}`)), 50);
    await new Promise((r) => setTimeout(r, 1800));
    clearInterval(stream);
    // Edits every 50 ms never leave a 400 ms pause: only the 500 ms bound takes checkpoints.
    expect((await versionsOf(room)).length).toBeGreaterThanOrEqual(2);
  });

  it('takes the last checkpoint when a room unloads, before any pause has passed', async () => {
    const server = await start({ HISTORY_PAUSE_MS: '600000', HISTORY_MAX_MS: '600000', ROOM_IDLE_MS: '50' });
    const room = 'user/default/workflow/leaving';
    const editor = await client(room);
    putNode(editor.doc, node('n1', 'Square'));
    await waitFor(async () => (await server.storage.load(room)).updates.length > 0, 'the edit to be stored');
    editor.destroy();
    await waitFor(async () => (await versionsOf(room)).length === 1, 'the checkpoint taken at unload');
  });

  it('versions a session written over REST, its caller the author; a skill per skill, restored by REST', async () => {
    await start();
    const session = await api('POST', '/api/sessions', { name: 'VQE', initial_message: 'hello' });
    const sessionRoom = `user/default/session/${session.body.id}`;
    await waitFor(async () => (await versionsOf(sessionRoom)).length === 1, 'the session checkpoint');
    const [sv] = await versionsOf(sessionRoom);
    expect(sv).toMatchObject({ authors: ['default'], changes: { kind: 'messages', added: 1 } });
    expect((await api('GET', `/api/versions/${sv!.id}`)).body.content).toMatchObject({ name: 'VQE', status: 'active', messages: [expect.objectContaining({ content: 'hello' })] });

    const created = await api('POST', '/api/skills', { name: 'Tide table', code: 'def execute(inputs):\n    return {}' });
    expect(created.status).toBe(201);
    const skillId = created.body.skill_id as string;
    const subject = `user/default/skill/${skillId}`;
    await waitFor(async () => (await versionsOf(subject)).length === 1, 'the skill checkpoint');
    const [v1] = await versionsOf(subject);
    const firstMarkdown = (await api('GET', `/api/versions/${v1!.id}`)).body.content;
    expect(firstMarkdown).toMatchObject({ skill_id: skillId, files: [] });
    expect(firstMarkdown.markdown).toContain('def execute');

    const index = await client('user/default');
    index.doc.getMap<Y.Text>('skills').get(skillId)!.insert(0, '<!-- edited -->\n');
    await waitFor(async () => (await versionsOf(subject)).length === 2, 'the second skill checkpoint');
    expect((await versionsOf(subject))[0]).toMatchObject({ changes: { kind: 'text', added: 1, removed: 0 } });
    expect((await api('POST', `/api/versions/${v1!.id}/restore`)).status).toBe(200);
    await waitFor(() => getSkillSource(index.doc, skillId) === firstMarkdown.markdown, 'the restored skill to reach the client');
    // Another skill of the same volume has versions of its own.
    expect(await versionsOf(`user/default/skill/${skillId}-other`)).toEqual([]);
  });

  it('versions a skill a client made first in a volume the server had not yet written (a root the server never asked for)', async () => {
    await start();
    const index = await client('user/default');
    putSkillSource(index.doc, 'tide-table', '---\nname: Tide table\nskill_id: tide-table\ntype: python\n---\n## Code\n```python\ndef execute(inputs):\n    return {}\n```\n');
    await waitFor(async () => (await versionsOf('user/default/skill/tide-table')).length === 1, 'the checkpoint of a skill made by a client');
    expect((await versionsOf('user/default/skill/tide-table'))[0]).toMatchObject({ name: null, changes: { kind: 'text' } });
  });

  it('refuses with 422, saying why and writing nothing, to restore a skill version whose files break the rules', async () => {
    const server = await start();
    const subject = 'user/default/skill/tides';
    const content = encodeSkillContent({ markdown: '---\nname: Tides\n---\n', files: { '../outside.txt': Buffer.from('x').toString('base64') } });
    const meta: VersionMeta = { id: versionIdOf(subject, Date.now(), 'bad0'), room: subject, name: 'stored long ago', created_at: new Date().toISOString(), authors: [], changes: { kind: 'text', added: 3, removed: 0 }, size: content.byteLength };
    await server.history.add(meta, content);
    const restored = await api('POST', `/api/versions/${meta.id}/restore`);
    expect(restored.status).toBe(422);
    expect(restored.body.error).toMatchObject({ code: 'unprocessable', message: expect.stringContaining('"tides" cannot be restored') });
    expect(restored.body.error.message).toContain('../outside.txt');
    expect(await server.rooms.use('user/default', (room) => getSkillSource(room.doc, 'tides'))).toBeUndefined();
  });

  it('answers bad rooms, names and ids with 400 and 404 that say what is wrong; /readyz reports the history store', async () => {
    await start();
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { backends: Record<string, unknown> }).backends).toEqual({ memory: { ok: true }, history: { ok: true } });
    const badRoom = await api('GET', '/api/versions?room=user/default/volume/x');
    expect(badRoom.status).toBe(400);
    expect(badRoom.body.error.message).toContain('user/default/volume/x');
    expect((await api('GET', '/api/versions')).status).toBe(400);
    expect((await api('GET', '/api/versions?room=user/default/workflow/w&extra=1')).status).toBe(400);
    expect((await api('POST', '/api/versions', { room: 'user/default/workflow/w', name: ' ' })).status).toBe(400);
    expect((await api('POST', '/api/versions', { room: 'user/default/workflow/w', name: 'x'.repeat(201) })).status).toBe(400);
    expect((await api('POST', '/api/versions', { room: 'user/default/workflow/w' })).status).toBe(400);
    const noSkill = await api('POST', '/api/versions', { room: 'user/default/skill/nope', name: 'n' });
    expect(noSkill.status).toBe(404);
    expect(noSkill.body.error.message).toContain('nope');
    const noRoom = await api('POST', '/api/versions', { room: 'user/default/workflow/never-written', name: 'n' });
    expect(noRoom.status).toBe(404);
    expect(noRoom.body.error.message).toContain('user/default/workflow/never-written');
    for (const id of ['nope', 'user.default.workflow.w.000000001abcd', '..%2F..%2Fetc']) {
      expect((await api('GET', `/api/versions/${id}`)).status, id).toBe(404);
      expect((await api('POST', `/api/versions/${id}/restore`)).status, id).toBe(404);
    }
  });
});

describe('HISTORY_PAUSE_MS and HISTORY_MAX_MS', () => {
  it('default to 30 s and 5 min, and refuse what is not a positive whole number of ms, or a bound below the pause', () => {
    expect(loadConfig({}).history).toEqual({ pauseMs: 30_000, maxMs: 300_000 });
    expect(loadConfig({ HISTORY_PAUSE_MS: '200', HISTORY_MAX_MS: '200' }).history).toEqual({ pauseMs: 200, maxMs: 200 });
    for (const [name, value] of [['HISTORY_PAUSE_MS', '0'], ['HISTORY_PAUSE_MS', 'soon'], ['HISTORY_MAX_MS', '1.5'], ['HISTORY_MAX_MS', '-1']]) {
      expect(() => loadConfig({ [name as string]: value }), `${name}=${value}`).toThrow(new RegExp(`${name}=`));
    }
    expect(() => loadConfig({ HISTORY_PAUSE_MS: '60000', HISTORY_MAX_MS: '1000' })).toThrow(ConfigError);
    expect(() => loadConfig({ HISTORY_PAUSE_MS: '60000', HISTORY_MAX_MS: '1000' })).toThrow(/HISTORY_MAX_MS=1000 is below HISTORY_PAUSE_MS=60000/);
  });
});
