// REST workflow runs (POST /api/workflows/:id/run, GET and DELETE /api/runs/:run_id) on a real
// server with tokens and file storage: workflows stored in a person's volume through the
// documents as the app stores them, run on the real runtimes (Pyodide and the JavaScript
// sandbox) with the real system skills.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRuns } from '../../shared/src/documents/runs';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { startTestServer } from './harness/in-process';
import { requestAs } from './harness/rest-as';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';
import { node, putSkill, putWorkflow, skillMarkdown } from './library/library-rooms';
import { template } from './runs/prepared';

const SECRET = 'workflow-runs-secret-0123456789-abcdef';

/** A JavaScript skill that loops until it is stopped. */
const SPIN = skillMarkdown(
  `
name: Spin
skill_id: spin
type: javascript
description: Loops until stopped.
outputs:
  - name: x
    type: number
`,
  { lang: 'javascript', text: 'function execute() {\n  for (;;) {}\n}' },
);

let dataDir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
const tokens: Record<'alice' | 'bob' | 'reader', string> = { alice: '', bob: '', reader: '' };
const as = (who: keyof typeof tokens, p: string, init?: { method?: string; body?: unknown }) => requestAs(server.url, tokens[who], p, init);
const h2Records = () => server.rooms.use('user/alice/runs/h2', (room) => listRuns(room.doc));

/** Stores the test's workflows and skill in a volume, as the app does. */
async function storeWorkflows(s: typeof server, volumeId: string): Promise<void> {
  await putSkill(s.rooms, 'user', volumeId, 'spin', SPIN);
  await putWorkflow(s.rooms, 'user', volumeId, 'h2', 'H2 ground state by VQE', await template('h2-vqe'));
  await putWorkflow(s.rooms, 'user', volumeId, 'spin', 'Spin', { nodes: [node('s', 'spin')], edges: [] });
  await putWorkflow(s.rooms, 'user', volumeId, 'quick', 'Quick', { nodes: [node('w', 'sample-weather-data', { days: 1 })], edges: [] });
}

