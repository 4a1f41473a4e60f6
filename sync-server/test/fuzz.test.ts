// SYNC-3, SYNC-4, SYNC-5 under fire (issue 8): a seeded fuzzer sends thousands of random and
// mutated protocol messages from many connections while well-behaved clients edit. The server
// stays up, every hostile connection ends as the protocol rules say (closed with its catalogued
// code, or every frame handled), the well-behaved clients keep syncing, and what is stored is
// byte-identical to a run without the fuzzer.
//
// What is compared, byte for byte: for each edited room, the snapshot and log records the file
// storage holds after a graceful shutdown (`Storage.load`), between a reference run with the
// editors alone and a run with the fuzzer. That is meaningful because the editors' updates are
// fixed by the seed (fixed client ids, one editor per step, each step held until everyone has
// it: see harness/fuzz-editors.ts), so both runs apply the same updates in the same order. The
// system room, written at start under a random client id, is compared within the fuzzed run:
// its state rebuilt from storage at start and after shutdown. A room only fuzzers use must
// still hold nothing at all.
//
// Why the fuzzer cannot legitimately change a document: read-only connections may send anything
// (their updates are refused, SYNC-4); writable ones send no decodable Yjs update before their
// first malformed frame (see harness/fuzz-plans.ts). The oracle that says which frames the
// server must accept is harness/fuzz-oracle.ts.
//
// Replay a failure with FUZZ_SEED=<seed>: every connection sends the same frames again (only
// their interleaving with the editors depends on timing). FUZZ_FRAMES=<n> fuzzes longer.
import { describe, expect, it } from 'vitest';
import { fuzzProblems, fuzzSummary } from './harness/fuzz-check';
import { fuzzRun } from './harness/fuzz-run';
import { fuzzSeed } from './harness/fuzz-seed';

const seed = fuzzSeed();
const run = { seed, steps: 40, slots: 20, frames: Number(process.env.FUZZ_FRAMES ?? 4000) };

describe(`protocol fuzz (seed ${seed}; replay with FUZZ_SEED=${seed})`, () => {
  it('hostile connections change nothing stored, end as the rules say, and never stop the editors', async () => {
    const reference = await fuzzRun({ ...run, fuzz: false });
    const attacked = await fuzzRun({ ...run, fuzz: true });
    const { connections, frames, floodFrames, endings } = fuzzSummary(attacked.hostile);
    console.log(`fuzz seed ${seed}: ${connections} hostile connections, ${frames} hostile frames (+${floodFrames} flood frames); endings ${JSON.stringify(endings)}`);
    // Every check (no crash or error, editors never closed, endings as the oracle says, stored
    // bytes identical to the reference run's) lives in fuzzProblems, shared with the chaos suite.
    expect(fuzzProblems(reference, attacked, run.frames)).toEqual([]);
  }, 120_000);
});
