// REST-1: the original's /api/sessions and /api/skills shapes, served from the same Yjs
// documents a y-websocket client sees, with clear 400s, 403s and 404s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage, readMessages, readSessionMeta } from '../../shared/src/documents/session';
import { getSkillSource, listSessions, putSessionListing, putSkillSource } from '../../shared/src/documents/volume-index';
import { buildCompoundMarkdown } from '../../shared/src/skill/compound';
import { H2_COMPOUND } from '../../shared/test/compound-fixture';
import { connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server.close();
});

// Response bodies are checked field by field with toMatchObject, so they stay loosely typed here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function client(room: string): Promise<TestClient> {
  const c = await connectSynced(server.url, room);
  clients.push(c);
  return c;
}

describe('health', () => {
  it('GET /healthz and /readyz', async () => {
    expect(await api('GET', '/healthz')).toEqual({ status: 200, json: { status: 'ok' } });
    const ready = await api('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json.backends.memory.ok).toBe(true);
  });
});

describe('/api/sessions', () => {
  it('creates a session that a y-websocket client sees in the index and its room', async () => {
    const index = await client('user/default');
    const created = await api('POST', '/api/sessions', { name: 'VQE study', initial_message: 'Find the H2 ground state' });
    expect(created.status).toBe(201);
    const s = created.json;
    expect(s).toMatchObject({ name: 'VQE study', volume: 'user', volume_id: 'default', status: 'active', metadata: {} });
    expect(s.messages).toEqual([expect.objectContaining({ role: 'user', content: 'Find the H2 ground state', traces: null, artifacts: null })]);
    expect(Date.parse(s.created_at)).not.toBeNaN();
    await waitFor(() => listSessions(index.doc).some((l) => l.id === s.id), 'the listing to reach the client');
    const room = await client(`user/default/session/${s.id}`);
    expect(readSessionMeta(room.doc).name).toBe('VQE study');
    expect(readMessages(room.doc)[0]?.content).toBe('Find the H2 ground state');
  });

  it('serves a session a y-websocket client created', async () => {
    const index = await client('user/default');
    const room = await client('user/default/session/from-yjs');
    room.doc.transact(() => {
      room.doc.getMap('meta').set('id', 'from-yjs');
      room.doc.getMap('meta').set('name', 'Made offline');
      appendMessage(room.doc, { role: 'assistant', content: 'hello', timestamp: '2026-01-01T00:00:00.000Z', traces: [1, 2], artifacts: ['plot.svg'] });
    });
    putSessionListing(index.doc, 'from-yjs', { name: 'Made offline', status: 'paused', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
    await waitFor(async () => (await api('GET', '/api/sessions/from-yjs')).status === 200, 'the session to reach the server');
    const got = await api('GET', '/api/sessions/from-yjs');
    expect(got.json).toMatchObject({ id: 'from-yjs', name: 'Made offline' });
    expect(got.json.messages).toEqual([{ role: 'assistant', content: 'hello', timestamp: '2026-01-01T00:00:00.000Z', traces: [1, 2], artifacts: ['plot.svg'] }]);
    const list = await api('GET', '/api/sessions?volume=user&volume_id=default');
    expect(list.json.sessions).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'from-yjs', status: 'paused', volume: 'user', volume_id: 'default' })]));
  });

  it('updates status and name by body or query, adds messages, and deletes', async () => {
    const { json: s } = await api('POST', '/api/sessions', { name: 'To change' });
    const index = await client('user/default');
    const room = await client(`user/default/session/${s.id}`);
    expect((await api('PUT', `/api/sessions/${s.id}?status=paused`)).json.status).toBe('paused');
    const renamed = await api('PUT', `/api/sessions/${s.id}`, { name: 'Changed', status: 'completed', metadata: { k: 1 } });
    expect(renamed.json).toMatchObject({ name: 'Changed', status: 'completed', metadata: { k: 1 } });
    await waitFor(() => readSessionMeta(room.doc).status === 'completed', 'the status to reach the client');

    const msg = await api('POST', `/api/sessions/${s.id}/messages`, { role: 'assistant', content: 'E = -1.137 Ha', traces: [{ node: 'vqe' }] });
    expect(msg.status).toBe(201);
    expect(msg.json).toMatchObject({ session_id: s.id, message_count: 1, message: { role: 'assistant', content: 'E = -1.137 Ha' } });
    await waitFor(() => readMessages(room.doc).length === 1, 'the message to reach the client');

    const listed = (await api('GET', '/api/sessions')).json.sessions.find((x: { id: string }) => x.id === s.id);
    expect(listed).toMatchObject({ name: 'Changed', status: 'completed' });

    // To the trash: unlisted, its room kept whole until it is restored or purged (trash.test.ts).
    expect((await api('DELETE', `/api/sessions/${s.id}`)).json).toEqual({ deleted: true, id: s.id, trash_id: `user.default.session.${s.id}` });
    expect((await api('GET', `/api/sessions/${s.id}`)).status).toBe(404);
    await waitFor(() => !listSessions(index.doc).some((l) => l.id === s.id), 'the deletion to reach the client');
    expect(readMessages(room.doc)).toHaveLength(1);
    expect((await api('DELETE', `/api/sessions/${s.id}`)).status).toBe(404);
  });

  it('rejects bad bodies and ids with 400 and says why', async () => {
    const noName = await api('POST', '/api/sessions', {});
    expect(noName.status).toBe(400);
    expect(noName.json.error).toMatchObject({ code: 'bad_request' });
    expect(noName.json.error.message).toContain('name');
    expect(noName.json.error.help).toBeTruthy();
    expect((await api('POST', '/api/sessions', { name: 'x'.repeat(101) })).json.error.message).toContain('100');
    expect((await api('POST', '/api/sessions', { name: 'ok', volume: 'planet' })).status).toBe(400);
    expect((await api('POST', '/api/sessions', { name: 'ok', unexpected: 1 })).status).toBe(400);
    expect((await api('POST', '/api/sessions', '{not json')).json.error.code).toBe('bad_request');
    expect((await api('GET', '/api/sessions/bad..id')).json.error.code).toBe('invalid_id');
    expect((await api('GET', '/api/sessions?volume=user&volume_id=../x')).status).toBe(400);
    const { json: s } = await api('POST', '/api/sessions', { name: 'msgs' });
    expect((await api('POST', `/api/sessions/${s.id}/messages`, { role: 'robot', content: 'x' })).status).toBe(400);
    expect((await api('PUT', `/api/sessions/${s.id}`, { status: 'sleeping' })).status).toBe(400);
  });

  it('answers 404 for unknown sessions and 403 outside the caller’s volumes', async () => {
    expect((await api('GET', '/api/sessions/nope')).status).toBe(404);
    expect((await api('POST', '/api/sessions/nope/messages', { role: 'user', content: 'x' })).status).toBe(404);
    expect((await api('PUT', '/api/sessions/nope', { status: 'paused' })).status).toBe(404);
    expect((await api('GET', '/api/sessions?volume=user&volume_id=someone-else')).status).toBe(403);
    expect((await api('POST', '/api/sessions', { name: 'x', volume: 'system' })).status).toBe(403);
    expect((await api('GET', '/api/nothing-here')).status).toBe(404);
  });
});

