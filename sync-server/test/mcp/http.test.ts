// MCP over Streamable HTTP (`/mcp`) with the SDK's own client against the real server (file
// storage, tokens, the real library, run service, runtimes and system skills): tools listed with
// their schemas, system skills called with defaults and with arguments (JavaScript and Python), a
// workflow of three nodes across two runtimes with progress, a long call cancelled, a failure that
// names the skill file's line, what each token lists and calls, and sessions kept to their identity.
// (MCP-1, MCP-2, MCP-3, MCP-4, MCP-5)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns } from '../../../shared/src/documents/runs';
import { runsRoom, volumeRoom, workflowRoom } from '../../../shared/src/rooms';
import { mintShareToken, mintUserToken } from '../../src/access/tokens';
import { edge, node, skillSource } from '../headless/helpers';
import { startTestServer } from '../harness/in-process';
import { addSkillInApp, addWorkflowInApp, closeMcpClient, mcpClient } from '../harness/mcp-clients';
import { storedDoc } from '../harness/stored';
import { waitFor } from '../harness/wait';

const SECRET = 'mcp-http-test-secret-0123456789-abcdef';

type McpClient = Client & { transport: StreamableHTTPClientTransport };
let server: Awaited<ReturnType<typeof startTestServer>>;
let dataDir: string;
const tokens: Record<'alice' | 'bob' | 'bellReader', string> = { alice: '', bob: '', bellReader: '' };
const clients: McpClient[] = [];
const connect = async (token: string | undefined) => {
  const client = await mcpClient(server.url, token);
  clients.push(client);
  return client;
};

const ALICE = volumeRoom('user', 'alice');
const BELL = { volumeRoom: ALICE, workflowRoom: workflowRoom('user', 'alice', 'bell3'), id: 'bell3' };

const skill = (id: string, type: 'python' | 'javascript', code: string) =>
  skillSource(
    { name: id, skill_id: id, type, description: `Test skill ${id}.`, inputs: [{ name: 'n', type: 'number', default: 1 }], outputs: [{ name: 'x', type: 'number' }] },
    type,
    code,
  );
const BOOM = skill('boom', 'python', 'def execute(inputs):\n    n = inputs["n"]\n    raise ValueError(f"boom on purpose with {n}")\n    return {"x": n}');
const BOOM_LINE = BOOM.split('\n').findIndex((l) => l.includes('raise ValueError')) + 1;
const SPIN = skill('spin', 'javascript', 'function execute({ n }) {\n  for (;;) {}\n  return { x: n };\n}');

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-mcp-'));
  server = await startTestServer({ AUTH_SECRET: SECRET, STORAGE: 'file', DATA_DIR: dataDir });
  tokens.alice = await mintUserToken(SECRET, { sub: 'alice' });
  tokens.bob = await mintUserToken(SECRET, { sub: 'bob' });
  tokens.bellReader = await mintShareToken(SECRET, BELL.workflowRoom, 'read');
  // alice's volume, written as the app writes it: two skills and a workflow of three nodes on two runtimes.
  await addSkillInApp(server.url, ALICE, tokens.alice, 'boom', BOOM);
  await addSkillInApp(server.url, ALICE, tokens.alice, 'spin', SPIN);
  await addWorkflowInApp(server.url, BELL, tokens.alice, {
    name: 'Bell three',
    description: 'A Bell circuit, its chart and its probabilities as a file.',
    nodes: [node('circuit', 'quantum-circuit', { shots: 100 }), node('chart', 'plot-bars', { title: 'Bell' }), node('export', 'export-results', { format: 'json', filename: 'bell' })],
    edges: [edge('circuit', 'probabilities', 'chart', 'data'), edge('circuit', 'probabilities', 'export', 'data')],
  });
}, 120_000);

