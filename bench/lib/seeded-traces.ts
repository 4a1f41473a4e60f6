import type { RunTrace } from '../../shared/src/execution/types';

/** mulberry32: a small seeded PRNG, so every benchmark run mines the same traces. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TraceSetup {
  traces: number;
  nodes: number;
  workflows: number;
  skills: number;
  seed: number;
  /** The end of the traces' time span (they spread over the 10 days before it). */
  now: number;
}

type Trace = RunTrace & { edges: NonNullable<RunTrace['edges']> };

/**
 * Seeded traces as people make them: `workflows` workflows of `nodes` nodes (DAGs: each node fed
 * by one or two earlier ones, skills drawn from `skills` with two ports each way), each run many
 * times over ten days; a tenth of the runs fail part-way, a tenth run only a prefix ("run node"),
 * a fifth are served partly from the cache.
 */
export function seededTraces(o: TraceSetup): Trace[] {
  const rand = prng(o.seed);
  const int = (n: number) => Math.floor(rand() * n);
  const skill = (i: number) => `skill-${String(i).padStart(2, '0')}`;
  const port = () => (rand() < 0.7 ? 'a' : 'b');
  const workflows = Array.from({ length: o.workflows }, () => {
    const skills = Array.from({ length: o.nodes }, () => skill(int(o.skills)));
    const edges: Trace['edges'] = [];
    for (let j = 1; j < o.nodes; j++) {
      const fedBy = new Set([j - 1 - int(Math.min(j, 3)), ...(rand() < 0.3 ? [int(j)] : [])]);
      for (const i of fedBy) edges.push({ source: `n${i}`, sourceHandle: port(), target: `n${j}`, targetHandle: port() });
    }
    return { skills, edges };
  });
  return Array.from({ length: o.traces }, (_, t) => {
    // Some workflows are run far more than others.
    const w = Math.floor(o.workflows * rand() ** 2);
    const flow = workflows[w]!;
    const failed = rand() < 0.1 ? int(o.nodes) : -1;
    const last = rand() < 0.1 ? 1 + int(o.nodes - 1) : o.nodes - 1;
    const cached = rand() < 0.2;
    const nodes: Trace['nodes'] = flow.skills.slice(0, last + 1).map((skillId, i) => {
      const status = failed === i ? 'error' : failed >= 0 && i > failed ? 'skipped' : cached && i < o.nodes / 2 ? 'cached' : 'done';
      return { id: `n${i}`, skillId, status, durationMs: status === 'done' ? 1 + int(500) : 0, cached: status === 'cached' };
    });
    const inRun = (id: string) => Number(id.slice(1)) <= last;
    return {
      id: `run-${o.seed}-${t}`,
      workflow: `workflow-${w}`,
      startedAt: new Date(o.now - int(10 * 24 * 3600) * 1000).toISOString(),
      durationMs: 1000,
      status: failed >= 0 ? 'error' : 'done',
      nodes,
      edges: flow.edges.filter((e) => inRun(e.source) && inRun(e.target)),
    };
  });
}
