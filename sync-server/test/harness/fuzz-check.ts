import { meets } from './fuzz-connection';
import type { HostileResult } from './fuzz-driver';
import { EDITED_ROOMS, type FuzzRunResult } from './fuzz-run';

/**
 * The fuzz's verdict, shared by `fuzz.test.ts` (4,000 frames in `npm test`) and the chaos
 * suite's `fuzz` scenario (100,000 frames): what went wrong between a reference run (editors
 * alone) and an attacked run of the same seed, said for a person; empty when nothing did.
 */
export function fuzzProblems(reference: FuzzRunResult, attacked: FuzzRunResult, frames: number): string[] {
  const problems: string[] = [];
  for (const [which, result] of [['reference', reference], ['attacked', attacked]] as const) {
    if (result.crashes.length) problems.push(`${which} run: uncaught exceptions or unhandled rejections: ${result.crashes.slice(0, 3).map(String).join('; ')}`);
    if (result.errorLogs.length) problems.push(`${which} run: the server logged ${result.errorLogs.length} errors, first: ${result.errorLogs[0]}`);
    if (result.healthz !== 200) problems.push(`${which} run: /healthz answered ${result.healthz} after the run`);
    if (result.editorCloses.length) problems.push(`${which} run: the editors’ sockets were closed (codes ${result.editorCloses.join(', ')})`);
  }

  const wrong = attacked.hostile.filter((r) => !meets(r.ending, r.expected));
  if (wrong.length) problems.push(`${wrong.length} hostile connections did not end as the rules say:${wrong.slice(0, 10).map((r) => `\n  ${describeFailure(r)}`).join('')}`);
  const sent = hostileFrames(attacked.hostile);
  if (sent < frames) problems.push(`only ${sent} of the ${frames} hostile frames were sent`);

  for (const room of EDITED_ROOMS) {
    // Something to compare: the editors' work is in the snapshot written at shutdown.
    if ((reference.stored.get(room)?.snapshot?.length ?? 0) <= 100) problems.push(`the reference run stored no real snapshot of ${room}: nothing to compare`);
    if (JSON.stringify(attacked.content.get(room)) !== JSON.stringify(reference.content.get(room))) problems.push(`the editors of ${room} ended with other content than in the reference run`);
    const [a, b] = [bytesOf(attacked, room), bytesOf(reference, room)];
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`the stored bytes of ${room} differ from the reference run’s (snapshot ${a.snapshot?.length ?? 0} vs ${b.snapshot?.length ?? 0} chars, log ${a.log?.length ?? 0} vs ${b.log?.length ?? 0} records)`);
  }
  if (!Buffer.from(attacked.system.after).equals(Buffer.from(attacked.system.before))) problems.push('the system room changed');
  if (attacked.quiet.snapshot !== null || attacked.quiet.updates.length > 0) problems.push(`the room only fuzzers used holds something (${attacked.quiet.updates.length} log records${attacked.quiet.snapshot ? ' and a snapshot' : ''})`);
  return problems;
}

/** Hostile frames sent (floods of valid frames not counted). */
export const hostileFrames = (hostile: HostileResult[]): number => hostile.filter((r) => r.plan.role !== 'flood').reduce((n, r) => n + r.plan.frames.length, 0);

/** How many connections, frames and floods, and how they ended: for the log and the chaos table. */
export function fuzzSummary(hostile: HostileResult[]): { connections: number; frames: number; floodFrames: number; endings: Record<string, number> } {
  const endings: Record<string, number> = {};
  for (const r of hostile) endings[String(r.ending)] = (endings[String(r.ending)] ?? 0) + 1;
  const frames = hostileFrames(hostile);
  const floodFrames = hostile.filter((r) => r.plan.role === 'flood').reduce((n, r) => n + r.plan.frames.length, 0);
  return { connections: hostile.length, frames, floodFrames, endings };
}

const hex = (data: Uint8Array | string): string =>
  typeof data === 'string' ? JSON.stringify(data.slice(0, 40)) : `${Buffer.from(data.subarray(0, 48)).toString('hex')}${data.length > 48 ? `… (${data.length} bytes)` : ''}`;

function describeFailure(r: HostileResult): string {
  const frames = r.plan.frames.length > 20 ? `${r.plan.frames.length} × ${r.plan.frames[0]?.kind}` : r.plan.frames.map((f) => `\n    ${f.kind}: ${hex(f.data)}`).join('');
  return `slot ${r.slot}, ${r.plan.role} in ${r.plan.room}${r.plan.early ? ' (sent before the greeting)' : ''}: expected ${JSON.stringify(r.expected)}, got ${r.ending}; frames:${frames}`;
}

const bytesOf = (result: FuzzRunResult, room: string) => {
  const s = result.stored.get(room);
  return { snapshot: s?.snapshot ? Buffer.from(s.snapshot).toString('base64') : null, log: s?.updates.map((u) => Buffer.from(u).toString('base64')) };
};