afterAll(async () => {
  for (const c of clients) await closeMcpClient(c);
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('tools', () => {
  it('initialize, then tools/list: the system skills with their schemas, and the caller’s own skills and workflows', async () => {
    const client = await connect(tokens.alice);
    expect(client.getServerVersion()?.name).toBe('llmunix');
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } });
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['quantum-circuit', 'sample-weather-data', 'plot-bars', 'boom', 'spin', 'bell-three']));
    const circuit = tools.find((t) => t.name === 'quantum-circuit')!;
    expect(circuit.description).toMatch(/quantum circuit/i);
    expect(circuit.inputSchema.properties).toMatchObject({ num_qubits: { type: 'integer', default: 2 }, shots: { type: 'integer' } });
    expect(circuit.inputSchema.required ?? []).not.toContain('num_qubits');
    expect(circuit.outputSchema?.properties).toHaveProperty('probabilities');
    expect(circuit.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: false });
  });

  it('calls a JavaScript system skill with its defaults and with arguments', async () => {
    const client = await connect(tokens.alice);
    const defaults = await client.callTool({ name: 'sample-weather-data', arguments: {} });
    expect(defaults.isError).toBeFalsy();
    expect(defaults.structuredContent).toMatchObject({ row_count: 4 * 30 });
    const given = await client.callTool({ name: 'sample-weather-data', arguments: { cities: ['Oslo'], days: 3 } });
    expect(given.structuredContent).toMatchObject({ row_count: 3 });
    const text = (given.content as Array<{ type: string; text: string }>)[0]!.text;
    expect(JSON.parse(text.slice(0, text.indexOf('\n\n')))).toEqual(given.structuredContent);
    expect(text).toMatch(/^skill: done$/m);
  });

  it('calls a WebGPU system skill (on its CPU fallback) and a compound one (its inner nodes across runtimes)', async () => {
    const client = await connect(tokens.alice);
    // 2×2: A = [[1,2],[3,4]], B = identity, so C = A.
    const product = await client.callTool({ name: 'gpu-matmul', arguments: { n: 2, a: [1, 2, 3, 4], b: [1, 0, 0, 1] } });
    expect(product.isError, JSON.stringify(product.content)).toBeFalsy();
    expect(product.structuredContent).toEqual({ c: [[1, 2], [3, 4]] });
    const summary = await client.callTool({ name: 'weather-summary-csv', arguments: { days: 2 } }, undefined, { timeout: 120_000 });
    expect(summary.isError, JSON.stringify(summary.content)).toBeFalsy();
    expect(Object.keys(summary.structuredContent ?? {}).sort()).toEqual(['content', 'filename', 'summary']);
    expect(typeof (summary.structuredContent as { content: unknown }).content).toBe('string');
  }, 120_000);

  it('calls a Python system skill with its defaults and with arguments', async () => {
    const client = await connect(tokens.alice);
    const bell = await client.callTool({ name: 'quantum-circuit', arguments: {} });
    expect(bell.isError).toBeFalsy();
    const probabilities = (bell.structuredContent as { probabilities: Record<string, number> }).probabilities;
    expect(Object.keys(probabilities).sort()).toEqual(['00', '11']);
    expect(probabilities['00']).toBeCloseTo(0.5, 12);
    expect(probabilities['11']).toBeCloseTo(0.5, 12);
    const flipped = await client.callTool({ name: 'quantum-circuit', arguments: { num_qubits: 1, gates: [{ gate: 'x', qubits: [0] }] } });
    expect((flipped.structuredContent as { probabilities: Record<string, number> }).probabilities).toEqual({ '1': expect.closeTo(1, 12) });
  }, 120_000);

  it('bad arguments are a tool error that says what is wrong, never a protocol error', async () => {
    const client = await connect(tokens.alice);
    const wrong = await client.callTool({ name: 'sample-weather-data', arguments: { days: 'many' } });
    expect(wrong.isError).toBe(true);
    expect((wrong.content as Array<{ text: string }>)[0]!.text).toMatch(/days/);
    const unknown = await client.callTool({ name: 'no-such-tool', arguments: {} });
    expect(unknown.isError).toBe(true);
    expect((unknown.content as Array<{ text: string }>)[0]!.text).toMatch(/no tool "no-such-tool".*tools\/list/);
  });

  it('a workflow of three nodes on two runtimes: outputs of its sinks, and progress notifications up to all nodes done', async () => {
    const client = await connect(tokens.alice);
    const progress: Progress[] = [];
    const result = await client.callTool({ name: 'bell-three', arguments: {} }, undefined, { onprogress: (p) => progress.push(p), timeout: 120_000 });
    expect(result.isError).toBeFalsy();
    const outputs = result.structuredContent as Record<string, unknown>;
    expect(String(outputs.svg)).toMatch(/^<svg/);
    expect(JSON.parse(String(outputs.content))).toMatchObject({ '00': expect.any(Number), '11': expect.any(Number) });
    expect(outputs.filename).toBe('bell.json');
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(/^circuit: done$/m);
    expect(text).toMatch(/^chart: done$/m);
    expect(text).toMatch(/^export: done$/m);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.total === 3)).toBe(true);
    expect(progress.map((p) => p.progress)).toEqual([...progress.map((p) => p.progress)].sort((a, b) => a - b));
    expect(new Set(progress.map((p) => p.progress)).size).toBe(progress.length);
    expect(progress.some((p) => p.progress >= 1)).toBe(true);
    expect(progress.some((p) => /running circuit/.test(p.message ?? ''))).toBe(true);
  }, 120_000);

  it('a long call is cancelled by its client, and the server runs the next call', async () => {
    const client = await connect(tokens.alice);
    const abort = new AbortController();
    let runId: string | undefined;
    const call = client.callTool({ name: 'spin', arguments: {} }, undefined, {
      signal: abort.signal,
      // Cancelled once it runs: its first progress says the node started, and names the run.
      onprogress: (p) => {
        // The SDK's Progress type leaves `_meta` out; the notification carries it.
        runId = ((p as Progress & { _meta: Record<string, { run_id: string }> })._meta['llmunix/run'])!.run_id;
        expect(p.message).toMatch(/running skill/);
        abort.abort(new Error('enough'));
      },
      timeout: 120_000,
    });
    await expect(call).rejects.toThrow(/enough/);
    // On the server, the run was cancelled (its worker stopped), not left spinning.
    const run = server.runs.get(runId!, { kind: 'user', sub: 'alice', teams: [], team_admin: [] });
    expect((await run!.done).state).toBe('cancelled');
    const next = await client.callTool({ name: 'sample-weather-data', arguments: { days: 1, cities: ['Cairo'] } });
    expect(next.structuredContent).toMatchObject({ row_count: 1 });
  }, 120_000);

  it('a call whose request is dropped (no cancel sent: the client cut off) stops its run at once', async () => {
    const client = await connect(tokens.alice);
    const dropped = new AbortController();
    const answer = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      signal: dropped.signal,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${tokens.alice}`,
        'mcp-session-id': client.transport.sessionId!,
        'mcp-protocol-version': client.transport.protocolVersion ?? '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 'cut-off', method: 'tools/call', params: { name: 'spin', arguments: {}, _meta: { progressToken: 'cut-off' } } }),
    });
    // Read the stream until the progress that says the node runs, and names the run.
    const reader = answer.body!.getReader();
    let seen = '';
    let runId: string | undefined;
    while (!runId) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the stream ended before any progress: ${seen}`);
      seen += new TextDecoder().decode(value);
      runId = /"run_id":"([^"]+)"/.exec(seen)?.[1];
    }
    dropped.abort();
    const run = server.runs.get(runId, { kind: 'user', sub: 'alice', teams: [], team_admin: [] });
    const over = await run!.done;
    // Not left to its limit (RUN_NODE_TIMEOUT_MS, 30 s here), which would end it as an error.
    expect(over.state).toBe('cancelled');
  }, 60_000);

  it('a failing call is a tool error naming the node, the skill and the line of its file', async () => {
    const client = await connect(tokens.alice);
    const result = await client.callTool({ name: 'boom', arguments: { n: 7 } }, undefined, { timeout: 120_000 });
    expect(result.isError).toBe(true);
    const text = (result.content as Array<{ text: string }>)[0]!.text;
    // Its first line: the node, its skill, the stored skill file's line, and the gist.
    expect(text.split('\n')[0]).toBe(`node "skill" (skill boom) failed at volumes/user/alice/skills/boom.md line ${BOOM_LINE}: ValueError: boom on purpose with 7`);
    expect(text).toMatch(/ValueError: boom on purpose with 7/);
    expect(result.structuredContent).toBeUndefined();
  }, 120_000);
});

