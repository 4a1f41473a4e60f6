// The miner against a brute-force enumerator on seeded random traces (pinned seeds plus one
// fresh seed, printed so a failure can be replayed), in full (`limit: Infinity`) and bounded to
// the first few, and its rules one by one: window, minimum support, maximality, exclusions, old
// traces without edges, foreign input.
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/lib/seeded-traces';
import type { RunTrace } from '../src/execution/types';
import { canonicalize, type PatternEdge } from '../src/evolution/canonical';
import { minePatterns, MineOptionsError, patternKey, type MinedPattern } from '../src/evolution/mine';

const NOW = Date.parse('2026-12-07T00:00:00Z');
const HOUR = 3_600_000;

type Node = RunTrace['nodes'][number];
const ran = (id: string, skillId: string, status: Node['status'] = 'done'): Node => ({ id, skillId, status, durationMs: 1, cached: status === 'cached' });
const link = (source: string, target: string, sourceHandle = 'out', targetHandle = 'in') => ({ source, sourceHandle, target, targetHandle });

let traceCount = 0;
function trace(nodes: Node[], edges: RunTrace['edges'], extra: Partial<RunTrace> = {}): RunTrace {
  traceCount++;
  return { id: `t${traceCount}`, workflow: 'wf', startedAt: new Date(NOW - HOUR).toISOString(), durationMs: 5, status: 'done', nodes, edges, ...extra };
}

/** A random small DAG run: few skills (unless told) and ports so patterns repeat, some nodes failed, some runs failed, some old. */
function randomTraces(seed: number, count: number, skills = ['a', 'b', 'c']): RunTrace[] {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const ports = ['x', 'x', 'y'];
  return Array.from({ length: count }, (_, t) => {
    const n = 2 + Math.floor(rand() * 5);
    const nodes = Array.from({ length: n }, (_, i) => ran(`n${i}`, pick(skills), rand() < 0.1 ? pick(['error', 'skipped', 'cached'] as const) : rand() < 0.2 ? 'cached' : 'done'));
    const edges: NonNullable<RunTrace['edges']> = [];
    // At most 9 edges, so the brute force's 2^edges subsets times n! orders stays quick.
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rand() < 0.4 && edges.length < 9) edges.push(link(`n${i}`, `n${j}`, pick(ports), pick(ports)));
    return {
      id: `r${seed}-${t}`,
      workflow: `wf${Math.floor(rand() * 3)}`,
      startedAt: new Date(NOW - Math.floor(rand() * 9 * 24) * HOUR).toISOString(),
      durationMs: 1,
      status: rand() < 0.1 ? 'error' : 'done',
      nodes,
      edges,
    };
  });
}

/** Runs again: copies of some of the traces (new ids, other times), a third without their last node, as a workflow re-run whole (or up to a node) is. */
function rerun(seed: number, traces: RunTrace[], count: number): RunTrace[] {
  const rand = prng(seed + 1);
  return Array.from({ length: count }, (_, k) => {
    const t = traces[Math.floor(rand() * traces.length)]!;
    const last = rand() < 0.3 ? t.nodes.length - 1 : t.nodes.length;
    const kept = new Set(t.nodes.slice(0, last).map((n) => n.id));
    return {
      ...t,
      id: `${t.id}-again-${k}`,
      status: 'done',
      startedAt: new Date(NOW - Math.floor(rand() * 6 * 24) * HOUR).toISOString(),
      nodes: t.nodes.filter((n) => kept.has(n.id)),
      edges: (t.edges ?? []).filter((e) => kept.has(e.source) && kept.has(e.target)),
    };
  });
}

/** Brute force: a canonical form trying every node order. */
function bruteKey(labels: readonly string[], edges: readonly PatternEdge[]): string {
  const n = labels.length;
  let best: string | undefined;
  const perm: number[] = [];
  const used = new Array<boolean>(n).fill(false);
  const go = () => {
    if (perm.length === n) {
      const pos = new Array<number>(n);
      perm.forEach((v, i) => (pos[v] = i));
      // JSON.stringify([labels, edges sorted by their JSON]), spelled out to allocate less.
      const edgeCodes = edges.map((e) => JSON.stringify([pos[e.source], pos[e.target], e.sourceHandle, e.targetHandle])).sort();
      const code = `[${JSON.stringify(perm.map((v) => labels[v]))},[${edgeCodes.join(',')}]]`;
      if (best === undefined || code < best) best = code;
      return;
    }
    for (let v = 0; v < n; v++) {
      if (used[v]) continue;
      used[v] = true;
      perm.push(v);
      go();
      perm.pop();
      used[v] = false;
    }
  };
  go();
  return best!;
}

