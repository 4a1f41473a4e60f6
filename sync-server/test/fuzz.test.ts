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
import { meets } from './harness/fuzz-connection';
import type { HostileResult } from './harness/fuzz-driver';
import { EDITED_ROOMS, fuzzRun, type FuzzRunResult } from './harness/fuzz-run';
import { fuzzSeed } from './harness/fuzz-seed';

const seed = fuzzSeed();
const run = { seed, steps: 40, slots: 20, frames: Number(process.env.FUZZ_FRAMES ?? 4000) };

const hex = (data: Uint8Array | string): string =>
  typeof data === 'string' ? JSON.stringify(data.slice(0, 40)) : `${Buffer.from(data.subarray(0, 48)).toString('hex')}${data.length > 48 ? `… (${data.length} bytes)` : ''}`;

function describeFailure(r: HostileResult): string {
  const frames = r.plan.frames.length > 20 ? `${r.plan.frames.length} × ${r.plan.frames[0]?.kind}` : r.plan.frames.map((f) => `\n    ${f.kind}: ${hex(f.data)}`).join('');
  return `slot ${r.slot}, ${r.plan.role} in ${r.plan.room}${r.plan.early ? ' (sent before the greeting)' : ''}: expected ${JSON.stringify(r.expected)}, got ${r.ending}; frames:${frames}`;
}

function summary(hostile: HostileResult[]): string {
  const endings = new Map<string, number>();
  for (const r of hostile) endings.set(String(r.ending), (endings.get(String(r.ending)) ?? 0) + 1);
  const frames = hostile.filter((r) => r.plan.role !== 'flood').reduce((n, r) => n + r.plan.frames.length, 0);
  const floods = hostile.filter((r) => r.plan.role === 'flood').reduce((n, r) => n + r.plan.frames.length, 0);
  return `${hostile.length} hostile connections, ${frames} hostile frames (+${floods} flood frames); endings ${JSON.stringify(Object.fromEntries(endings))}`;
}

const bytesOf = (stored: FuzzRunResult['stored'], room: string) => {
  const s = stored.get(room);
  return { snapshot: s?.snapshot ? Buffer.from(s.snapshot).toString('base64') : null, log: s?.updates.map((u) => Buffer.from(u).toString('base64')) };
};

describe(`protocol fuzz (seed ${seed}; replay with FUZZ_SEED=${seed})`, () => {
  it('hostile connections change nothing stored, end as the rules say, and never stop the editors', async () => {
    const reference = await fuzzRun({ ...run, fuzz: false });
    const attacked = await fuzzRun({ ...run, fuzz: true });
    console.log(`fuzz seed ${seed}: ${summary(attacked.hostile)}`);

    for (const result of [reference, attacked]) {
      expect(result.crashes, 'uncaught exceptions or unhandled rejections').toEqual([]);
      expect(result.errorLogs, 'errors the server logged').toEqual([]);
      expect(result.healthz).toBe(200);
      expect(result.editorCloses, 'the editors’ sockets were closed').toEqual([]);
    }

    const wrong = attacked.hostile.filter((r) => !meets(r.ending, r.expected));
    expect(wrong.slice(0, 10).map(describeFailure), `${wrong.length} hostile connections did not end as the rules say`).toEqual([]);
    expect(attacked.hostile.filter((r) => r.plan.role !== 'flood').reduce((n, r) => n + r.plan.frames.length, 0)).toBeGreaterThanOrEqual(run.frames);

    for (const room of EDITED_ROOMS) {
      // Something to compare: the editors' work is in the snapshot written at shutdown.
      expect(reference.stored.get(room)?.snapshot?.length ?? 0, `stored snapshot of ${room}`).toBeGreaterThan(100);
      expect(attacked.content.get(room), `content of ${room}`).toEqual(reference.content.get(room));
      expect(bytesOf(attacked.stored, room), `stored bytes of ${room}`).toEqual(bytesOf(reference.stored, room));
    }
    expect(Buffer.from(attacked.system.after).equals(Buffer.from(attacked.system.before)), 'the system room changed').toBe(true);
    expect(attacked.quiet, 'the room only fuzzers used').toEqual({ snapshot: null, updates: [] });
  }, 120_000);
});
