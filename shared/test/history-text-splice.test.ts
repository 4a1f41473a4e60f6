/*
 * The minimal text edit restores use (shared/src/history/text-splice.ts), on seeded random
 * texts: it always reaches the target, in one transaction, never splits a surrogate pair, and
 * keeps unchanged lines as the same Yjs items, so a collaborator's edit inside one survives.
 */
import * as prng from 'lib0/prng';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { spliceText } from '../src/history/text-splice';
import { peerOf, sync, updatesDuring } from './y-peers';

const SEEDS = [1, 7, 42, 1234, 99_991];
const MARK = '§';

function randomText(gen: prng.PRNG): string {
  const lines = Array.from({ length: prng.int32(gen, 0, 12) }, () =>
    Array.from({ length: prng.int32(gen, 0, 8) }, () => prng.oneOf(gen, ['a', 'b', 'c', ' ', 'é', '😀', '😃', '𝄞'])).join(''),
  );
  return lines.join('\n') + (prng.bool(gen) ? '\n' : '');
}

/** `from` with some of its lines changed, dropped or added. */
function edited(gen: prng.PRNG, from: string): string {
  return from
    .split('\n')
    .flatMap((line) => {
      const roll = prng.int32(gen, 0, 9);
      if (roll === 0) return [];
      if (roll === 1) return [line, randomText(gen).split('\n')[0] ?? ''];
      if (roll === 2) return [line.replace(/[ab]/, prng.oneOf(gen, ['x', '😀', '😃', '']))];
      return [line];
    })
    .join('\n');
}

const hasLoneSurrogate = (s: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('spliceText', () => {
  it.each(SEEDS)('reaches the target in one transaction, whole characters only (seed %i)', (seed) => {
    const gen = prng.create(seed);
    for (let round = 0; round < 60; round++) {
      const from = randomText(gen);
      const to = prng.bool(gen) ? edited(gen, from) : randomText(gen);
      const doc = new Y.Doc();
      const text = doc.getText('t');
      text.insert(0, from);
      const inserted: string[] = [];
      text.observe((e) => {
        for (const op of e.delta) if (typeof op.insert === 'string') inserted.push(op.insert);
      });
      const context = `seed ${seed} round ${round}: ${JSON.stringify(from)} → ${JSON.stringify(to)}`;
      expect(updatesDuring(doc, () => spliceText(text, to)), context).toBe(from === to ? 0 : 1);
      expect(text.toString(), context).toBe(to);
      for (const piece of inserted) expect(hasLoneSurrogate(piece), `${context}: inserted ${JSON.stringify(piece)}`).toBe(false);
    }
  });

  it.each(SEEDS)('keeps a collaborator\'s edit inside a line the splice leaves alone (seed %i)', (seed) => {
    const gen = prng.create(seed);
    let checked = 0;
    for (let round = 0; round < 100; round++) {
      const from = randomText(gen);
      const to = edited(gen, from);
      // A line both texts share, as the line diff sees it, long enough to edit inside.
      let at = 0;
      const shared: Array<{ at: number; line: string }> = [];
      for (const part of diffLines(from, to)) {
        if (!part.added && !part.removed) {
          let lineAt = at;
          for (const line of part.value.split('\n')) {
            if (line.length >= 2 && !/[\ud800-\udfff]/.test(line)) shared.push({ at: lineAt, line });
            lineAt += line.length + 1;
          }
        }
        if (!part.added) at += part.value.length;
      }
      if (shared.length === 0) continue;
      const { at: lineAt, line } = prng.oneOf(gen, shared);
      const offset = prng.int32(gen, 1, line.length - 1);
      const alice = new Y.Doc();
      alice.getText('t').insert(0, from);
      const bob = peerOf(alice);
      spliceText(alice.getText('t'), to);
      bob.getText('t').insert(lineAt + offset, MARK);
      sync(alice, bob);
      const merged = alice.getText('t').toString();
      const context = `seed ${seed} round ${round}: ${JSON.stringify(from)} → ${JSON.stringify(to)}, ${MARK} in ${JSON.stringify(line)} at ${offset}`;
      expect(bob.getText('t').toString(), context).toBe(merged);
      expect(merged.replace(MARK, ''), context).toBe(to);
      expect(merged.split('\n'), context).toContain(line.slice(0, offset) + MARK + line.slice(offset));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('edits only the characters that differ within a changed line', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'alpha\nThe quick fox\nomega\n');
    const deltas: unknown[] = [];
    text.observe((e) => deltas.push(e.delta));
    spliceText(text, 'alpha\nThe quick brown fox\nomega\n');
    expect(deltas).toEqual([[{ retain: 'alpha\nThe quick '.length }, { insert: 'brown ' }]]);
  });
});