const subsetsCache = new Map<string, Map<string, number>>();
/** Every connected edge subset of a pattern or run, by brute key (remembered: re-runs repeat graphs). */
function connectedSubsets(labelOf: (v: string) => string, edges: ReadonlyArray<{ source: string; sourceHandle: string; target: string; targetHandle: string }>): Map<string, number> {
  const input = JSON.stringify(edges.map((e) => [e.source, labelOf(e.source), e.sourceHandle, e.target, labelOf(e.target), e.targetHandle]));
  const known = subsetsCache.get(input);
  if (known) return known;
  const out = new Map<string, number>();
  subsetsCache.set(input, out);
  for (let mask = 1; mask < 1 << edges.length; mask++) {
    const chosen = edges.filter((_, i) => mask & (1 << i));
    const nodes = [...new Set(chosen.flatMap((e) => [e.source, e.target]))];
    const reached = new Set([nodes[0]]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of chosen) {
        if (reached.has(e.source) === reached.has(e.target)) continue;
        reached.add(e.source);
        reached.add(e.target);
        grew = true;
      }
    }
    if (reached.size !== nodes.length) continue;
    const index = new Map(nodes.map((v, i) => [v, i]));
    const key = bruteKey(
      nodes.map(labelOf),
      chosen.map((e) => ({ source: index.get(e.source)!, sourceHandle: e.sourceHandle, target: index.get(e.target)!, targetHandle: e.targetHandle })),
    );
    out.set(key, chosen.length);
  }
  return out;
}

/** A successful run in the window, by brute force: every connected sub-graph it holds, and its whole graph when that is connected. */
interface BruteRun {
  subs: Map<string, number>;
  whole?: string;
}

function bruteRuns(traces: RunTrace[], days = 7): BruteRun[] {
  const seen = new Set<string>();
  const runs: BruteRun[] = [];
  for (const t of traces) {
    const time = Date.parse(t.startedAt);
    if (t.status !== 'done' || time < NOW - days * 24 * HOUR || time > NOW || seen.has(t.id)) continue;
    seen.add(t.id);
    const ok = new Map(t.nodes.filter((n) => n.status === 'done' || n.status === 'cached').map((n) => [n.id, n.skillId]));
    const edges = (t.edges ?? []).filter((e) => ok.has(e.source) && ok.has(e.target));
    const subs = connectedSubsets((v) => ok.get(v)!, edges);
    runs.push({ subs, whole: [...subs].find(([, size]) => size === edges.length)?.[0] });
  }
  return runs;
}

const nodesOf = (key: string) => (JSON.parse(key) as [string[]])[0].length;
const subsCache = new Map<string, Map<string, number>>();
/** Every connected sub-graph of a pattern, by brute key. */
function subsOf(key: string): Map<string, number> {
  let subs = subsCache.get(key);
  if (!subs) {
    const [labels, edges] = JSON.parse(key) as [string[], Array<[number, number, string, string]>];
    subs = connectedSubsets((v) => labels[Number(v)]!, edges.map(([s, t, a, b]) => ({ source: String(s), sourceHandle: a, target: String(t), targetHandle: b })));
    subsCache.set(key, subs);
  }
  return subs;
}

/**
 * Brute-force mining under the miner's rules: the candidates are the connected sub-graphs of
 * 2 to maxNodes nodes and, whatever its size, each run's whole graph when it is connected (a
 * workflow re-run whole is offered whole, not as its many pieces of maxNodes nodes); a
 * candidate's support is the number of runs holding it; the frequent candidates no larger
 * candidate holds with the same support are kept.
 */
