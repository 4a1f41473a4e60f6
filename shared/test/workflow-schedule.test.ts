/*
 * Ready-set scheduling (DESIGN §5): a node may start once every node it depends on has finished;
 * independent branches are ready together. Includes a seeded random-DAG property test; the seed is
 * printed in every assertion message so a failure can be replayed.
 */
import * as prng from 'lib0/prng';
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../src/documents/workflow';
import { dependenciesOf, downstreamOf, readyNodes, scheduleWaves, upstreamOf } from '../src/workflow/schedule';

/** A graph from node ids and `source>target` edges; ports do not matter to scheduling. */
function graph(ids: string[], pairs: string[] = []): WorkflowGraph {
  return {
    nodes: ids.map((id) => ({ id, skillId: 's', label: id, position: { x: 0, y: 0 }, inputs: {} })),
    edges: pairs.map((p, i) => {
      const [source = '', target = ''] = p.split('>');
      return { id: `e${i}`, source, sourceHandle: 'out', target, targetHandle: `in${i}` };
    }),
  };
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

//     a
//    / \
//   b   c
//    \ /
//     d
const diamond = () => graph(['a', 'b', 'c', 'd'], ['a>b', 'a>c', 'b>d', 'c>d']);
// a1 → a2 and b1 → b2, not connected.
const branches = () => graph(['a1', 'a2', 'b1', 'b2'], ['a1>a2', 'b1>b2']);
const chain = () => graph(['n1', 'n2', 'n3', 'n4'], ['n1>n2', 'n2>n3', 'n3>n4']);

describe('dependenciesOf', () => {
  it('maps each node to the sources of its incoming edges, every node present', () => {
    const deps = dependenciesOf(diamond());
    expect(Object.fromEntries([...deps].map(([id, d]) => [id, sorted(d)]))).toEqual({ a: [], b: ['a'], c: ['a'], d: ['b', 'c'] });
  });

  it('counts a source once when two of its outputs feed the same node', () => {
    expect(dependenciesOf(graph(['a', 'b'], ['a>b', 'a>b'])).get('b')).toEqual(new Set(['a']));
  });

  it('ignores edges into nodes that are not in the graph', () => {
    expect([...dependenciesOf(graph(['a'], ['a>ghost'])).keys()]).toEqual(['a']);
  });
});

describe('readyNodes', () => {
  it('starts a diamond at its root, then both middles at once, then the join', () => {
    const g = diamond();
    expect(readyNodes(g, new Set())).toEqual(['a']);
    expect(sorted(readyNodes(g, new Set(['a'])))).toEqual(['b', 'c']);
    expect(readyNodes(g, new Set(['a', 'b']))).toEqual(['c']);
    expect(readyNodes(g, new Set(['a', 'b', 'c']))).toEqual(['d']);
    expect(readyNodes(g, new Set(['a', 'b', 'c', 'd']))).toEqual([]);
  });

  it('does not start the join while one of its dependencies is still running', () => {
    const g = diamond();
    expect(readyNodes(g, new Set(['a', 'b']), new Set(['c']))).toEqual([]);
  });

  it('makes both independent branches ready at once', () => {
    const g = branches();
    expect(sorted(readyNodes(g, new Set()))).toEqual(['a1', 'b1']);
    expect(sorted(readyNodes(g, new Set(['a1'])))).toEqual(['a2', 'b1']);
  });

  it('excludes running nodes, so a branch is not started twice', () => {
    const g = branches();
    expect(readyNodes(g, new Set(), new Set(['a1']))).toEqual(['b1']);
    expect(readyNodes(g, new Set(['a1']), new Set(['b1', 'a2']))).toEqual([]);
  });

  it('walks a chain one node at a time', () => {
    const g = chain();
    const finished = new Set<string>();
    const order: string[][] = [];
    for (let ready = readyNodes(g, finished); ready.length > 0; ready = readyNodes(g, finished)) {
      order.push(ready);
      ready.forEach((id) => finished.add(id));
    }
    expect(order).toEqual([['n1'], ['n2'], ['n3'], ['n4']]);
  });

  it('never makes a node ready whose dependency is missing from the graph', () => {
    expect(readyNodes(graph(['b'], ['ghost>b']), new Set())).toEqual([]);
  });
});

describe('scheduleWaves', () => {
  it('groups a diamond in three waves', () => {
    expect(scheduleWaves(diamond()).map(sorted)).toEqual([['a'], ['b', 'c'], ['d']]);
  });

  it('runs two independent branches side by side', () => {
    expect(scheduleWaves(branches()).map(sorted)).toEqual([
      ['a1', 'b1'],
      ['a2', 'b2'],
    ]);
  });

  it('puts a chain in one wave per node', () => {
    expect(scheduleWaves(chain())).toEqual([['n1'], ['n2'], ['n3'], ['n4']]);
  });

  it('puts every node of a graph without edges in one wave', () => {
    expect(sorted(scheduleWaves(graph(['x', 'y', 'z']))[0] ?? [])).toEqual(['x', 'y', 'z']);
    expect(scheduleWaves(graph([]))).toEqual([]);
  });

  it('stops before a cycle instead of looping forever', () => {
    const waves = scheduleWaves(graph(['a', 'b', 'c', 'd'], ['a>b', 'b>c', 'c>b', 'c>d']));
    expect(waves).toEqual([['a']]);
  });
});

describe('upstreamOf and downstreamOf', () => {
  it('give the transitive dependencies and dependants of a diamond, without the node itself', () => {
    const g = diamond();
    expect(sorted(upstreamOf(g, 'd'))).toEqual(['a', 'b', 'c']);
    expect(sorted(upstreamOf(g, 'b'))).toEqual(['a']);
    expect(sorted(upstreamOf(g, 'a'))).toEqual([]);
    expect(sorted(downstreamOf(g, 'a'))).toEqual(['b', 'c', 'd']);
    expect(sorted(downstreamOf(g, 'c'))).toEqual(['d']);
    expect(sorted(downstreamOf(g, 'd'))).toEqual([]);
  });

  it('stay inside their own branch', () => {
    const g = branches();
    expect(sorted(upstreamOf(g, 'a2'))).toEqual(['a1']);
    expect(sorted(downstreamOf(g, 'b1'))).toEqual(['b2']);
  });

  it('follow a chain to its ends', () => {
    const g = chain();
    expect(sorted(upstreamOf(g, 'n4'))).toEqual(['n1', 'n2', 'n3']);
    expect(sorted(downstreamOf(g, 'n2'))).toEqual(['n3', 'n4']);
    expect(sorted(upstreamOf(g, 'n2'))).toEqual(['n1']);
  });
});

describe('random DAGs (seeded)', () => {
  const SEEDS = Array.from({ length: 20 }, (_, i) => 1000 + i * 7919);

  /** A random DAG: edges only go from a lower to a higher index in a shuffled order. */
  function randomDag(seed: number): WorkflowGraph {
    const gen = prng.create(seed);
    const n = prng.int32(gen, 1, 30);
    const ids = Array.from({ length: n }, (_, i) => `n${i}`);
    // Shuffle so node order in the graph says nothing about the topological order.
    for (let i = ids.length - 1; i > 0; i--) {
      const j = prng.int32(gen, 0, i);
      [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
    }
    const topo = [...ids];
    const pairs: string[] = [];
    const density = prng.real53(gen) * 0.4;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (prng.real53(gen) < density) pairs.push(`${topo[i]}>${topo[j]}`);
    const listed = [...ids];
    for (let i = listed.length - 1; i > 0; i--) {
      const j = prng.int32(gen, 0, i);
      [listed[i], listed[j]] = [listed[j] as string, listed[i] as string];
    }
    return graph(listed, pairs);
  }

  it.each(SEEDS)('seed %i: every wave depends only on earlier waves and every node appears once', (seed) => {
    const g = randomDag(seed);
    const waves = scheduleWaves(g);
    const all = waves.flat();
    expect(sorted(all), `seed ${seed}`).toEqual(sorted(g.nodes.map((n) => n.id)));
    expect(new Set(all).size, `seed ${seed}: a node appears twice`).toBe(all.length);

    const waveOf = new Map<string, number>();
    waves.forEach((wave, i) => wave.forEach((id) => waveOf.set(id, i)));
    for (const e of g.edges) {
      expect(waveOf.get(e.source)!, `seed ${seed}: edge ${e.source}>${e.target}`).toBeLessThan(waveOf.get(e.target)!);
    }
    // Each node is in the earliest wave it can be: some dependency is in the wave just before.
    const deps = dependenciesOf(g);
    for (const [id, d] of deps) {
      const w = waveOf.get(id)!;
      const latest = Math.max(-1, ...[...d].map((x) => waveOf.get(x)!));
      expect(w, `seed ${seed}: node ${id}`).toBe(latest + 1);
    }
  });

  it.each(SEEDS)('seed %i: upstreamOf and downstreamOf mirror each other and match the waves', (seed) => {
    const g = randomDag(seed);
    const waveOf = new Map<string, number>();
    scheduleWaves(g).forEach((wave, i) => wave.forEach((id) => waveOf.set(id, i)));
    for (const { id } of g.nodes) {
      for (const up of upstreamOf(g, id)) {
        expect(downstreamOf(g, up).has(id), `seed ${seed}: ${up} is upstream of ${id}`).toBe(true);
        expect(waveOf.get(up)!, `seed ${seed}: ${up} before ${id}`).toBeLessThan(waveOf.get(id)!);
      }
      expect(upstreamOf(g, id).has(id), `seed ${seed}: ${id} upstream of itself`).toBe(false);
    }
  });

  it.each(SEEDS)('seed %i: running nodes are never ready and ready nodes have finished dependencies', (seed) => {
    const g = randomDag(seed);
    const gen = prng.create(seed + 1);
    const finished = new Set<string>();
    const running = new Set<string>();
    const deps = dependenciesOf(g);
    const order: string[] = [];
    // Simulate an executor: start some ready nodes, finish a random running one, repeat.
    for (let steps = 0; finished.size < g.nodes.length; steps++) {
      expect(steps, `seed ${seed}: executor stalled`).toBeLessThan(10 * g.nodes.length + 10);
      const ready = readyNodes(g, finished, running);
      for (const id of ready) {
        expect(running.has(id) || finished.has(id), `seed ${seed}: ${id} ready twice`).toBe(false);
        expect([...(deps.get(id) ?? [])].every((d) => finished.has(d)), `seed ${seed}: ${id} ready too soon`).toBe(true);
        if (prng.bool(gen) || running.size === 0) running.add(id);
      }
      const done = [...running][prng.int32(gen, 0, Math.max(0, running.size - 1))];
      if (done !== undefined) {
        running.delete(done);
        finished.add(done);
        order.push(done);
      }
    }
    expect(sorted(order), `seed ${seed}`).toEqual(sorted(g.nodes.map((n) => n.id)));
  });
});
