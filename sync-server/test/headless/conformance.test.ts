// EXEC-1, EXEC-2, EXEC-3, EXEC-4, EXEC-5, EXEC-6, EXEC-7, EXEC-8, EXEC-9 in Node: every case of
// the conformance table (shared/test/conformance/cases.ts) against the headless runtimes, through
// the shared executor. web/test/conformance.e2e.test.ts runs the same table against the browser
// workers with the same expectations.
import { afterAll, describe, it } from 'vitest';
import { CASES, caseName, expectCase } from '../../../shared/test/conformance/cases';
import { runCase } from '../../../shared/test/conformance/run-case';
import { nodeRuntimes } from '../../src/headless/runtimes';

const runtimes = nodeRuntimes({ javascriptWorkers: 2 });
afterAll(() => runtimes.close());

describe('runtime contract conformance: headless runtimes', () => {
  for (const c of CASES) {
    it(caseName(c), async () => expectCase(c, await runCase(c, runtimes)));
  }
});
