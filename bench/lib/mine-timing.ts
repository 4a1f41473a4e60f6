import { canonicalize } from '../../shared/src/evolution/canonical';
import { minePatterns } from '../../shared/src/evolution/mine';
import { readTrace } from '../../shared/src/evolution/runs';
import { seededTraces, type TraceSetup } from './seeded-traces';

/** One mining measurement: the same code runs in Node and, bundled, in Chromium. */
export interface MineTiming {
  /** Successful runs in the window. */
  runs: number;
  /** Reference: parse every line, read it as the miner does, canonicalise each run's whole graph once. */
  readMs: number;
  /** Mining with the default bound (the first `limit`), parsing included. */
  boundedMs: number;
  bounded: number;
  /** Mining every maximal pattern (`limit: Infinity`), when asked. */
  allMs?: number;
  all?: number;
  /** The first few offered, as "skill+skill ×support". */
  top: string[];
}

export interface MineTimingOptions {
  setup: TraceSetup;
  minSupport: number;
  maxNodes: number;
  limit: number;
  /** Also mine without the bound (slow on large inputs: every maximal pattern). */
  all: boolean;
}

/** Times mining seeded traces (generated first, as JSON lines, outside the timings). */
export function timeMining(o: MineTimingOptions): MineTiming {
  const lines = seededTraces(o.setup).map((t) => JSON.stringify(t));
  let t0 = performance.now();
  for (const line of lines) {
    const r = readTrace(JSON.parse(line));
    if (!r.ok || !r.run) continue;
    const ids = [...r.run.skills.keys()];
    const index = new Map(ids.map((id, i) => [id, i]));
    canonicalize(
      ids.map((id) => r.run!.skills.get(id)!),
      r.run.edges.map((e) => ({ source: index.get(e.source)!, sourceHandle: e.sourceHandle, target: index.get(e.target)!, targetHandle: e.targetHandle })),
    );
  }
  const readMs = performance.now() - t0;
  const mine = (limit: number) => minePatterns(lines.map((l) => JSON.parse(l) as unknown), { now: o.setup.now, minSupport: o.minSupport, maxNodes: o.maxNodes, limit });
  t0 = performance.now();
  const bounded = mine(o.limit);
  const boundedMs = performance.now() - t0;
  const timing: MineTiming = { runs: bounded.runs, readMs, boundedMs, bounded: bounded.patterns.length, top: bounded.patterns.slice(0, 3).map((p) => `${p.labels.join('+')} ×${p.support}`) };
  if (o.all) {
    t0 = performance.now();
    timing.all = mine(Infinity).patterns.length;
    timing.allMs = performance.now() - t0;
  }
  return timing;
}
