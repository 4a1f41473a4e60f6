// The executor with the real Node JavaScript runtime (worker threads, node:vm): values along
// edges, parallel branches, failures, cancel, timeouts (EXEC-9), the result cache, targets,
// validation, missing outputs (EXEC-2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryResultCache } from '../../sync-server/src/headless/cache';
import { javascriptRuntime } from '../../sync-server/src/headless/javascript-runtime';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../src/documents/workflow';
import { runWorkflow, type ExecutorOptions } from '../src/execution/executor';
import type { ResolvedSkill, Runtime } from '../src/execution/types';
import { formatSkillError, parseSkill, readSkill } from '../src/skill/parse';

interface SkillSpec {
  inputs?: object[];
  outputs?: object[];
  code: string;
  deterministic?: boolean;
  estimated_time_ms?: number;
}

/** A JavaScript skill file, parsed as the executor gets it. */
function jsSkill(id: string, spec: SkillSpec): ResolvedSkill {
  const source = [
    '---',
    `name: ${id}`,
    `skill_id: ${id}`,
    'type: javascript',
    `deterministic: ${spec.deterministic ?? true}`,
    ...(spec.estimated_time_ms ? [`estimated_time_ms: ${spec.estimated_time_ms}`] : []),
    `inputs: ${JSON.stringify(spec.inputs ?? [])}`,
    `outputs: ${JSON.stringify(spec.outputs ?? [])}`,
    '---',
    '',
    '## Code',
    '',
    '```javascript',
    spec.code,
    '```',
    '',
  ].join('\n');
  const parsed = parseSkill(source, `${id}.md`);
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return { skill: parsed.value, source };
}

const num = (name: string, extra: object = {}) => ({ name, type: 'number', ...extra });

const SKILLS = new Map<string, ResolvedSkill>([
  ['add', jsSkill('add', { inputs: [num('a', { default: 1 }), num('b', { default: 2 })], outputs: [num('sum')], code: 'function execute({ a, b }) { return { sum: a + b }; }' })],
  [
    'sleep',
    jsSkill('sleep', {
      inputs: [num('ms', { default: 300 })],
      outputs: [num('slept')],
      code: 'async function execute({ ms }) {\n  await new Promise((r) => setTimeout(r, ms));\n  return { slept: ms };\n}',
    }),
  ],
  [
    'estimated',
    jsSkill('estimated', {
      estimated_time_ms: 300,
      outputs: [num('slept')],
      code: 'async function execute() {\n  await new Promise((r) => setTimeout(r, 400));\n  return { slept: 400 };\n}',
    }),
  ],
  ['fail', jsSkill('fail', { outputs: [num('x')], code: 'function execute() {\n  throw new Error("boom");\n}' })],
  ['loop', jsSkill('loop', { outputs: [num('x')], code: 'function execute() {\n  while (true) {}\n}' })],
  ['random', jsSkill('random', { deterministic: false, outputs: [num('x')], code: 'function execute() { return { x: Math.random() }; }' })],
  ['silent', jsSkill('silent', { outputs: [num('x'), num('y')], code: 'function execute() { return { y: 1 }; }' })],
  ['text', jsSkill('text', { outputs: [{ name: 's', type: 'string' }], code: 'function execute() { return { s: "a" }; }' })],
]);

const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId, label: '', position: { x: 0, y: 0 }, inputs });
const edge = (source: string, sourceHandle: string, target: string, targetHandle: string): WorkflowEdge => ({
  id: `${source}-${sourceHandle}-${target}-${targetHandle}`,
  source,
  sourceHandle,
  target,
  targetHandle,
});

const js = javascriptRuntime(4);
let calls = 0;
// Counts runs without changing them: validation must run nothing.
const counted: Runtime = { run: (r) => (calls++, js.run(r)) };

const run = (graph: WorkflowGraph, o: Partial<ExecutorOptions> = {}) =>
  runWorkflow({ graph, resolve: (id) => SKILLS.get(id), runtimes: { javascript: counted }, ...o });
