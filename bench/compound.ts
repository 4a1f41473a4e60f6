/**
 * Compound skills benchmark, headless in Node with the real JavaScript runtime (worker threads):
 * a chain of K trivial JavaScript nodes run flat, as one compound node, and as a compound of
 * compounds (K/5 compounds of 5 nodes), uncached and cached, alternating in the same run; prints
 * the medians of R runs and the overhead per inner node against the flat chain (the reference).
 *
 *   npm run bench:compound [-- --nodes 20 --runs 30]
 */
import { parseArgs } from 'node:util';
import type { WorkflowGraph, WorkflowNode } from '../shared/src/documents/workflow';
import { runWorkflow } from '../shared/src/execution/executor';
import type { ResolvedSkill } from '../shared/src/execution/types';
import { buildCompoundMarkdown, type CompoundInside } from '../shared/src/skill/compound';
import { parseSkill, readSkill, type CompoundSkill } from '../shared/src/skill/parse';
import { MemoryResultCache } from '../sync-server/src/headless/cache';
import { javascriptRuntime } from '../sync-server/src/headless/javascript-runtime';
import { percentile } from './lib/proc';

const { values: args } = parseArgs({ options: { nodes: { type: 'string', default: '20' }, runs: { type: 'string', default: '30' } } });
const K = Number(args.nodes);
const R = Number(args.runs);
const GROUP = 5;
if (!(Number.isInteger(K) && K >= GROUP && K % GROUP === 0)) throw new Error(`--nodes must be a multiple of ${GROUP}, got ${args.nodes}`);

const INC_SOURCE = '---\nname: inc\nskill_id: inc\ntype: javascript\ninputs: [{ name: n, type: number, default: 0 }]\noutputs: [{ name: n, type: number }]\n---\n\n## Code\n\n```javascript\nfunction execute({ n }) { return { n: n + 1 }; }\n```\n';
const parsedInc = parseSkill(INC_SOURCE, 'inc.md');
if (!parsedInc.ok) throw new Error(JSON.stringify(parsedInc.error));
const INC: ResolvedSkill = { skill: parsedInc.value, source: INC_SOURCE };

const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId, label: '', position: { x: 0, y: 0 }, inputs });
const chainOf = (count: number, skillId: string, port: string, start: number): WorkflowGraph => ({
  nodes: Array.from({ length: count }, (_, i) => node(`n${i}`, skillId, i === 0 ? { n: start } : {})),
  edges: Array.from({ length: count - 1 }, (_, i) => ({ id: `e${i}`, source: `n${i}`, sourceHandle: port, target: `n${i + 1}`, targetHandle: port })),
});

/** A compound skill wrapping a chain of `count` nodes of `skillId`, its `n` in and out. */
function compoundOf(id: string, count: number, skillId: string): CompoundSkill {
  const { nodes, edges } = chainOf(count, skillId, 'n', 0);
  const inside: CompoundInside = {
    nodes: nodes.map((n) => ({ ...n, inputs: {} })),
    edges,
    inputs: [{ name: 'n', targets: [{ node: 'n0', port: 'n' }] }],
    outputs: [{ name: 'n', node: `n${count - 1}`, port: 'n' }],
  };
  const source = buildCompoundMarkdown({ name: id, skillId: id, inside, inputs: [{ name: 'n', type: 'number', default: 0 }], outputs: [{ name: 'n', type: 'number' }] });
  const read = readSkill(source, { file: `${id}.md` });
  if (!read.ok || read.value.kind !== 'compound') throw new Error(`${id} did not read back as a compound skill`);
  return read.value;
}

const COMPOUNDS = new Map([
  ['flat-k', compoundOf('flat-k', K, 'inc')],
  ['five', compoundOf('five', GROUP, 'inc')],
  ['nested-k', compoundOf('nested-k', K / GROUP, 'five')],
]);

const median = (xs: number[]) => percentile(xs, 50);
const fmt = (x: number, digits = 2) => x.toFixed(digits);

const runtime = javascriptRuntime(1);
const run = async (graph: WorkflowGraph, cache?: MemoryResultCache): Promise<number> => {
  const t0 = performance.now();
  const report = await runWorkflow({ graph, resolve: (id) => (id === 'inc' ? INC : undefined), compounds: (id) => COMPOUNDS.get(id), runtimes: { javascript: runtime }, cache });
  if (!report.ok) throw new Error(`run failed: ${JSON.stringify(report.issues.length > 0 ? report.issues : report.nodes)}`);
  return performance.now() - t0;
};

const shapes: Array<[string, (start: number) => WorkflowGraph]> = [
  ['flat chain', (start) => chainOf(K, 'inc', 'n', start)],
  ['compound', (start) => ({ nodes: [node('c', 'flat-k', { n: start })], edges: [] })],
  [`nested (${K / GROUP}×${GROUP})`, (start) => ({ nodes: [node('c', 'nested-k', { n: start })], edges: [] })],
];

// Warm the worker and V8 before measuring.
for (let i = 0; i < 5; i++) for (const [, graph] of shapes) await run(graph(-1 - i));

const times = new Map(shapes.map(([name]) => [name, { uncached: [] as number[], cached: [] as number[] }]));
for (let r = 0; r < R; r++) {
  // Alternate the shapes within each round, each with fresh inputs (uncached), then again (cached).
  for (const [name, graph] of shapes) {
    const cache = new MemoryResultCache();
    const t = times.get(name)!;
    t.uncached.push(await run(graph(r * 1000), cache));
    t.cached.push(await run(graph(r * 1000), cache));
  }
}
await runtime.close();

console.log(`compound skills: a chain of ${K} JavaScript nodes, median of ${R} runs (Node ${process.version})`);
const [reference] = shapes;
const ref = times.get(reference![0])!;
for (const [name] of shapes) {
  const t = times.get(name)!;
  const line = (kind: 'uncached' | 'cached') => {
    const m = median(t[kind]);
    const per = (m - median(ref[kind])) / K;
    return `${kind} ${fmt(m)} ms (${name === reference![0] ? 'reference' : `${per >= 0 ? '+' : ''}${fmt(per, 3)} ms per inner node`})`;
  };
  console.log(`  ${name.padEnd(16)} ${line('uncached')}; ${line('cached')}`);
}