function bruteMine(runs: BruteRun[], minSupport: number, maxNodes: number): Map<string, number> {
  const support = new Map<string, number>();
  const candidates = new Set<string>();
  for (const run of runs) {
    for (const [key] of run.subs) {
      support.set(key, (support.get(key) ?? 0) + 1);
      if (nodesOf(key) <= maxNodes) candidates.add(key);
    }
    if (run.whole) candidates.add(run.whole);
  }
  const frequent = [...candidates].filter((key) => support.get(key)! >= minSupport);
  const covered = new Set<string>();
  for (const larger of frequent) {
    for (const [sub] of subsOf(larger)) if (sub !== larger && support.get(sub) === support.get(larger)) covered.add(sub);
  }
  return new Map(frequent.filter((key) => !covered.has(key)).map((key) => [key, support.get(key)!]));
}

const asBrute = (patterns: MinedPattern[]) => new Map(patterns.map((p) => [bruteKey(p.labels, p.edges), p.support]));

describe('mining against brute force', () => {
  const fresh = Math.floor(Math.random() * 2 ** 31);
  console.info(`evolution-mine: fresh seed ${fresh} (replay by pinning it)`);
  for (const seed of [1, 2, 3, 42, 1234, 99_991, fresh]) {
    // Brute force is slow by nature: it gets more than the default time under a loaded machine.
    it(`seed ${seed}: same patterns, same supports`, { timeout: 180_000 }, () => {
      const fresh = randomTraces(seed, 60);
      const again = [...fresh.slice(0, 30), ...rerun(seed, fresh.slice(0, 10), 30)];
      // Many skills: edge labels mostly of one workflow and one edge, as in real workflows (the
      // miner then skips what a whole run surely covers, and brute force checks that it may).
      const many = randomTraces(seed, 20, [...'abcdefghijkl']);
      const varied = [...many, ...rerun(seed, many.slice(0, 8), 40)];
      const names = new Map([
        [again, ' (re-runs)'],
        [varied, ' (many skills, re-runs)'],
      ]);
      for (const [traces, runs] of [fresh, again, varied].map((t) => [t, bruteRuns(t)] as const))
      for (const [minSupport, maxNodes] of [
        [3, 8],
        [2, 3],
        [5, 4],
      ] as const) {
        const mined = minePatterns(traces, { now: NOW, minSupport, maxNodes, limit: Infinity });
        const brute = bruteMine(runs, minSupport, maxNodes);
        expect(asBrute(mined.patterns), `seed ${seed}${names.get(traces) ?? ''}, minSupport ${minSupport}, maxNodes ${maxNodes}`).toEqual(brute);
        expect(brute.size).toBeGreaterThan(0);
        expect(mined.patterns.every((p) => p.labels.length >= 2)).toBe(true);
        // Bounded: the first `limit` by support, then nodes, then edges, as brute force ranks
        // them (ties at the cut are broken by key, which brute force spells differently, so the
        // cut is compared by rank and the patterns by their support).
        const limit = 4;
        const top = minePatterns(traces, { now: NOW, minSupport, maxNodes, limit }).patterns;
        const rank = (support: number, nodes: number, edges: number) => [support, nodes, edges].join('/');
        const bruteRanks = [...brute]
          .map(([key, support]) => {
            const [labels, edges] = JSON.parse(key) as [string[], unknown[]];
            return { support, nodes: labels.length, edges: edges.length };
          })
          .sort((a, b) => b.support - a.support || b.nodes - a.nodes || b.edges - a.edges)
          .slice(0, limit)
          .map((r) => rank(r.support, r.nodes, r.edges));
        expect(top.map((p) => rank(p.support, p.labels.length, p.edges.length))).toEqual(bruteRanks);
        for (const p of top) expect(brute.get(bruteKey(p.labels, p.edges))).toBe(p.support);
        expect(top).toEqual(mined.patterns.slice(0, limit));
      }
    });
  }
});