const statuses = (nodes: Record<string, { status: string }>) => Object.fromEntries(Object.entries(nodes).map(([id, s]) => [id, s.status]));

beforeAll(async () => {
  // Start the workers the parallel test needs, so it measures running and not starting threads.
  await run({ nodes: [node('w1', 'add'), node('w2', 'add'), node('w3', 'add'), node('w4', 'add')], edges: [] });
});
afterAll(() => js.close());

describe('executor with the Node JavaScript runtime', () => {
  it('passes values: literals, skill defaults and outputs along edges', async () => {
    const report = await run({
      nodes: [node('first', 'add', { a: 5 }), node('second', 'add', { b: 10 })],
      edges: [edge('first', 'sum', 'second', 'a')],
    });
    expect(report.ok).toBe(true);
    expect(report.nodes.first?.outputs).toEqual({ sum: 7 }); // 5 + default 2
    expect(report.nodes.second?.outputs).toEqual({ sum: 17 }); // 7 along the edge + 10
    expect(report.trace.nodes.map((n) => n.status)).toEqual(['done', 'done']);
    expect(report.trace.edges).toEqual([{ source: 'first', sourceHandle: 'sum', target: 'second', targetHandle: 'a' }]);
  });

  it('runs independent branches in parallel', async () => {
    const t0 = performance.now();
    const report = await run({ nodes: [node('s1', 'sleep'), node('s2', 'sleep')], edges: [] });
    const elapsed = performance.now() - t0;
    expect(statuses(report.nodes)).toEqual({ s1: 'done', s2: 'done' });
    console.info(`two 300 ms nodes in parallel: ${elapsed.toFixed(0)} ms`);
    expect(elapsed).toBeLessThan(500);
  });

  it('a failing node skips only its dependents; an independent branch completes', async () => {
    const report = await run({
      nodes: [node('bad', 'fail'), node('after', 'add'), node('later', 'add'), node('other', 'add', { a: 40 })],
      edges: [edge('bad', 'x', 'after', 'a'), edge('after', 'sum', 'later', 'a')],
    });
    expect(report.ok).toBe(false);
    expect(statuses(report.nodes)).toEqual({ bad: 'error', after: 'skipped', later: 'skipped', other: 'done' });
    expect(report.nodes.bad?.error).toMatch(/^Error: boom\n\s+at execute \(fail\.md:\d+:\d+\)/);
    expect(report.nodes.after?.error).toMatch(/upstream node "bad"/);
    expect(report.nodes.other?.outputs).toEqual({ sum: 42 });
    expect(report.trace.status).toBe('error');
    // Only edges between nodes that ran: "after" and "later" were skipped.
    expect(report.trace.edges).toEqual([]);
  });

  it('cancel: running and queued nodes end cancelled, at once', async () => {
    const controller = new AbortController();
    const t0 = performance.now();
    setTimeout(() => controller.abort(new Error('user cancelled')), 200);
    const report = await run(
      {
        nodes: [node('long', 'sleep', { ms: 5000 }), node('next', 'add'), node('side', 'sleep', { ms: 5000 })],
        edges: [edge('long', 'slept', 'next', 'a')],
      },
      { signal: controller.signal },
    );
    expect(statuses(report.nodes)).toEqual({ long: 'cancelled', next: 'cancelled', side: 'cancelled' });
    expect(report.trace.status).toBe('cancelled');
    expect(performance.now() - t0).toBeLessThan(1500);
    // The terminated workers are replaced: the runtime still works.
    expect((await run({ nodes: [node('n', 'add')], edges: [] })).nodes.n?.outputs).toEqual({ sum: 3 });
  });

  it('a timeout stops an endless loop, naming the timeout', async () => {
    const t0 = performance.now();
    const report = await run({ nodes: [node('spin', 'loop'), node('ok', 'add')], edges: [] }, { timeoutMs: 300 });
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(report.nodes.spin?.status).toBe('error');
    expect(report.nodes.spin?.error).toMatch(/timed out after 300 ms/);
    expect(report.nodes.ok?.status).toBe('done');
    expect((await run({ nodes: [node('n', 'add')], edges: [] })).ok).toBe(true);
  });

  it("a skill's estimated_time_ms raises the timeout", async () => {
    // 150 ms would stop a 400 ms run; an estimate of 300 ms allows three times that.
    const report = await run({ nodes: [node('est', 'estimated'), node('plain', 'sleep', { ms: 400 })], edges: [] }, { timeoutMs: 150 });
    expect(report.nodes.est?.status).toBe('done');
    expect(report.nodes.plain?.status).toBe('error');
    expect(report.nodes.plain?.error).toMatch(/timed out after 150 ms/);
  });

  it('a node waiting for its runtime is not timed out by the wait: its limit counts from its start', async () => {
    // One worker: the second node waits 300 ms for the first, then runs 300 ms. Each runs well
    // within 450 ms; counted from when they were scheduled, the second would not be.
    const single = javascriptRuntime(1);
    try {
      const report = await runWorkflow({
        graph: { nodes: [node('first', 'sleep'), node('second', 'sleep')], edges: [] },
        resolve: (id) => SKILLS.get(id),
        runtimes: { javascript: single },
        concurrency: 2,
        timeoutMs: 450,
      });
      expect(statuses(report.nodes)).toEqual({ first: 'done', second: 'done' });
      expect(report.nodes.second?.durationMs).toBeGreaterThanOrEqual(550);
    } finally {
      await single.close();
    }
  });

  it('a runtime that never starts the node fails it after the start limit, saying so', async () => {
    const never: Runtime = { run: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) };
    const report = await runWorkflow({ graph: { nodes: [node('n', 'add')], edges: [] }, resolve: (id) => SKILLS.get(id), runtimes: { javascript: never }, startTimeoutMs: 200 });
    expect(report.nodes.n?.status).toBe('error');
    expect(report.nodes.n?.error).toBe('the javascript runtime did not start within 200 ms; check the connection and run again');
  });

  it('reports a declared output the skill did not return', async () => {
    const report = await run({ nodes: [node('s', 'silent')], edges: [] });
    expect(report.nodes.s?.status).toBe('error');
    expect(report.nodes.s?.error).toMatch(/returned no "x" \(declared in its outputs\)/);
  });

  it('runs a target and what it needs only', async () => {
    const graph: WorkflowGraph = {
      nodes: [node('a', 'add'), node('b', 'add'), node('c', 'add'), node('d', 'add')],
      edges: [edge('a', 'sum', 'b', 'a'), edge('b', 'sum', 'c', 'a')],
    };
    const report = await run(graph, { targets: ['b'] });
    expect(statuses(report.nodes)).toEqual({ a: 'done', b: 'done' });
    expect(report.nodes.b?.outputs).toEqual({ sum: 5 });
    // The trace keeps only the edges between nodes of this run: b → c did not run.
    expect(report.trace.edges).toEqual([{ source: 'a', sourceHandle: 'sum', target: 'b', targetHandle: 'a' }]);
  });

  it('validates first: a cycle, an unknown skill or a type mismatch runs nothing', async () => {
    const before = calls;
    const cases: Array<[WorkflowGraph, string]> = [
      [{ nodes: [node('a', 'add'), node('b', 'add'), node('ok', 'add')], edges: [edge('a', 'sum', 'b', 'a'), edge('b', 'sum', 'a', 'a')] }, 'cycle'],
      [{ nodes: [node('a', 'add'), node('ghost', 'no-such-skill')], edges: [] }, 'unknown_skill'],
      [{ nodes: [node('t', 'text'), node('a', 'add')], edges: [edge('t', 's', 'a', 'a')] }, 'type_mismatch'],
    ];
    for (const [graph, code] of cases) {
      const report = await run(graph);
      expect(report.ok).toBe(false);
      expect(report.issues.map((i) => i.code)).toEqual([code]);
      expect(report.nodes).toEqual({});
      expect(report.trace.status).toBe('invalid');
    }
    expect(calls).toBe(before);
  });

  it('with the library lookup, an instruction node is refused as having nothing to run, not as unknown', async () => {
    const prose = readSkill('---\nname: Style Guide\ndescription: How we write.\n---\n\nWrite plainly.\n', { skillId: 'style' });
    if (!prose.ok || prose.value.kind !== 'instruction') throw new Error('the fixture should read as an instruction skill');
    const graph: WorkflowGraph = { nodes: [node('a', 'add'), node('s', 'style')], edges: [] };
    expect((await run(graph)).issues.map((i) => i.code), 'resolve alone knows runnable skills only').toEqual(['unknown_skill']);
    const library = (id: string) => (id === 'style' ? prose.value.frontmatter : SKILLS.get(id)?.skill.frontmatter);
    const report = await run(graph, { library });
    expect(report.issues.map((i) => i.code)).toEqual(['not_runnable']);
    expect(report.nodes).toEqual({});
  });
});

