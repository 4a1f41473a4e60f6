// The server's run service (sync-server/src/runs/) on a real server with file storage: the real
// system skills on the real runtimes (Pyodide and the JavaScript sandbox), the result cache,
// traces the evolution engine mines, and run records in the workflow's runs room.
// (RUNS-4, RUNS-5, RUNS-6, RUNS-7, RUNS-8)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '../../../shared/src/access';
import { listRuns } from '../../../shared/src/documents/runs';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { evolve } from '../../src/headless/evolve';
import type { PreparedRun } from '../../src/library/types';
import { RUN_CACHE_DIR } from '../../src/runs/run-cache';
import type { RunView } from '../../src/runs/types';
import { edge, node } from '../headless/helpers';
import { startTestServer } from '../harness/in-process';
import { BOOM, preparer, template, writeSkills } from './prepared';

const alice: Identity = { kind: 'user', sub: 'alice', teams: [], team_admin: [] };
const bob: Identity = { kind: 'user', sub: 'bob', teams: [], team_admin: [] };
const readLink: Identity = { kind: 'share', room: 'user/alice/workflow/h2', mode: 'read' };

let dataDir: string;
let server: Awaited<ReturnType<typeof startTestServer>>;
let prepare: Awaited<ReturnType<typeof preparer>>;
let h2: WorkflowGraph;
const h2Run = (): PreparedRun =>
  prepare(h2, {
    name: 'H2 ground state by VQE',
    workflowRoom: 'user/alice/workflow/h2',
    outputs: [
      { key: 'eigenvalue', node: 'vqe', port: 'eigenvalue', type: 'number' },
      { key: 'final_value', node: 'plot', port: 'final_value', type: 'number' },
    ],
  });

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-runs-data-'));
  await writeSkills(path.join(dataDir, 'user-skills'), { boom: BOOM });
  prepare = await preparer(path.join(dataDir, 'user-skills'));
  h2 = await template('h2-vqe');
  server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('the run service', () => {
  let first: RunView;
  const seen: RunView[] = [];

  it('runs a workflow of three nodes across Python and JavaScript: every node done, the outputs, progress as nodes start and settle', async () => {
    const run = server.runs.start(h2Run(), { identity: alice, trigger: 'api', onProgress: (v) => seen.push(v) });
    expect(['queued', 'running']).toContain(run.view().state);
    first = await run.done;
    expect(first.state).toBe('done');
    expect(first.kind).toBe('workflow');
    expect(Object.fromEntries(Object.entries(first.nodes).map(([id, n]) => [id, n.status]))).toEqual({ hamiltonian: 'done', vqe: 'done', plot: 'done' });
    // The exact ground state of H2 at 0.735 Å is about -1.137 Ha; VQE finds it.
    expect(first.outputs?.eigenvalue).toBeCloseTo(-1.137, 2);
    expect(first.outputs?.final_value).toBe(first.outputs?.eigenvalue);
    expect(first.nodes.vqe?.outputs?.converged).toBe(true);
    expect(first.progress).toEqual({ done: 3, total: 3, running: [] });
    expect(first.error).toBeUndefined();
    expect(first.duration_ms).toBeGreaterThanOrEqual(0);
    // Progress: the run's start, each node's start and end, and the end; done never goes back.
    expect(seen[0]?.state).toBe('running');
    expect(seen.some((v) => v.progress.running.includes('vqe'))).toBe(true);
    expect(seen.map((v) => v.progress.done)).toEqual([...seen.map((v) => v.progress.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ state: 'done', progress: { done: 3 } });
    // The same view is found again by its caller, and by nobody else.
    expect(server.runs.get(first.run_id, alice)?.view()).toEqual(first);
    expect(server.runs.get(first.run_id, bob)).toBeUndefined();
    expect(server.runs.get(first.run_id, readLink)).toBeUndefined();
  });

  it('reuses cached results on a second run (every node cached, same outputs), and keeps the cache in DATA_DIR/run-cache', async () => {
    const again = await server.runs.start(h2Run(), { identity: alice, trigger: 'api' }).done;
    expect(again.state).toBe('done');
    expect(Object.values(again.nodes).map((n) => n.status)).toEqual(['cached', 'cached', 'cached']);
    expect(again.outputs).toEqual(first.outputs);
    const file = await fs.readFile(path.join(dataDir, RUN_CACHE_DIR, 'llmunix-results.json'), 'utf8');
    expect(Object.keys((JSON.parse(file) as { entries: object }).entries).length).toBeGreaterThanOrEqual(3);
  });

  it("writes each run's trace to the caller's volume, a day a file, which npm run evolve mines", async () => {
    await server.runs.start(h2Run(), { identity: alice, trigger: 'mcp' }).done;
    const dir = path.join(dataDir, 'traces', 'user', 'alice');
    const files = await fs.readdir(dir);
    expect(files).toEqual([`${first.created_at.slice(0, 10)}.jsonl`]);
    const traces = (await fs.readFile(path.join(dir, files[0]!), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; status: string; edges: unknown[] });
    expect(traces.length).toBe(3);
    expect(traces[0]).toMatchObject({ id: first.run_id, status: 'done', workflow: 'H2 ground state by VQE' });
    expect(traces[0]?.edges.length).toBe(3);
    const lines: string[] = [];
    const mined = await evolve({ dir, log: (l) => lines.push(l) });
    expect(lines).toContain('read 3 line(s) from 1 file(s)');
    expect(mined.skipped).toBe(0);
    // Three runs of the same three skills, wired the same way: one pattern, offered as a compound skill.
    expect(mined.suggestions.length).toBe(1);
    expect(mined.suggestions[0]?.markdown).toContain('quantum-vqe');
  });

  it('still finishes a run whose trace cannot be written', async () => {
    const carol: Identity = { kind: 'user', sub: 'carol', teams: [], team_admin: [] };
    // A file where carol's folder of traces would be: the trace cannot be appended.
    await fs.mkdir(path.join(dataDir, 'traces', 'user'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'traces', 'user', 'carol'), 'not a folder');
    const view = await server.runs.start(prepare({ nodes: [node('w', 'sample-weather-data', { days: 1 })], edges: [] }, { name: 'quick' }), { identity: carol, trigger: 'api' }).done;
    expect(view.state).toBe('done');
    expect(view.nodes.w?.outputs?.row_count).toBe(4);
    expect(await fs.readFile(path.join(dataDir, 'traces', 'user', 'carol'), 'utf8')).toBe('not a folder');
  });

  it("writes a workflow run's record into its runs room for a person who may write it, and none for a read link", async () => {
    const records = () => server.rooms.use('user/alice/runs/h2', (room) => listRuns(room.doc));
    const before = (await records()).length;
    expect(before).toBe(3);
    const byAlice = (await records()).find((r) => r.id === first.run_id);
    expect(byAlice).toMatchObject({ workflow_room: 'user/alice/workflow/h2', status: 'done', trigger: 'api', by: { sub: 'alice', name: 'alice' } });
    expect(byAlice?.nodes.vqe).toMatchObject({ skill_id: 'quantum-vqe', status: 'done', inputs: { max_iterations: 300 } });
    expect(byAlice?.nodes.vqe?.cache_key).toMatch(/./);

    const read = await server.runs.start(h2Run(), { identity: readLink, trigger: 'api' }).done;
    expect(read.state).toBe('done');
    expect(server.runs.get(read.run_id, readLink)?.view().state).toBe('done');
    expect(await records()).toHaveLength(before);
    // A read link's trace goes to its room's volume.
    expect((await fs.readFile(path.join(dataDir, 'traces', 'user', 'alice', `${read.created_at.slice(0, 10)}.jsonl`), 'utf8')).includes(read.run_id)).toBe(true);
  });

  it('names the failing node, its skill and the line of the skill file in the error; what depends on it is skipped', async () => {
    const graph: WorkflowGraph = { nodes: [node('bad', 'boom', { n: 2 }), node('after', 'boom'), node('fine', 'sample-weather-data', { days: 2 })], edges: [edge('bad', 'x', 'after', 'n')] };
    const view = await server.runs.start(prepare(graph, { name: 'failing' }), { identity: alice, trigger: 'api' }).done;
    expect(view.state).toBe('error');
    expect(Object.fromEntries(Object.entries(view.nodes).map(([id, n]) => [id, n.status]))).toEqual({ bad: 'error', after: 'skipped', fine: 'done' });
    const skillFile = path.join(dataDir, 'user-skills', 'boom.md');
    const line = (await fs.readFile(skillFile, 'utf8')).split('\n').findIndex((l) => l.includes('throw new Error')) + 1;
    expect(view.error).toMatch(new RegExp(`^node "bad" \\(skill boom\\) failed at \\S*boom\\.md line ${line}: Error: boom at 2$`));
    expect(view.outputs).toBeUndefined();
  });

  it('runs nothing of an invalid workflow and says why, node by node', async () => {
    const graph: WorkflowGraph = { nodes: [node('a', 'no-such-skill'), node('b', 'sample-weather-data')], edges: [] };
    const view = await server.runs.start(prepare(graph, { name: 'invalid' }), { identity: alice, trigger: 'api' }).done;
    expect(view.state).toBe('error');
    expect(view.error).toMatch(/^the workflow is invalid, so nothing ran: .*no-such-skill/);
    expect(view.nodes.a).toMatchObject({ status: 'invalid', error: expect.stringMatching(/no-such-skill/) as unknown });
    expect(view.nodes.b?.status).toBe('invalid');
  });

  it("cancels on the caller's signal", async () => {
    const abort = new AbortController();
    abort.abort();
    const view = await server.runs.start(h2Run(), { identity: alice, trigger: 'mcp', signal: abort.signal }).done;
    expect(view.state).toBe('cancelled');
    expect(view.started_at).toBeUndefined();
    expect(Object.values(view.nodes).map((n) => n.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});

describe('the run service after a restart', () => {
  it('keeps the cached results through a restart on the same DATA_DIR (read on the first run, not at start)', async () => {
    const before = await server.runs.start(h2Run(), { identity: alice, trigger: 'api' }).done;
    await server.close();
    server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    const after = await server.runs.start(h2Run(), { identity: alice, trigger: 'api' }).done;
    expect(Object.values(after.nodes).map((n) => n.status)).toEqual(['cached', 'cached', 'cached']);
    expect(after.outputs).toEqual(before.outputs);
  });
});
