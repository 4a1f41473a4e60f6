import { expectationOf, runHostile, type Ending, type Expectation, type HostilePlan } from './fuzz-connection';
import { drawPlan, type PlanContext } from './fuzz-plans';
import { streamOf } from './fuzz-seed';

export interface HostileResult {
  slot: number;
  plan: HostilePlan;
  expected: Expectation;
  ending: Ending;
}

export interface FuzzOptions {
  seed: number;
  /** Concurrent hostile connections; each slot opens one after another until its share of `frames` is sent. */
  slots: number;
  /** Hostile frames in all (floods of valid frames not counted). */
  frames: number;
  /** How long a connection may stay without the ending the rules call for before it counts as hung. */
  deadlineMs: number;
}

export interface Fuzzers {
  /** Hostile frames sent so far (for spreading the well-behaved clients' steps over the attack). */
  readonly sent: number;
  readonly done: Promise<HostileResult[]>;
}

/**
 * Starts `slots` fuzzers against a server. Each slot draws its connections from its own PRNG
 * stream and has its own share of the frames, so what every slot sends is fixed by the seed,
 * whatever the timing.
 */
export function startFuzzers(url: string, ctx: PlanContext, options: FuzzOptions): Fuzzers {
  let sent = 0;
  const results: HostileResult[] = [];
  async function slot(s: number): Promise<void> {
    const gen = streamOf(options.seed, 1000 + s);
    const budget = Math.ceil(options.frames / options.slots);
    for (let mine = 0; mine < budget; ) {
      const plan = drawPlan(gen, ctx);
      const expected = expectationOf(plan, ctx.targets.maxBytes);
      if (plan.role !== 'flood') {
        mine += plan.frames.length;
        sent += plan.frames.length;
      }
      results.push({ slot: s, plan, expected, ending: await runHostile(url, plan, expected, options.deadlineMs) });
    }
  }
  const done = Promise.all(Array.from({ length: options.slots }, (_, s) => slot(s))).then(() => results);
  return {
    get sent() {
      return sent;
    },
    done,
  };
}
