import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { dismissPattern, listDismissedPatterns, putSkillSource } from '../src/documents/volume-index';

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));

describe('dismissed patterns in a volume index', () => {
  it('starts empty, records a key once with its first time, and keeps other roots apart', () => {
    const doc = new Y.Doc();
    expect(listDismissedPatterns(doc).size).toBe(0);
    dismissPattern(doc, 'a|b|0>1:x>y', '2026-12-01T00:00:00.000Z');
    dismissPattern(doc, 'a|b|0>1:x>y', '2026-12-02T00:00:00.000Z');
    putSkillSource(doc, 'other', '---\nname: x\n---\n');
    expect([...listDismissedPatterns(doc)]).toEqual(['a|b|0>1:x>y']);
    expect(doc.getMap<string>('dismissedPatterns').get('a|b|0>1:x>y')).toBe('2026-12-01T00:00:00.000Z');
  });

  it('syncs between two copies, and dismissals made on both are kept', () => {
    const laptop = new Y.Doc();
    const phone = new Y.Doc();
    dismissPattern(laptop, 'k1', '2026-12-01T00:00:00.000Z');
    dismissPattern(phone, 'k2', '2026-12-01T00:00:01.000Z');
    sync(laptop, phone);
    sync(phone, laptop);
    expect([...listDismissedPatterns(laptop)].sort()).toEqual(['k1', 'k2']);
    expect([...listDismissedPatterns(phone)].sort()).toEqual(['k1', 'k2']);
  });
});