describe('canonical form', () => {
  it('is the same for every numbering of a graph, and differs when a port differs', () => {
    const labels = ['a', 'b', 'a', 'c'];
    const edges: PatternEdge[] = [
      { source: 0, sourceHandle: 'x', target: 1, targetHandle: 'y' },
      { source: 2, sourceHandle: 'x', target: 1, targetHandle: 'y' },
      { source: 1, sourceHandle: 'z', target: 3, targetHandle: 'w' },
    ];
    const key = canonicalize(labels, edges).key;
    const swap = [2, 3, 0, 1]; // old index → new index
    const relabelled = [labels[2]!, labels[3]!, labels[0]!, labels[1]!];
    const moved = edges.map((e) => ({ ...e, source: swap[e.source]!, target: swap[e.target]! }));
    expect(canonicalize(relabelled, moved).key).toBe(key);
    expect(canonicalize(labels, [...edges.slice(0, 2), { ...edges[2]!, targetHandle: 'v' }]).key).not.toBe(key);
  });
});

describe('mining rules', () => {
  const chain = (extra: Partial<RunTrace> = {}) => trace([ran('p', 'prep'), ran('f', 'fit', 'cached'), ran('r', 'report')], [link('p', 'f'), link('f', 'r')], extra);

  it('counts distinct successful runs in the window; the window and minSupport are parameters', () => {
    const traces = [chain(), chain(), chain({ startedAt: new Date(NOW - 6 * 24 * HOUR).toISOString() }), chain({ startedAt: new Date(NOW - 8 * 24 * HOUR).toISOString() })];
    const [top] = minePatterns(traces, { now: NOW }).patterns;
    expect(top?.labels.length).toBe(3);
    expect(top?.support).toBe(3);
    expect(minePatterns(traces, { now: NOW, days: 10 }).patterns[0]?.support).toBe(4);
    expect(minePatterns(traces, { now: NOW, days: 2 }).patterns).toEqual([]);
    expect(minePatterns(traces, { now: NOW, days: 2, minSupport: 2 }).patterns[0]?.support).toBe(2);
    // The same trace stored twice is one run; failed runs and runs after `now` do not count.
    const copies = [traces[0]!, traces[0]!, traces[1]!, chain({ status: 'error' }), chain({ startedAt: new Date(NOW + HOUR).toISOString() })];
    expect(minePatterns(copies, { now: NOW, minSupport: 2 }).patterns[0]?.support).toBe(2);
    expect(minePatterns(copies, { now: NOW, minSupport: 3 }).patterns).toEqual([]);
  });

  it('offers only maximal patterns, ranked by support then size, with evidence', () => {
    const pair = (workflow: string) => trace([ran('p', 'prep'), ran('f', 'fit')], [link('p', 'f')], { workflow });
    const traces = [chain({ workflow: 'one' }), chain({ workflow: 'one' }), chain({ workflow: 'two', startedAt: new Date(NOW - 2 * HOUR).toISOString() }), pair('three'), pair('three')];
    const { patterns, runs } = minePatterns(traces, { now: NOW });
    expect(runs).toBe(5);
    // prep → fit is in 5 runs, the chain in 3: both offered (different supports), the chain's other edge is not (same support as the chain).
    expect(patterns.map((p) => [p.labels.join(','), p.support])).toEqual([
      ['fit,prep', 5],
      ['fit,prep,report', 3],
    ]);
    expect(patterns[1]?.workflows).toEqual(['one', 'two']);
    expect(patterns[1]?.lastRun).toBe(new Date(NOW - HOUR).toISOString());
  });

  it('does not offer patterns already in the library as compound skills, or dismissed ones', () => {
    const traces = [chain(), chain(), chain()];
    const [only] = minePatterns(traces, { now: NOW }).patterns;
    expect(only).toBeDefined();
    // The library's compound: the same inside with other node ids, in another order.
    const inside = patternKey(
      [
        { id: 'c', skillId: 'report' },
        { id: 'a', skillId: 'prep' },
        { id: 'b', skillId: 'fit' },
      ],
      [link('b', 'c'), link('a', 'b')],
    );
    expect(inside).toBe(only!.key);
    expect(minePatterns(traces, { now: NOW, existing: [inside] }).patterns).toEqual([]);
    expect(minePatterns(traces, { now: NOW, dismissed: [only!.key] }).patterns).toEqual([]);
    expect(minePatterns(traces, { now: NOW, dismissed: ['something else'] }).patterns).toHaveLength(1);
  });

  it('reads old traces without edges as edgeless, and skips foreign or bad values with a count', () => {
    const { edges: _, ...old } = chain();
    const traces: unknown[] = [
      old,
      chain(),
      chain(),
      chain(),
      null,
      'a string',
      { id: 'x', status: 'done', startedAt: 'yesterday', nodes: [] },
      { id: 'y', status: 'done', startedAt: new Date(NOW).toISOString(), nodes: [{ id: 'a' }] },
      { id: 'z', status: 'finished', startedAt: new Date(NOW).toISOString(), nodes: [] },
      { ...chain(), edges: 'p→f' },
      { ...chain(), nodes: [ran('p', 'prep'), ran('p', 'fit')] },
    ];
    const result = minePatterns(traces, { now: NOW });
    expect(result.runs).toBe(4);
    expect(result.skipped).toBe(7);
    expect(result.problems[0]).toBe('not a JSON object');
    expect(result.patterns.map((p) => p.support)).toEqual([3]);
  });

  it('finds maximal patterns in runs of more edges than fit a bit mask (over 53)', () => {
    // Each run has a tail of its own, so no run's whole graph is in three runs.
    const hub = (tail: string) =>
      trace(
        [ran('h', 'hub'), ...Array.from({ length: 60 }, (_, i) => ran(`c${i}`, 'leaf')), ran('t', tail)],
        [...Array.from({ length: 60 }, (_, i) => link('h', `c${i}`)), link('h', 't')],
      );
    const { patterns } = minePatterns([hub('x'), hub('y'), hub('z')], { now: NOW, maxNodes: 3 });
    // hub → leaf is inside hub → two leaves, in the same runs: only the larger is offered.
    expect(patterns.map((p) => [p.labels.join(','), p.edges.length, p.support])).toEqual([['hub,leaf,leaf', 2, 3]]);
  });

  it('offers a workflow re-run whole as its whole graph, whatever its size, instead of its pieces', () => {
    const hub = () => trace([ran('h', 'hub'), ...Array.from({ length: 60 }, (_, i) => ran(`c${i}`, 'leaf'))], Array.from({ length: 60 }, (_, i) => link('h', `c${i}`)));
    const wide = minePatterns([hub(), hub(), hub()], { now: NOW, maxNodes: 3 }).patterns;
    expect(wide.map((p) => [p.labels.length, p.edges.length, p.support])).toEqual([[61, 60, 3]]);
    // A chain of ten run whole three times, and its first half run twice more on its own:
    // the whole chain (support 3) and the half (support 5), nothing of maxNodes in between.
    const chain = (n: number) =>
      trace(
        Array.from({ length: n }, (_, i) => ran(`s${i}`, `step-${i}`)),
        Array.from({ length: n - 1 }, (_, i) => link(`s${i}`, `s${i + 1}`)),
      );
    const runs = minePatterns([chain(10), chain(10), chain(10), chain(5), chain(5)], { now: NOW, maxNodes: 4 }).patterns;
    expect(runs.map((p) => [p.labels.length, p.support])).toEqual([
      [5, 5],
      [10, 3],
    ]);
  });

  it('refuses options it cannot work with, saying which', () => {
    expect(() => minePatterns([], { now: 'soon' })).toThrow(MineOptionsError);
    expect(() => minePatterns([], { now: NOW, minSupport: 0 })).toThrow(/minimum support must be a whole number ≥ 1, got 0/);
    expect(() => minePatterns([], { now: NOW, days: -1 })).toThrow(/positive number of days/);
    expect(() => minePatterns([], { now: NOW, maxNodes: 40 })).toThrow(/2 to 16 nodes, got 40/);
    expect(() => minePatterns([], { now: NOW, limit: 0 })).toThrow(/number of patterns to offer must be a whole number ≥ 1 \(or Infinity for all\), got 0/);
  });

  it('is deterministic: shuffled input gives the same answer', () => {
    const traces = randomTraces(7, 60);
    const again = [...traces].reverse();
    expect(minePatterns(again, { now: NOW, minSupport: 2 })).toEqual(minePatterns(traces, { now: NOW, minSupport: 2 }));
  });
});
