/**
 * The per-part write check (ACCESS-3) on a team's volume index: what judging one listing update
 * of a team member costs, read from the update's structs, against the same update applied
 * straight to the document (what a writer with full rights costs) and against the obvious
 * alternative, applying it to a copy of the document, measured in the same run; then one big
 * update, a member's reconnect after working offline.
 *
 *   npm run bench:write-check [-- --skills 200 --updates 2000]
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { rootsChangedBy } from '../sync-server/src/sync/roots-changed';

const { values: args } = parseArgs({ options: { skills: { type: 'string', default: '200' }, updates: { type: 'string', default: '2000' } } });
const SKILLS = Number(args.skills);
const UPDATES = Number(args.updates);

/** A team index with SKILLS skill files of about 2 KB each, and one workflow listing. */
const server = new Y.Doc();
server.transact(() => {
  for (let i = 0; i < SKILLS; i++) server.getMap('skills').set(`skill-${i}`, new Y.Text(`---\nname: Skill ${i}\n---\n${'x'.repeat(2000)}`));
});
const member = new Y.Doc();
Y.applyUpdate(member, Y.encodeStateAsUpdate(server));

/** UPDATES listing renames, as a member's client sends them. */
const updates: Uint8Array[] = [];
member.on('update', (u: Uint8Array) => updates.push(u));
for (let i = 0; i < UPDATES; i++) member.getMap('workflows').set(`w${i % 20}`, new Y.Map<unknown>([['name', `Workflow ${i}`]]));

function copyAndApply(doc: Y.Doc, update: Uint8Array): number {
  const trial = new Y.Doc();
  Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(trial, update);
  return trial.share.size;
}

/** Mean time per update of `each` (judging against the document) followed by the apply itself. */
function time(label: string, each: (doc: Y.Doc, u: Uint8Array) => unknown, count = updates.length): number {
  const target = new Y.Doc();
  Y.applyUpdate(target, Y.encodeStateAsUpdate(server));
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const u = updates[i] as Uint8Array;
    each(target, u);
    Y.applyUpdate(target, u);
  }
  const us = Number(process.hrtime.bigint() - start) / 1000 / count;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(9)} µs / update`);
  return us;
}

console.log(`team index: ${SKILLS} skills, ${(Y.encodeStateAsUpdate(server).length / 1024).toFixed(0)} KB; ${UPDATES} listing updates\n`);
const plain = time('apply only (full rights)', () => undefined);
const judged = time('judge from the update, then apply', (doc, u) => {
  if (rootsChangedBy(doc, u)?.has('skills') !== false) throw new Error('the benchmark’s updates should all be allowed');
});
// The copy costs the document's size each time, so it is measured on fewer updates.
const copied = time('copy the document, apply, then apply', copyAndApply, Math.min(200, updates.length));
console.log(`\njudging costs ${(judged / plain).toFixed(2)}× a plain apply; copying would cost ${(copied / plain).toFixed(0)}× (${(copied / judged).toFixed(0)}× the judging)`);

// A member reconnecting after working offline sends everything in one sync step 2.
const offline = new Y.Doc();
Y.applyUpdate(offline, Y.encodeStateAsUpdate(server));
const sv = Y.encodeStateVector(offline);
for (let i = 0; i < UPDATES * 5; i++) offline.getMap('workflows').set(`offline-${i % 500}`, new Y.Map<unknown>([['name', `Workflow ${i}`]]));
const big = Y.encodeStateAsUpdate(offline, sv);
const bigTarget = () => {
  const d = new Y.Doc();
  Y.applyUpdate(d, Y.encodeStateAsUpdate(server));
  return d;
};
/** The median of five timings of `fn` on a fresh copy of the index, in ms (the first ones run cold). */
function median(fn: (doc: Y.Doc) => void): number {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const doc = bigTarget();
    const start = process.hrtime.bigint();
    fn(doc);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((x, y) => x - y)[2] as number;
}
const bigApply = median((doc) => Y.applyUpdate(doc, big));
const bigJudge = median((doc) => {
  if (rootsChangedBy(doc, big)?.has('skills') !== false) throw new Error('the offline update should be allowed');
});
console.log(`\none sync step 2 of ${UPDATES * 5} offline listing changes (${(big.length / 1024).toFixed(0)} KB), median of 5: apply ${bigApply.toFixed(1)} ms, judge ${bigJudge.toFixed(1)} ms (${(bigJudge / bigApply).toFixed(2)}×)`);