describe('access', () => {
  it('a person lists their own volume’s skills and not another’s, and cannot call another’s by name', async () => {
    const bob = await connect(tokens.bob);
    const names = (await bob.listTools()).tools.map((t) => t.name);
    expect(names).toContain('quantum-circuit');
    expect(names).not.toContain('boom');
    expect(names).not.toContain('bell-three');
    const refused = await bob.callTool({ name: 'boom', arguments: {} });
    expect(refused.isError).toBe(true);
    expect((refused.content as Array<{ text: string }>)[0]!.text).toMatch(/no tool "boom"/);
  });

  it('a read link to a workflow lists and calls it, and its call leaves no run record (nothing over MCP writes)', async () => {
    const runsOfBell = async () => listRuns(await storedDoc(server.storage, runsRoom('user', 'alice', 'bell3'))).length;
    // Its owner's call is recorded in the workflow's runs (so the reader's would show, were it kept).
    const alice = await connect(tokens.alice);
    const before = await runsOfBell();
    expect((await alice.callTool({ name: 'bell-three', arguments: { shots: 50 } }, undefined, { timeout: 120_000 })).isError).toBeFalsy();
    await waitFor(async () => (await runsOfBell()) === before + 1, 'the owner’s run to be recorded');
    const reader = await connect(tokens.bellReader);
    const names = (await reader.listTools()).tools.map((t) => t.name);
    expect(names).toContain('bell-three');
    expect(names).not.toContain('boom');
    const result = await reader.callTool({ name: 'bell-three', arguments: {} }, undefined, { timeout: 120_000 });
    expect(result.isError).toBeFalsy();
    expect(await runsOfBell()).toBe(before + 1);
  }, 120_000);

  it('a session answers only the token that opened it (403), and no token is 401', async () => {
    const alice = await connect(tokens.alice);
    const sessionId = alice.transport.sessionId!;
    const ping = (token?: string) =>
      fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-session-id': sessionId,
          'mcp-protocol-version': alice.transport.protocolVersion ?? '2025-06-18',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    const other = await ping(tokens.bob);
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { message: string } }).error.message).toMatch(/opened with another token/);
    expect((await ping(undefined)).status).toBe(401);
    // The session is still alice's and still works.
    expect((await alice.listTools()).tools.length).toBeGreaterThan(0);
  });
});

