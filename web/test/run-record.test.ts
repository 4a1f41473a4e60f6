// The record of a canvas run (web/src/run/run-record.ts) against the real executor and the
// Node JavaScript runtime: each node's cache key is the one the executor kept its result under
// (so a run's outputs can be read back, and kept while the run is), and nothing else.
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryResultCache } from '../../sync-server/src/headless/cache';
import { javascriptRuntime } from '../../sync-server/src/headless/javascript-runtime';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import { runWorkflow } from '../../shared/src/execution/executor';
import type { ResolvedSkill, ResultCache } from '../../shared/src/execution/types';
import { parseSkill } from '../../shared/src/skill/parse';
import { runRecordOf } from '../../shared/src/execution/run-record';
import { literalInputs, withInputs } from '../src/run/run-record';

function jsSkill(id: string, code: string, deterministic = true): ResolvedSkill {
  const source = [
    '---',
    `name: ${id}`,
    `skill_id: ${id}`,
    'type: javascript',
    `deterministic: ${deterministic}`,
    'inputs: [{ name: n, type: number, default: 1 }]',
    'outputs: [{ name: result, type: number }]',
    '---',
    '',
    '## Code',
    '',
    '```javascript',
    code,
    '```',
    '',
  ].join('\n');
  const parsed = parseSkill(source, `${id}.md`);
  if (!parsed.ok) throw new Error(`bad fixture ${id}`);
  return { skill: parsed.value, source };
}

const SKILLS = new Map([
  ['double', jsSkill('double', 'function execute({ n }) { return { result: n * 2 }; }')],
  ['noisy', jsSkill('noisy', 'function execute({ n }) { return { result: n + Math.random() }; }', false)],
  ['fail', jsSkill('fail', 'function execute() { throw new Error("nope"); }')],
]);

const node = (id: string, skillId: string, inputs = {}) => ({ id, skillId, label: id === 'a' ? 'First' : '', position: { x: 0, y: 0 }, inputs });
// a (n = 3) → b, a → c (not deterministic), d fails, e is downstream of d (skipped).
const GRAPH: WorkflowGraph = {
  nodes: [node('a', 'double', { n: 3 }), node('b', 'double'), node('c', 'noisy'), node('d', 'fail'), node('e', 'double')],
  edges: [
    { id: 'ab', source: 'a', sourceHandle: 'result', target: 'b', targetHandle: 'n' },
    { id: 'ac', source: 'a', sourceHandle: 'result', target: 'c', targetHandle: 'n' },
    { id: 'de', source: 'd', sourceHandle: 'result', target: 'e', targetHandle: 'n' },
  ],
};

const js = javascriptRuntime(2);
afterAll(() => js.close());

/** A real memory cache that notes the keys results were stored under. */
function watchedCache(): { cache: ResultCache; stored: Set<string> } {
  const inner = new MemoryResultCache();
  const stored = new Set<string>();
  return { stored, cache: { get: (k) => inner.get(k), set: (k, r) => (stored.add(k), inner.set(k, r)) } };
}

async function recordOf(graph: WorkflowGraph, cache: ResultCache) {
  const report = await runWorkflow({ graph, resolve: (id) => SKILLS.get(id), runtimes: { javascript: js }, cache });
  return runRecordOf(report, graph, {
    id: report.trace.id,
    workflowRoom: 'user/alice/workflow/w',
    startedAt: Date.parse('2026-01-01T00:00:00Z'),
    finishedAt: Date.parse('2026-01-01T00:00:02Z'),
    by: { sub: 'alice', name: 'Alice' },
    trigger: 'run',
    resolve: (id) => SKILLS.get(id),
  });
}

describe('runRecordOf', () => {
  it("names each deterministic result by the executor's cache key, and only those", async () => {
    const { cache, stored } = watchedCache();
    const record = await recordOf(GRAPH, cache);
    expect(record).toMatchObject({ status: 'error', duration_ms: 2000, started_at: '2026-01-01T00:00:00.000Z', by: { name: 'Alice' } });
    expect(Object.fromEntries(Object.entries(record.nodes).map(([id, n]) => [id, n.status]))).toEqual({ a: 'done', b: 'done', c: 'done', d: 'error', e: 'skipped' });
    const keys = Object.values(record.nodes).flatMap((n) => (n.cache_key ? [n.cache_key] : []));
    expect(new Set(keys)).toEqual(stored);
    expect(keys).toHaveLength(2);
    expect(record.nodes.c?.cache_key).toBeUndefined();
    expect(record.nodes.d).toMatchObject({ error: expect.stringContaining('nope') as string, inputs: {} });
    expect(record.nodes.a).toMatchObject({ label: 'First', inputs: { n: 3 } });
    expect(record.nodes.b?.label).toBe('double');
  });

  it('gives the same keys when the run comes from the cache, and others for other inputs', async () => {
    const { cache } = watchedCache();
    const first = await recordOf(GRAPH, cache);
    const again = await recordOf(GRAPH, cache);
    expect(again.nodes.a).toMatchObject({ status: 'cached', cache_key: first.nodes.a?.cache_key });
    expect(again.nodes.b).toMatchObject({ status: 'cached', cache_key: first.nodes.b?.cache_key });
    const other = await recordOf(withInputs(GRAPH, { a: { n: 4 } }), cache);
    expect(other.nodes.a?.cache_key).not.toBe(first.nodes.a?.cache_key);
    expect(other.nodes.a?.inputs).toEqual({ n: 4 });
  });

  it('puts inputs in place only on the nodes named', () => {
    const graph = withInputs(GRAPH, { b: { n: 9 }, gone: { n: 1 } });
    expect(literalInputs(graph)).toEqual({ a: { n: 3 }, b: { n: 9 }, c: {}, d: {}, e: {} });
    expect(literalInputs(GRAPH).b).toEqual({});
  });
});
