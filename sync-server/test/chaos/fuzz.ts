import { fuzzProblems, fuzzSummary } from '../harness/fuzz-check';
import { fuzzRun } from '../harness/fuzz-run';
import type { ChaosContext, ChaosRow, ChaosScenario } from './types';

/** Hostile frames: 100,000 at full size (the count), 8,000 in `npm test` (about 25 s: the chaos suite's CI budget is shared). */
const SIZES = { full: { frames: 100_000, steps: 200 }, ci: { frames: 8_000, steps: 40 } } as const;
/** Concurrent hostile connections (as fuzz.test.ts: each slot opens one connection after another). */
const SLOTS = 20;

/**
 * Hostile input, longer: the seeded protocol fuzz of `fuzz.test.ts` (harness/fuzz-run.ts, its
 * checks in harness/fuzz-check.ts) at 100,000 frames. A reference run with the editors alone and
 * an attacked run of the same seed; the row fails unless the stored documents are byte-identical,
 * every hostile connection ended as the oracle says, the editors were never disconnected and the
 * server logged no error. The server runs in this process (as in fuzz.test.ts), so a crash of
 * it is seen as an uncaught exception here, with its stack.
 */
export const fuzzScenario: ChaosScenario = {
  name: 'fuzz',
  async run(ctx: ChaosContext): Promise<ChaosRow[]> {
    const { frames, steps } = SIZES[ctx.size];
    const run = { seed: ctx.seed, steps, slots: SLOTS, frames };
    const started = Date.now();
    ctx.progress(`reference run (editors alone, seed ${ctx.seed})…`);
    const reference = await fuzzRun({ ...run, fuzz: false });
    ctx.progress(`attacked run: ${frames.toLocaleString('en-US')} hostile frames from ${SLOTS} slots…`);
    const attackStarted = Date.now();
    const attacked = await fuzzRun({ ...run, fuzz: true });
    const attackMs = Date.now() - attackStarted;
    const summary = fuzzSummary(attacked.hostile);
    ctx.progress(`endings ${JSON.stringify(summary.endings)}`);
    return [
      {
        scenario: 'fuzz',
        fault: `${frames.toLocaleString('en-US')} hostile frames`,
        backend: 'file',
        trials: summary.connections,
        acknowledged: 0,
        lost: 0,
        recoveryMs: [],
        figures: {
          frames: summary.frames,
          'flood frames': summary.floodFrames,
          connections: summary.connections,
          'closed by server': summary.connections - (summary.endings.answered ?? 0),
          'attack s': Math.round(attackMs / 100) / 10,
          'total s': Math.round((Date.now() - started) / 100) / 10,
          'editor steps': steps * 3,
        },
        problems: fuzzProblems(reference, attacked, frames),
      },
    ];
  },
};
