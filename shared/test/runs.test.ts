/*
 * The run history of a workflow (shared/src/documents/runs.ts): records written by anyone who
 * may write the workflow, read back only when well formed, newest first, kept to the newest
 * KEEP_RUNS, merging when two people record runs at once.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addRun, getRun, KEEP_RUNS, listRuns, pruneRuns, runCacheKeys, runsOf, type RunRecord } from '../src/documents/runs';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function record(id: string, second: number, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    workflow_room: 'user/alice/workflow/w',
    started_at: at(second),
    finished_at: at(second + 1),
    duration_ms: 1000,
    by: { sub: 'alice', name: 'Alice' },
    status: 'done',
    trigger: 'run',
    nodes: {
      n1: { skill_id: 'square', label: 'Square', status: 'done', duration_ms: 12, inputs: { x: 3 }, cache_key: `key-${id}` },
      n2: { skill_id: 'show', label: 'Show', status: 'error', duration_ms: 4, error: 'boom', inputs: {} },
    },
    ...extra,
  };
}

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
};

describe('runs room document', () => {
  it('reads back what was added, newest first', () => {
    const doc = new Y.Doc();
    addRun(doc, record('r1', 1));
    addRun(doc, record('r3', 3));
    addRun(doc, record('r2', 2));
    expect(listRuns(doc).map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
    expect(getRun(doc, 'r1')).toEqual(record('r1', 1));
    expect(getRun(doc, 'nope')).toBeNull();
  });

  it('keeps the newest records only, and takes the oldest out first', () => {
    const doc = new Y.Doc();
    for (let i = 0; i < 7; i++) addRun(doc, record(`r${i}`, i), 5);
    expect(listRuns(doc).map((r) => r.id)).toEqual(['r6', 'r5', 'r4', 'r3', 'r2']);
    expect(runsOf(doc).size).toBe(5);
    // A late record older than all kept ones is dropped at once.
    addRun(doc, record('old', 0), 5);
    expect(getRun(doc, 'old')).toBeNull();
    expect(KEEP_RUNS).toBe(200);
  });

  it('leaves out, and prunes, entries that are not records', () => {
    const doc = new Y.Doc();
    addRun(doc, record('ok', 1));
    runsOf(doc).set('bad-status', { ...record('bad-status', 2), status: 'exploded' });
    runsOf(doc).set('wrong-key', record('other', 3));
    runsOf(doc).set('string', 'hello');
    runsOf(doc).set('no-nodes', { ...record('no-nodes', 4), nodes: undefined });
    expect(listRuns(doc).map((r) => r.id)).toEqual(['ok']);
    pruneRuns(doc);
    expect([...runsOf(doc).keys()]).toEqual(['ok']);
  });

  it('refuses to write a malformed record, saying what is wrong', () => {
    const doc = new Y.Doc();
    expect(() => addRun(doc, { ...record('r', 1), started_at: 'yesterday' })).toThrow(/started_at/);
    expect(() => addRun(doc, { ...record('r', 1), duration_ms: -1 })).toThrow(/duration_ms/);
    expect(runsOf(doc).size).toBe(0);
  });

  it('merges two people recording runs at once, and both prune to the same set', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    for (let i = 0; i < 3; i++) addRun(alice, record(`a${i}`, i * 2), 4);
    for (let i = 0; i < 3; i++) addRun(bob, record(`b${i}`, i * 2 + 1, { by: { sub: 'bob', name: 'Bob' } }), 4);
    sync(alice, bob);
    // Merged, both hold all six until the next record prunes; then each keeps the same four.
    expect(listRuns(alice).map((r) => r.id)).toEqual(['b2', 'a2', 'b1', 'a1', 'b0', 'a0']);
    pruneRuns(alice, 4);
    pruneRuns(bob, 4);
    sync(alice, bob);
    expect(listRuns(alice).map((r) => r.id)).toEqual(['b2', 'a2', 'b1', 'a1']);
    expect(listRuns(bob)).toEqual(listRuns(alice));
  });

  it('gives the cache keys of the kept runs', () => {
    const doc = new Y.Doc();
    addRun(doc, record('r1', 1), 2);
    addRun(doc, record('r2', 2), 2);
    addRun(doc, record('r3', 3), 2);
    expect(runCacheKeys(doc)).toEqual(new Set(['key-r2', 'key-r3']));
  });
});
