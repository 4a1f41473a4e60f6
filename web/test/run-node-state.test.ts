import { describe, expect, it } from 'vitest';
import { remoteKind, shownKinds, shownText, type NodeFacts } from '../src/run/node-state';

// a → b → c, and d alone.
const edges = [
  { source: 'a', target: 'b' },
  { source: 'b', target: 'c' },
];
const kinds = (facts: Record<string, NodeFacts>) => Object.fromEntries([...shownKinds(new Map(Object.entries(facts)), edges)].map(([id, s]) => [id, s.kind]));
const current = (state: NodeFacts['state'], sig: string): NodeFacts => ({ state, resultSignature: sig, signature: sig });

describe('one shown state per node', () => {
  it('results made under the current signatures show as done or reused', () => {
    expect(kinds({ a: current('done', 'A'), b: current('cached', 'B'), c: current('done', 'C'), d: {} })).toEqual({ a: 'done', b: 'cached', c: 'done', d: 'none' });
  });

  it('a changed node is out of date, and so is everything downstream of it, even a reused result', () => {
    const shown = shownKinds(new Map(Object.entries({ a: { state: 'done', resultSignature: 'A', signature: 'A2' }, b: current('cached', 'B'), c: current('done', 'C') } as Record<string, NodeFacts>)), edges);
    expect(shown.get('a')).toEqual({ kind: 'stale', reason: 'changed' });
    expect(shown.get('b')).toEqual({ kind: 'stale', reason: 'upstream' });
    expect(shown.get('c')).toEqual({ kind: 'stale', reason: 'upstream' });
  });

  it('after an upstream failure, a downstream result is out of date, never "reused"', () => {
    expect(kinds({ a: current('error', 'A'), b: current('cached', 'B'), c: current('done', 'C') })).toEqual({ a: 'error', b: 'stale', c: 'stale' });
  });

  it('a downstream result whose input never ran is out of date', () => {
    expect(kinds({ a: {}, b: current('done', 'B') })).toMatchObject({ a: 'none', b: 'stale' });
  });

  it('live states pass through; a running node whose runtime still downloads is loading, one waiting for a busy runtime is waiting', () => {
    expect(kinds({ a: { state: 'running', runtime: 'loading' }, b: { state: 'queued' }, c: { state: 'skipped' } })).toEqual({ a: 'loading', b: 'queued', c: 'skipped' });
    expect(kinds({ a: { state: 'running', runtime: 'waiting' } })).toMatchObject({ a: 'queued' });
    expect(kinds({ a: { state: 'running' } })).toMatchObject({ a: 'running' });
  });

  it('a node with no signature yet (its skill still loading) is not called stale', () => {
    expect(kinds({ a: { state: 'done', resultSignature: 'A' } })).toMatchObject({ a: 'done' });
  });

  it('terminates on a cycle', () => {
    const cyclic = shownKinds(new Map(Object.entries({ x: current('done', 'X'), y: current('done', 'Y') } as Record<string, NodeFacts>)), [
      { source: 'x', target: 'y' },
      { source: 'y', target: 'x' },
    ]);
    expect(cyclic.size).toBe(2);
  });
});

describe("a collaborator's state", () => {
  it('their done is out of date once the inputs here differ from the ones they ran with', () => {
    expect(remoteKind({ state: 'done', signature: 'A' }, 'A')).toBe('done');
    expect(remoteKind({ state: 'done', signature: 'A' }, 'A2')).toBe('stale');
    expect(remoteKind({ state: 'running', signature: 'A' }, 'A2')).toBe('running');
  });
});

describe('words', () => {
  it('say what a person understands', () => {
    expect(shownText('cached')).toBe('reused earlier result');
    expect(shownText('stale')).toBe('out of date');
    expect(shownText('queued')).toBe('waiting');
    expect(shownText('loading', undefined, { runtime: 'Python', progress: '4.2 MB' })).toBe('loading Python… 4.2 MB');
    expect(shownText('running', '2.1 s')).toBe('running 2.1 s');
    expect(shownText('error', '0.3 s')).toBe('failed 0.3 s');
  });
});
