/**
 * The chaos suite's one contract: a scenario starts what it needs on loopback, puts it under a
 * fault, and reports rows for the table. `npm run chaos` runs every scenario at `full` size;
 * `sync-server/test/chaos.test.ts` runs them at `ci` size inside `npm test`.
 */
export type ChaosSize = 'ci' | 'full';

export interface ChaosContext {
  size: ChaosSize;
  /** Every random choice derives from it, so a failing run can be replayed (CHAOS_SEED=<seed>). */
  seed: number;
  /** The built server bundle (`dist/server/start.mjs`), built by the runner before any scenario. */
  serverBundle: string;
  /** One line of progress for the person watching (stderr); never part of the table. */
  progress(line: string): void;
}

/** One line of the table: a fault (or a load) on one backend, over some trials. */
export interface ChaosRow {
  scenario: string;
  /** What was done to the system: `kill -9`, `redis stopped 3 s`, `disk full`, `1,000 clients`… */
  fault: string;
  /** `file`, `redis+s3 ×2`, … */
  backend: string;
  trials: number;
  /** Updates some client saw acknowledged (the server's echo) or received from another. */
  acknowledged: number;
  /** Of those, the ones missing after recovery. Must be 0. */
  lost: number;
  /** Per trial, ms from the fault's end (or the restart) until service was back; empty when not a fault. */
  recoveryMs: number[];
  /** Other figures worth a column: p99 latency, memory per connection, frames sent… */
  figures?: Record<string, string | number>;
  /** What went wrong, said for a person; the row fails when non-empty (lost > 0 adds one itself). */
  problems: string[];
  /** Set when a case could not run here (tmpfs not mountable, say), with why; not a failure. */
  skipped?: string;
}

export interface ChaosScenario {
  name: string;
  run(context: ChaosContext): Promise<ChaosRow[]>;
}
