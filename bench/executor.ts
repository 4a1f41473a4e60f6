/**
 * Executor benchmark, headless in Node with the real runtimes (worker threads):
 * - overhead per node on a chain of 1,000 trivial JavaScript nodes and on a fan-out of 1,000
 *   independent ones, against the same runtime called directly 1,000 times in the same run
 *   (one at a time for the chain; as many at once as the executor allows for the fan-out);
 * - Pyodide cold start and a warm call;
 * - the VQE workflow (Hamiltonian → VQE → Plot) uncached and cached.
 *
 *   npm run bench:executor [-- --nodes 1000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { WorkflowGraph, WorkflowNode } from '../shared/src/documents/workflow';
import { runWorkflow } from '../shared/src/execution/executor';
import type { ResolvedSkill, Runtime } from '../shared/src/execution/types';
import { parseSkill } from '../shared/src/skill/parse';
import { parseWorkflowFile } from '../shared/src/workflow/file';
import { MemoryResultCache } from '../sync-server/src/headless/cache';
import { javascriptRuntime } from '../sync-server/src/headless/javascript-runtime';
import { PythonRuntime } from '../sync-server/src/headless/python-runtime';
import { nodeRuntimes } from '../sync-server/src/headless/runtimes';
import { loadVolumes } from '../sync-server/src/headless/skills';

const { values: args } = parseArgs({ options: { nodes: { type: 'string', default: '1000' } } });
const N = Number(args.nodes);
const CONCURRENCY = 4; // the executor's default

function skill(type: 'javascript' | 'python', code: string): ResolvedSkill {
  const id = `bench-${type}`;
  const source = `---\nname: ${id}\nskill_id: ${id}\ntype: ${type}\ninputs: [{ name: n, type: number, default: 0 }]\noutputs: [{ name: n, type: number }]\n---\n\n## Code\n\n\`\`\`${type}\n${code}\n\`\`\`\n`;
  const parsed = parseSkill(source, `${id}.md`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  return { skill: parsed.value, source };
}

const INC = skill('javascript', 'function execute({ n }) { return { n: n + 1 }; }');
const PY_INC = skill('python', 'def execute(inputs):\n    return {"n": inputs["n"] + 1}');

const node = (id: string): WorkflowNode => ({ id, skillId: 'bench-javascript', label: '', position: { x: 0, y: 0 }, inputs: {} });
const chain = (n: number): WorkflowGraph => ({
  nodes: Array.from({ length: n }, (_, i) => node(`n${i}`)),
  edges: Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, sourceHandle: 'n', target: `n${i + 1}`, targetHandle: 'n' })),
});
const fanOut = (n: number): WorkflowGraph => ({ nodes: Array.from({ length: n }, (_, i) => node(`n${i}`)), edges: [] });

const ms = (t0: number) => performance.now() - t0;
const fmt = (x: number, digits = 1) => x.toFixed(digits);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function time(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return ms(t0);
}

/** Calls a runtime directly `count` times, `width` at a time: the executor's work minus the executor. */
async function direct(runtime: Runtime, resolved: ResolvedSkill, count: number, width: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      await runtime.run({ skill: resolved.skill, inputs: { n: next }, signal: new AbortController().signal });
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
}

async function executorOverhead(): Promise<void> {
  const js = javascriptRuntime(CONCURRENCY);
  const runtimes = { javascript: js };
  const resolve = () => INC;
  // Start the workers and let V8 warm up before measuring anything.
  await runWorkflow({ graph: fanOut(50), resolve, runtimes });
  await direct(js, INC, 200, CONCURRENCY);

  for (const [shape, graph, width] of [
    ['chain', chain(N), 1],
    ['fan-out', fanOut(N), CONCURRENCY],
  ] as const) {
    const refMs = await time(() => direct(js, INC, N, width));
    let ok = true;
    const exMs = await time(async () => {
      ok = (await runWorkflow({ graph, resolve, runtimes, concurrency: CONCURRENCY })).ok;
    });
    if (!ok) throw new Error(`${shape} did not complete`);
    console.log(
      `${shape.padEnd(8)} ${N} JS nodes: executor ${fmt((exMs * 1000) / N, 0)} µs/node, direct runtime calls (${width} at a time) ${fmt((refMs * 1000) / N, 0)} µs/call; ` +
        `overhead ${fmt(((exMs - refMs) * 1000) / N, 0)} µs/node, ratio ${fmt(exMs / refMs, 2)}×`,
    );
  }
  await js.close();
}

async function pyodide(): Promise<void> {
  const py = new PythonRuntime();
  const cold = await time(() => py.warm());
  const calls: number[] = [];
  for (let i = 0; i < 200; i++) {
    calls.push(await time(() => py.run({ skill: PY_INC.skill, inputs: { n: i }, signal: new AbortController().signal })));
  }
  console.log(`Pyodide in a worker thread: cold start ${fmt(cold, 0)} ms; warm call (run + worker round trip) median ${fmt(median(calls), 2)} ms over 200`);
  await py.close();
}

async function vqe(): Promise<void> {
  const file = parseWorkflowFile(fs.readFileSync(path.join(import.meta.dirname, '../sync-server/test/headless/fixtures/vqe.workflow.json'), 'utf8'));
  if (!file.ok) throw new Error(file.error.join('\n'));
  const graph = { nodes: file.value.nodes, edges: file.value.edges };
  const { skills } = await loadVolumes();
  const runtimes = nodeRuntimes();
  const resolve = (id: string) => skills.get(id);
  const cold = await time(() => runWorkflow({ graph, resolve, runtimes }));
  const uncached: number[] = [];
  for (let i = 0; i < 5; i++) uncached.push(await time(() => runWorkflow({ graph, resolve, runtimes })));
  const cache = new MemoryResultCache();
  await runWorkflow({ graph, resolve, runtimes, cache });
  const cached: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const report = await runWorkflow({ graph, resolve, runtimes, cache });
    cached.push(ms(t0));
    if (!Object.values(report.nodes).every((s) => s.status === 'cached')) throw new Error('expected every node cached');
  }
  const [u, c] = [median(uncached), median(cached)];
  console.log(
    `VQE workflow (3 nodes): first run with cold runtimes ${fmt(cold, 0)} ms; warm uncached median ${fmt(u, 1)} ms; cached median ${fmt(c, 2)} ms; uncached/cached ${fmt(u / c, 0)}×`,
  );
  await runtimes.close();
}

console.log(`executor benchmark, Node ${process.version}`);
await executorOverhead();
await pyodide();
await vqe();