describe('instruction skills', () => {
  it('are prompts (their body as the message, links to their files), and their files are resources, text or base64', async () => {
    const guide = '---\nname: Lab notebook\nskill_id: lab-notebook\ndescription: How to keep the lab notebook.\n---\n\n# Lab notebook\n\nUse `template.md` for each entry.\n';
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await addSkillInApp(server.url, ALICE, tokens.alice, 'lab-notebook', guide, { 'template.md': new TextEncoder().encode('# Entry\n'), 'logo.bin': bytes });
    const client = await connect(tokens.alice);
    const prompts = (await client.listPrompts()).prompts;
    expect(prompts.find((p) => p.name === 'lab-notebook')).toMatchObject({ title: 'Lab notebook', description: 'How to keep the lab notebook.' });
    const prompt = await client.getPrompt({ name: 'lab-notebook' });
    expect(prompt.messages[0]).toEqual({ role: 'user', content: { type: 'text', text: expect.stringMatching(/^# Lab notebook\n\nUse `template.md`/) } });
    const links = prompt.messages.slice(1).map((m) => m.content);
    expect(links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'resource_link', uri: 'llmunix://user/alice/skills/lab-notebook/template.md', mimeType: 'text/markdown' }),
        expect.objectContaining({ type: 'resource_link', uri: 'llmunix://user/alice/skills/lab-notebook/logo.bin' }),
      ]),
    );
    const uris = (await client.listResources()).resources.map((r) => r.uri);
    expect(uris).toContain('llmunix://user/alice/skills/lab-notebook/template.md');
    const text = await client.readResource({ uri: 'llmunix://user/alice/skills/lab-notebook/template.md' });
    expect(text.contents[0]).toMatchObject({ mimeType: 'text/markdown', text: '# Entry\n' });
    const blob = await client.readResource({ uri: 'llmunix://user/alice/skills/lab-notebook/logo.bin' });
    expect(Buffer.from((blob.contents[0] as { blob: string }).blob, 'base64')).toEqual(Buffer.from(bytes));
    // Another person reads none of it: not listed, and not found by its URI.
    const bob = await connect(tokens.bob);
    expect((await bob.listPrompts()).prompts.map((p) => p.name)).not.toContain('lab-notebook');
    await expect(bob.readResource({ uri: 'llmunix://user/alice/skills/lab-notebook/template.md' })).rejects.toThrow(/-32002|no resource/);
    await expect(bob.getPrompt({ name: 'lab-notebook' })).rejects.toThrow(/no prompt "lab-notebook"/);
  });
});

describe('the list follows the library', () => {
  it('a skill added in the app is listed at once, and a subscribed client is told the list changed', async () => {
    const client = await connect(tokens.alice);
    let told = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      told += 1;
    });
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('fresh');
    await addSkillInApp(server.url, ALICE, tokens.alice, 'fresh', skill('fresh', 'javascript', 'function execute({ n }) {\n  return { x: n + 1 };\n}'));
    await waitFor(() => told > 0, 'notifications/tools/list_changed');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('fresh');
    expect((await client.callTool({ name: 'fresh', arguments: { n: 41 } })).structuredContent).toEqual({ x: 42 });
  });
});

describe('idle sessions', () => {
  it('a session whose client went away without ending it is ended after MCP_SESSION_IDLE_MS with no request open (404 after), and a new one opens', async () => {
    const idleDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-mcp-idle-'));
    const idle = await startTestServer({ STORAGE: 'file', DATA_DIR: idleDir, MCP_SESSION_IDLE_MS: '300' });
    try {
      const client = await mcpClient(idle.url);
      const sessionId = client.transport.sessionId!;
      const version = client.transport.protocolVersion ?? '2025-06-18';
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      const again = () =>
        fetch(`${idle.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': version },
          body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }),
        });
      // The client goes away without ending its session (its event stream, a request open, closes with it).
      await client.close();
      await new Promise((r) => setTimeout(r, 1000));
      expect((await again()).status).toBe(404);
      const fresh = await mcpClient(idle.url);
      expect((await fresh.listTools()).tools.length).toBeGreaterThan(0);
      await closeMcpClient(fresh);
    } finally {
      await idle.close();
      await fs.rm(idleDir, { recursive: true, force: true });
    }
  });
});