describe('result cache', () => {
  const graph = (a: number): WorkflowGraph => ({
    nodes: [node('a', 'add', { a }), node('b', 'add'), node('c', 'add', { a: 100 }), node('r', 'random')],
    edges: [edge('a', 'sum', 'b', 'a')],
  });

  it('reuses results and re-runs exactly what changed', async () => {
    const cache = new MemoryResultCache();
    const first = await run(graph(1), { cache });
    expect(statuses(first.nodes)).toEqual({ a: 'done', b: 'done', c: 'done', r: 'done' });

    const second = await run(graph(1), { cache });
    // deterministic: false opts out: it always runs.
    expect(statuses(second.nodes)).toEqual({ a: 'cached', b: 'cached', c: 'cached', r: 'done' });
    expect(second.nodes.b?.outputs).toEqual(first.nodes.b?.outputs);
    expect(second.nodes.a?.durationMs).toBe(0);
    expect(second.trace.nodes.filter((n) => n.cached).map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(second.nodes.r?.outputs?.x).not.toBe(first.nodes.r?.outputs?.x);

    // A changed literal re-runs its node and what depends on it, nothing else.
    const third = await run(graph(2), { cache });
    expect(statuses(third.nodes)).toEqual({ a: 'done', b: 'done', c: 'cached', r: 'done' });
    expect(third.nodes.b?.outputs).toEqual({ sum: 6 });

    // A changed skill source re-runs its nodes.
    const add = SKILLS.get('add')!;
    const edited = (id: string) => (id === 'add' ? { ...add, source: `${add.source}\n<!-- edited -->\n` } : SKILLS.get(id));
    const fourth = await run(graph(2), { cache, resolve: edited });
    expect(statuses(fourth.nodes)).toEqual({ a: 'done', b: 'done', c: 'done', r: 'done' });
    expect(statuses((await run(graph(2), { cache })).nodes)).toEqual({ a: 'cached', b: 'cached', c: 'cached', r: 'done' });
  });

  it('keeps where a result was computed (a webgpu run\'s device) on the node and in the cache', async () => {
    const cache = new MemoryResultCache();
    const device = { kind: 'cpu' as const, reason: 'no WebGPU adapter' };
    const onCpu: Runtime = { run: async (r) => ({ ...(await js.run(r)), device }) };
    const graph: WorkflowGraph = { nodes: [node('a', 'add', { a: 40 })], edges: [] };
    const first = await run(graph, { cache, runtimes: { javascript: onCpu } });
    expect(first.nodes.a).toMatchObject({ status: 'done', outputs: { sum: 42 }, device });
    const second = await run(graph, { cache, runtimes: { javascript: onCpu } });
    expect(second.nodes.a).toMatchObject({ status: 'cached', outputs: { sum: 42 }, device });
    // A runtime that says nothing of a device leaves it out.
    expect((await run({ nodes: [node('p', 'add', { a: 41 })], edges: [] })).nodes.p).not.toHaveProperty('device');
  });
});