/** Polls a run until it is over. */
async function polled(who: keyof typeof tokens, runId: string) {
  let last: { status: number; body: { state: string } } | undefined;
  await waitFor(async () => {
    last = await as(who, `/api/runs/${runId}`);
    return last.status !== 200 || ['done', 'error', 'cancelled'].includes(last.body.state);
  }, `run ${runId} to end`, 60_000);
  return last!;
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-workflow-runs-'));
  // Polling is part of the test: no rate limit in its way.
  server = await startTestServer({ AUTH_SECRET: SECRET, STORAGE: 'file', DATA_DIR: dataDir, REST_RATE_LIMIT_PER_MINUTE: '1000000' });
  tokens.alice = await mintUserToken(SECRET, { sub: 'alice' });
  tokens.bob = await mintUserToken(SECRET, { sub: 'bob' });
  tokens.reader = await mintShareToken(SECRET, 'user/alice/workflow/h2', 'read');
  await storeWorkflows(server, 'alice');
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('REST workflow runs', () => {
  let firstId = '';
  let firstOutputs: unknown;

  it('runs a stored workflow of three nodes across Python and JavaScript and answers once over, with every node and the outputs; the run leaves a record', async () => {
    const { status, body } = await as('alice', '/api/workflows/h2/run', { method: 'POST', body: { wait: true } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'done', kind: 'workflow', name: 'H2 ground state by VQE', progress: { done: 3, total: 3, running: [] } });
    expect(Object.fromEntries(Object.entries(body.nodes as Record<string, { status: string }>).map(([id, n]) => [id, n.status]))).toEqual({ hamiltonian: 'done', vqe: 'done', plot: 'done' });
    expect(body.nodes.vqe.outputs.eigenvalue).toBeCloseTo(-1.137, 2);
    // The workflow's outputs are its sink node's.
    expect(body.outputs.final_value).toBe(body.nodes.vqe.outputs.eigenvalue);
    expect(body.outputs.svg).toMatch(/^<svg/);
    firstId = body.run_id;
    firstOutputs = body.outputs;
    const record = (await h2Records()).find((r) => r.id === firstId);
    expect(record).toMatchObject({ status: 'done', trigger: 'api', by: { sub: 'alice' }, workflow_room: 'user/alice/workflow/h2' });
  });

  it('reuses cached results on a second run', async () => {
    const { status, body } = await as('alice', '/api/workflows/h2/run', { method: 'POST', body: { wait: true } });
    expect(status).toBe(200);
    expect(Object.values(body.nodes as Record<string, { status: string }>).map((n) => n.status)).toEqual(['cached', 'cached', 'cached']);
    expect(body.outputs).toEqual(firstOutputs);
  });

  it('answers 202 and where to poll without wait; the run is polled until done, with the inputs given', async () => {
    const res = await fetch(`${server.url}/api/workflows/h2/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: { 'hamiltonian.bond_length': 1.2 } }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { run_id: string; state: string; links: { self: string } };
    expect(['queued', 'running']).toContain(body.state);
    expect(body.links.self).toBe(`/api/runs/${body.run_id}`);
    expect(res.headers.get('location')).toBe(body.links.self);
    const over = await polled('alice', body.run_id);
    expect(over.status).toBe(200);
    expect(over.body).toMatchObject({ run_id: body.run_id, state: 'done', nodes: { hamiltonian: { status: 'done', outputs: {} } } });
    // Another bond length: another Hamiltonian, so nothing came from the cache, and a higher energy.
    const energy = (over.body as unknown as { outputs: { final_value: number } }).outputs.final_value;
    expect(energy).toBeGreaterThan((firstOutputs as { final_value: number }).final_value);
  });

  it('answers 400 naming the node and the input for each bad input, and for a bad body', async () => {
    const bad = async (body: unknown) => {
      const r = await as('alice', '/api/workflows/h2/run', { method: 'POST', body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
      return r.body.error as { message: string; details?: Array<{ node?: string; input?: string }> };
    };
    const unknownNode = await bad({ inputs: { 'nope.bond_length': 1 } });
    expect(unknownNode.message).toMatch(/no node "nope".*"hamiltonian"/);
    expect(unknownNode.details?.[0]).toMatchObject({ node: 'nope', input: 'bond_length' });
    const unknownInput = await bad({ inputs: { 'vqe.nope': 1 } });
    expect(unknownInput.message).toMatch(/node "vqe" has no input "nope"; its inputs are "hamiltonian"/);
    expect(unknownInput.details?.[0]).toMatchObject({ node: 'vqe', input: 'nope' });
    const wired = await bad({ inputs: { 'vqe.hamiltonian': {} } });
    expect(wired.message).toMatch(/input "hamiltonian" of node "vqe" is fed by output "hamiltonian" of node "hamiltonian"/);
    const wrongType = await bad({ inputs: { 'hamiltonian.bond_length': 'far' } });
    expect(wrongType.message).toMatch(/input "bond_length" of node "hamiltonian" must be a number, got "far"/);
    expect(wrongType.details?.[0]).toMatchObject({ node: 'hamiltonian', input: 'bond_length' });
    expect((await bad({ inputs: { bond_length: 1 } })).message).toMatch(/"bond_length" is not of the form "<node id>.<input>"/);
    expect((await bad({ input: {} })).message).toMatch(/input: is not a known field/);
    expect((await bad({ wait: 'yes' })).message).toMatch(/wait:/);
    const missing = await as('alice', '/api/workflows/nothing-here/run', { method: 'POST', body: {} });
    expect(missing.status).toBe(404);
  });

  it('cancels a long run: DELETE stops a looping skill and answers the run cancelled, again the same', async () => {
    const started = await as('alice', '/api/workflows/spin/run', { method: 'POST', body: {} });
    expect(started.status).toBe(202);
    const id = started.body.run_id as string;
    await waitFor(async () => (await as('alice', `/api/runs/${id}`)).body.nodes.s.status === 'running', 'the loop to run');
    const cancelled = await as('alice', `/api/runs/${id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ run_id: id, state: 'cancelled', nodes: { s: { status: 'cancelled' } } });
    expect(cancelled.body.finished_at).toBeDefined();
    expect((await as('alice', `/api/runs/${id}`)).body).toEqual(cancelled.body);
    // DELETE is idempotent: a run over is answered as it ended.
    expect((await as('alice', `/api/runs/${id}`, { method: 'DELETE' })).body).toEqual(cancelled.body);
    const done = await as('alice', `/api/runs/${firstId}`, { method: 'DELETE' });
    expect(done.body.state).toBe('done');
  });

  it("answers 404 for another person's run, with the message of an unknown one", async () => {
    const theirs = await as('bob', `/api/runs/${firstId}`);
    const unknown = await as('bob', '/api/runs/00000000-0000-4000-8000-000000000000');
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(theirs.body.error.message.replace(firstId, 'ID')).toBe(unknown.body.error.message.replace('00000000-0000-4000-8000-000000000000', 'ID'));
    expect((await as('bob', `/api/runs/${firstId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await as('bob', '/api/runs/not%20an%20id')).status).toBe(400);
    // bob cannot run alice's workflow either.
    expect((await as('bob', '/api/workflows/h2/run', { method: 'POST', body: { volume: 'user', volume_id: 'alice' } })).status).toBe(403);
  });

  it('lets a read link run the workflow and poll it, and leaves no record of its run', async () => {
    const before = (await h2Records()).length;
    const waited = await as('reader', '/api/workflows/h2/run', { method: 'POST', body: { wait: true } });
    expect(waited.status).toBe(200);
    expect(waited.body.state).toBe('done');
    const started = await as('reader', '/api/workflows/h2/run', { method: 'POST', body: {} });
    expect(started.status).toBe(202);
    expect((await polled('reader', started.body.run_id)).body.state).toBe('done');
    expect((await as('alice', `/api/runs/${started.body.run_id}`)).status).toBe(404);
    expect(await h2Records()).toHaveLength(before);
  });

  it("keeps each run's trace in the caller's volume under DATA_DIR/traces", async () => {
    const dir = path.join(dataDir, 'traces', 'user', 'alice');
    const text = (await Promise.all((await fs.readdir(dir)).map((f) => fs.readFile(path.join(dir, f), 'utf8')))).join('');
    const traces = text.trim().split('\n').map((l) => JSON.parse(l) as { id: string; workflow: string });
    expect(traces.map((t) => t.id)).toContain(firstId);
    expect(traces.filter((t) => t.workflow === 'H2 ground state by VQE').length).toBeGreaterThanOrEqual(5);
  });
});

describe('REST workflow run limits', () => {
  const { cleanups } = teardownEachTest('llmunix-workflow-run-limits-');
  async function localServer(env: Record<string, string>) {
    const s = await startTestServer({ REST_RATE_LIMIT_PER_MINUTE: '1000000', ...env });
    cleanups.push(() => s.close());
    await storeWorkflows(s, 'default');
    return s;
  }

  it('answers 503 with Retry-After when the queue is full (RUN_CONCURRENCY=1, RUN_QUEUE_MAX=1: the third run)', async () => {
    const s = await localServer({ RUN_CONCURRENCY: '1', RUN_QUEUE_MAX: '1' });
    const post = () => requestAs(s.url, undefined, '/api/workflows/spin/run', { method: 'POST', body: {} });
    const first = await post();
    const second = await post();
    expect([first.status, second.status]).toEqual([202, 202]);
    expect(second.body.state).toBe('queued');
    expect((await requestAs(s.url, undefined, `/api/runs/${second.body.run_id}`)).body.queue_position).toBe(0);
    const res = await fetch(`${s.url}/api/workflows/spin/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('busy');
    expect(body.error.message).toMatch(/RUN_QUEUE_MAX=1/);
    expect((await requestAs(s.url, undefined, `/api/runs/${second.body.run_id}`, { method: 'DELETE' })).body).toMatchObject({ state: 'cancelled' });
    expect((await requestAs(s.url, undefined, `/api/runs/${first.body.run_id}`, { method: 'DELETE' })).body).toMatchObject({ state: 'cancelled' });
  });

  it('cancels a waited-for run when its client goes away', async () => {
    // One slot: once the waited-for loop holds it, a quick run waits in the queue.
    const s = await localServer({ RUN_CONCURRENCY: '1', RUN_QUEUE_MAX: '1' });
    const run = (id: string, body: unknown = {}) => requestAs(s.url, undefined, `/api/workflows/${id}/run`, { method: 'POST', body });
    const gone = new AbortController();
    const waiting = fetch(`${s.url}/api/workflows/spin/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"wait":true}', signal: gone.signal }).catch((e: unknown) => e);
    let probe: { run_id: string; state: string } | undefined;
    await waitFor(async () => {
      const r = await run('quick');
      if (r.status !== 202) return false; // the loop is itself queued behind a probe: try again
      probe = r.body;
      if (r.body.state === 'queued') return true;
      await requestAs(s.url, undefined, `/api/runs/${r.body.run_id}`, { method: 'DELETE' });
      return false;
    }, 'the waited-for loop to hold the only slot');
    gone.abort();
    expect(await waiting).toBeInstanceOf(Error);
    // The loop would hold the slot for RUN_TIMEOUT_MS (5 minutes): the queued run gets it because the loop was cancelled.
    await waitFor(async () => (await requestAs(s.url, undefined, `/api/runs/${probe!.run_id}`)).body.state === 'done', 'the queued run to run');
    const [record] = await s.rooms.use('user/default/runs/spin', (room) => listRuns(room.doc));
    expect(record?.status).toBe('cancelled');
  });

  it('fails a run that outlives RUN_TIMEOUT_MS, saying so', async () => {
    const s = await localServer({ RUN_TIMEOUT_MS: '1000' });
    const { status, body } = await requestAs(s.url, undefined, '/api/workflows/spin/run', { method: 'POST', body: { wait: true } });
    expect(status).toBe(200);
    expect(body.state).toBe('error');
    expect(body.error).toMatch(/longer than the server's limit of 1000 ms \(RUN_TIMEOUT_MS\)/);
  });
});
