import { describe, expect, it } from 'vitest';
import type { VersionChanges } from '../../shared/src/history/version';
import { authorsText, changesText, versionPhrase, versionTitle, whenText } from '../src/history/version-summary';

const graph = (over: Partial<Extract<VersionChanges, { kind: 'graph' }>> = {}): VersionChanges => ({
  kind: 'graph',
  nodes: { added: [], removed: [], changed: [] },
  edges: { added: 0, removed: 0, changed: 0 },
  meta: false,
  ...over,
});

describe('version summary', () => {
  it('names added, removed and changed nodes, then counts edges', () => {
    const changes = graph({
      nodes: { added: [{ id: 'a', label: 'Square' }, { id: 'b', label: 'Offset' }], removed: [{ id: 'c', label: 'Plot' }], changed: [{ id: 'd', label: '' }] },
      edges: { added: 2, removed: 1, changed: 0 },
    });
    expect(changesText(changes)).toBe('added Square, Offset; removed Plot; changed d; 3 edges (2 added, 1 removed)');
  });

  it('names three nodes and counts the rest', () => {
    const added = ['A', 'B', 'C', 'D', 'E'].map((label) => ({ id: label.toLowerCase(), label }));
    expect(changesText(graph({ nodes: { added, removed: [], changed: [] } }))).toBe('added A, B, C and 2 more');
  });

  it('says what changed when no count does', () => {
    expect(changesText(graph())).toBe('moved nodes or edited notes');
    expect(changesText(graph({ meta: true }))).toBe('name or description');
    expect(changesText({ kind: 'text', added: 0, removed: 0 })).toBe('files beside the text');
  });

  it('counts a skill’s lines and a session’s messages', () => {
    expect(changesText({ kind: 'text', added: 1, removed: 3 })).toBe('1 line added, 3 removed');
    expect(changesText({ kind: 'messages', added: 2, removed: 0, changed: 1 })).toBe('2 messages added; 1 message changed');
  });

  it('marks the reader among the authors', () => {
    expect(authorsText(['alice', 'bob'], 'bob')).toBe('alice, bob (you)');
    expect(authorsText([], 'bob')).toBe('nobody recorded');
  });

  it('titles checkpoints and named versions, and says when relative while recent', () => {
    expect(versionTitle({ name: null })).toBe('Checkpoint');
    expect(versionTitle({ name: 'before the refactor' })).toBe('before the refactor');
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(whenText('2026-12-07T09:59:30Z', now)).toBe('just now');
    expect(whenText('2026-12-07T09:57:00Z', now)).toBe('3 minutes ago');
    expect(whenText('2026-12-07T07:00:00Z', now)).toBe('3 hours ago');
    expect(whenText('not a time', now)).toBe('at an unknown time');
    // Past a day, the date and time: "12 days ago" would not tell two versions apart.
    expect(whenText('2026-11-20T10:00:00Z', now)).toBe(new Date('2026-11-20T10:00:00Z').toLocaleString());
    expect(versionPhrase({ name: null, created_at: '2026-12-07T09:57:00Z' }, now)).toBe('the checkpoint from 3 minutes ago');
    expect(versionPhrase({ name: 'before the refactor', created_at: '2026-12-07T09:59:50Z' }, now)).toBe('"before the refactor" (just now)');
  });
});