describe('/api/skills', () => {
  it('lists the system volume by default, with typed ports', async () => {
    const { status, json } = await api('GET', '/api/skills');
    expect(status).toBe(200);
    const vqe = json.skills.find((s: { skill_id: string }) => s.skill_id === 'quantum-vqe');
    expect(vqe).toMatchObject({ name: 'VQE Optimizer', volume: 'system', volume_id: 'system' });
    expect(vqe.inputs.some((p: { name: string }) => p.name === 'hamiltonian')).toBe(true);
  });

  it('gets one skill with its code, looking in the user volume before the system one', async () => {
    const sys = await api('GET', '/api/skills/quantum-hamiltonian');
    expect(sys.json).toMatchObject({ skill_id: 'quantum-hamiltonian', volume: 'system', language: 'python' });
    expect(sys.json.code).toContain('def execute');
    const shadow = await api('POST', '/api/skills', { name: 'My Hamiltonian', skill_id: 'quantum-hamiltonian', code: 'def execute(inputs):\n    return {}' });
    expect(shadow.status).toBe(201);
    expect((await api('GET', '/api/skills/quantum-hamiltonian')).json.volume).toBe('user');
    expect((await api('GET', '/api/skills/quantum-hamiltonian?volume=system')).json.volume).toBe('system');
  });

  it('creates a skill from the original body and a y-websocket client sees its Markdown', async () => {
    const index = await client('user/default');
    const created = await api('POST', '/api/skills', {
      name: 'Square',
      description: 'Squares a number',
      code: 'function execute(inputs) {\n  return { y: inputs.x * inputs.x };\n}',
      language: 'javascript',
      tags: ['math'],
      category: 'math',
      inputs: [{ name: 'x', type: 'number' }],
      outputs: [{ name: 'y', type: 'number' }],
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ skill_id: 'square', type: 'javascript', volume: 'user', volume_id: 'default', tags: ['math'] });
    await waitFor(() => getSkillSource(index.doc, 'square') !== undefined, 'the skill to reach the client');
    expect(getSkillSource(index.doc, 'square')).toContain('```javascript');
    expect((await api('GET', '/api/skills?volume=user')).json.skills.map((s: { skill_id: string }) => s.skill_id)).toContain('square');
    const again = await api('POST', '/api/skills', { name: 'Square', code: 'x' });
    expect(again.status).toBe(409);
  });

  it('serves a skill written by a y-websocket client, and reports broken ones with line and field', async () => {
    const index = await client('user/default');
    putSkillSource(index.doc, 'from-yjs', '---\nname: From Yjs\nskill_id: from-yjs\ntype: python\n---\n## Code\n```python\ndef execute(inputs):\n    return {}\n```\n');
    putSkillSource(index.doc, 'broken', '---\nname: Broken\nskill_id: broken\ntype: python\ninputs:\n  - name: a\n    type: matrix\n---\n## Code\n```python\npass\n```\n');
    await waitFor(async () => (await api('GET', '/api/skills/from-yjs')).status === 200, 'the skill to reach the server');
    const list = (await api('GET', '/api/skills?volume=user')).json;
    expect(list.invalid).toEqual([{ skill_id: 'broken', errors: [expect.objectContaining({ line: 7, field: 'inputs.0.type' })] }]);
    const broken = await api('GET', '/api/skills/broken');
    expect(broken.status).toBe(400);
    expect(broken.json.error.code).toBe('invalid_skill');
  });

  it('validates new skills and refuses the read-only system volume', async () => {
    const bad = await api('POST', '/api/skills', { content: '---\nname: X\nskill_id: x\ntype: cobol\n---\n## Code\n```python\npass\n```\n' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid_skill', details: [expect.objectContaining({ line: 4, field: 'type' })] });
    expect((await api('POST', '/api/skills', { name: 'No code' })).status).toBe(400);
    expect((await api('POST', '/api/skills', { name: 'Sys', code: 'x', volume: 'system' })).status).toBe(403);
    expect((await api('DELETE', '/api/skills/quantum-vqe?volume=system')).status).toBe(403);
    expect((await api('GET', '/api/skills/..%2F..%2Fetc')).status).toBe(400);
    expect((await api('GET', '/api/skills/does-not-exist')).status).toBe(404);
  });

  it('creates, lists and serves a compound skill, its inside included', async () => {
    const content = buildCompoundMarkdown({ ...H2_COMPOUND, skillId: 'ham-vqe', derivedFrom: undefined });
    const created = await api('POST', '/api/skills', { content });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ skill_id: 'ham-vqe', type: 'compound', kind: 'compound', volume: 'user' });
    const listed = (await api('GET', '/api/skills?volume=user')).json.skills.find((s: { skill_id: string }) => s.skill_id === 'ham-vqe');
    expect(listed).toMatchObject({ kind: 'compound', inputs: [{ name: 'bond_length', type: 'number', default: 0.74 }], outputs: [{ name: 'energy', type: 'number' }] });
    const got = await api('GET', '/api/skills/ham-vqe');
    expect(got.json.inside.edges).toEqual([{ id: 'e1', source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' }]);
    expect(got.json.content).toBe(content);
    const bad = await api('POST', '/api/skills', { content: content.replace('skill_id: ham-vqe', 'skill_id: ham-vqe-2').replace('"node": "ham",\n', '"node": "hamx",\n') });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details).toEqual([expect.objectContaining({ field: 'code', message: 'inputs[0].targets[0].node "hamx" is not an inner node' })]);
  });

  it('deletes a user skill', async () => {
    await api('POST', '/api/skills', { name: 'Temp', code: 'def execute(inputs):\n    return {}' });
    expect((await api('DELETE', '/api/skills/temp')).json).toEqual({ deleted: true, skill_id: 'temp', trash_id: 'user.default.skill.temp' });
    expect((await api('DELETE', '/api/skills/temp')).status).toBe(404);
    expect((await api('GET', '/api/skills/temp')).status).toBe(404);
  });
});
