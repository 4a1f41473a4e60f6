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
  /** Runs of the reference and of the bounded mining; their medians are reported. */
  repeat: number;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Times mining seeded traces (generated first, as JSON lines, outside the timings): the reference
 * and the bounded mining are the medians of `repeat` runs, the unbounded one runs once.
 */
export function timeMining(o: MineTimingOptions): MineTiming {
  const lines = seededTraces(o.setup).map((t) => JSON.stringify(t));
  const readOnce = () => {
    const t0 = performance.now();
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
    return performance.now() - t0;
  };
  const mine = (limit: number) => {
    const t0 = performance.now();
    const result = minePatterns(lines.map((l) => JSON.parse(l) as unknown), { now: o.setup.now, minSupport: o.minSupport, maxNodes: o.maxNodes, limit });
    return { ms: performance.now() - t0, result };
  };
  const reads: number[] = [];
  const bounded: Array<ReturnType<typeof mine>> = [];
  for (let i = 0; i < o.repeat; i++) {
    reads.push(readOnce());
    bounded.push(mine(o.limit));
  }
  const { result } = bounded[0]!;
  const timing: MineTiming = {
    runs: result.runs,
    readMs: median(reads),
    boundedMs: median(bounded.map((b) => b.ms)),
    bounded: result.patterns.length,
    top: result.patterns.slice(0, 3).map((p) => `${p.labels.join('+')} ×${p.support}`),
  };
  if (o.all) {
    const all = mine(Infinity);
    timing.all = all.result.patterns.length;
    timing.allMs = all.ms;
  }
  return timing;
}
