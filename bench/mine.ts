/**
 * Mining benchmark, in Node: the evolution engine's miner over seeded traces (10,000 runs of 20
 * nodes by default), against the same run merely reading the traces (parsing each JSON line and
 * reading it as the miner does) and canonicalising each run's whole graph once.
 *
 *   npm run bench:mine [-- --traces 10000 --nodes 20 --workflows 200 --skills 40 --seed 1]
 *
 * (The Chromium half, the same mining in a page, is still to come.)
 */
import { parseArgs } from 'node:util';
import { canonicalize } from '../shared/src/evolution/canonical';
import { minePatterns } from '../shared/src/evolution/mine';
import { readTrace } from '../shared/src/evolution/runs';
import { seededTraces } from './lib/seeded-traces';

const { values: args } = parseArgs({
  options: {
    traces: { type: 'string', default: '10000' },
    nodes: { type: 'string', default: '20' },
    workflows: { type: 'string', default: '200' },
    skills: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    'min-support': { type: 'string', default: '3' },
    'max-nodes': { type: 'string', default: '8' },
  },
});
const NOW = Date.parse('2026-12-07T00:00:00Z');
const setup = { traces: Number(args.traces), nodes: Number(args.nodes), workflows: Number(args.workflows), skills: Number(args.skills), seed: Number(args.seed), now: NOW };
const lines = seededTraces(setup).map((t) => JSON.stringify(t));
const ms = (t0: number) => (performance.now() - t0).toFixed(0);

// Reference: read every line and canonicalise each successful run's whole graph once.
let t0 = performance.now();
let read = 0;
for (const line of lines) {
  const r = readTrace(JSON.parse(line));
  if (!r.ok || !r.run) continue;
  const ids = [...r.run.skills.keys()];
  const index = new Map(ids.map((id, i) => [id, i]));
  canonicalize(
    ids.map((id) => r.run!.skills.get(id)!),
    r.run.edges.map((e) => ({ source: index.get(e.source)!, sourceHandle: e.sourceHandle, target: index.get(e.target)!, targetHandle: e.targetHandle })),
  );
  read++;
}
const readMs = ms(t0);

t0 = performance.now();
const result = minePatterns(
  lines.map((l) => JSON.parse(l) as unknown),
  { now: NOW, minSupport: Number(args['min-support']), maxNodes: Number(args['max-nodes']) },
);
const mineMs = ms(t0);
const sizes = new Map<number, number>();
for (const p of result.patterns) sizes.set(p.labels.length, (sizes.get(p.labels.length) ?? 0) + 1);

console.log(`traces: ${setup.traces} of ${setup.nodes} nodes (${setup.workflows} workflows, ${setup.skills} skills, seed ${setup.seed}); ${result.runs} successful runs in the 7-day window`);
console.log(`read + canonicalise each run's graph (reference): ${readMs} ms (${read} runs)`);
console.log(`mine (parse included): ${mineMs} ms → ${result.patterns.length} patterns (by nodes: ${[...sizes].sort(([a], [b]) => a - b).map(([n, c]) => `${n}: ${c}`).join(', ')})`);
console.log(`top: ${result.patterns.slice(0, 3).map((p) => `${p.labels.join('+')} ×${p.support}`).join('; ')}`);
