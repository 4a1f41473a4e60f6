// What the app accepts as "the version the server made": a 2xx that is not one (an older
// server's index.html, a body cut short) is refused in words, not waited on forever.
import { describe, expect, it } from 'vitest';
import { isVersionMeta } from '../src/history/version-meta-check';

const meta = { id: 'user.alice.workflow.w.0001', room: 'user/alice/workflow/w', name: 'before', created_at: '2026-12-07T08:00:00Z', authors: ['alice'], changes: { kind: 'graph' }, size: 10 };

describe('isVersionMeta', () => {
  it('accepts a named version and a checkpoint', () => {
    expect(isVersionMeta(meta)).toBe(true);
    expect(isVersionMeta({ ...meta, name: null })).toBe(true);
  });

  it('refuses what is not a version', () => {
    for (const bad of [null, 'ok', [], {}, { ...meta, id: 3 }, { ...meta, authors: 'alice' }, { ...meta, authors: [1] }, { ...meta, name: undefined }, { ...meta, changes: null }]) {
      expect(isVersionMeta(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
