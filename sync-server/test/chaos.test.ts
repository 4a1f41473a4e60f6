// The chaos suite at CI size (issue 19): each scenario of sync-server/test/chaos at a few trials,
// so `npm test` proves the same properties `npm run chaos` shows at full counts.
import { afterAll, describe, expect, it } from 'vitest';
import { chaosSeed, failedRows, removeServerBundle, runChaos } from './chaos/run';
import { SCENARIOS } from './chaos/scenarios';
import { chaosTable, rowProblems } from './chaos/table';

const seed = chaosSeed();
afterAll(removeServerBundle);

describe(`chaos suite at CI size (seed ${seed}; replay with CHAOS_SEED=${seed})`, () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.name}: nothing acknowledged is lost and every fault recovers`, async () => {
      const rows = await runChaos({ size: 'ci', seed, only: [scenario.name] });
      console.log(chaosTable(rows));
      expect(rows.length, 'rows reported').toBeGreaterThan(0);
      expect(failedRows(rows).map((r) => `${r.fault} / ${r.backend}: ${rowProblems(r).join('; ')}`)).toEqual([]);
      for (const r of rows) if (!r.skipped) expect(r.trials, `${r.fault} / ${r.backend} trials`).toBeGreaterThan(0);
    }, 600_000);
  }
});
