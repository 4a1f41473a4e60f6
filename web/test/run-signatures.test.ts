import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import { isStale, nodeSignatures } from '../src/run/signatures';

const graph = (): WorkflowGraph => ({
  nodes: [
    { id: 'h', skillId: 'ham', label: '', position: { x: 0, y: 0 }, inputs: { bond_length: 0.735 } },
    { id: 'v', skillId: 'vqe', label: '', position: { x: 0, y: 0 }, inputs: {} },
    { id: 'p', skillId: 'plot', label: '', position: { x: 0, y: 0 }, inputs: { title: 'E' } },
    { id: 'x', skillId: 'other', label: '', position: { x: 0, y: 0 }, inputs: {} },
  ],
  edges: [
    { id: 'e1', source: 'h', sourceHandle: 'hamiltonian', target: 'v', targetHandle: 'hamiltonian' },
    { id: 'e2', source: 'v', sourceHandle: 'convergence_trace', target: 'p', targetHandle: 'convergence_trace' },
  ],
});
const sources: Record<string, string> = { ham: 'ham v1', vqe: 'vqe v1', plot: 'plot v1', other: 'other v1' };
const sigs = (g: WorkflowGraph, src = sources) => nodeSignatures(g, (id) => src[id]);

describe('node signatures', () => {
  it('are stable: the same workflow and skills give the same signatures, whatever the node order', () => {
    const a = sigs(graph());
    const reordered = graph();
    reordered.nodes.reverse();
    expect(sigs(reordered)).toEqual(a);
    expect(new Set(a.values()).size).toBe(4);
  });

  it('a literal edit changes the node and everything downstream, nothing else', () => {
    const before = sigs(graph());
    const g = graph();
    g.nodes[1]!.inputs = { max_iterations: 50 };
    const after = sigs(g);
    expect(after.get('h')).toBe(before.get('h'));
    expect(after.get('v')).not.toBe(before.get('v'));
    expect(after.get('p')).not.toBe(before.get('p'));
    expect(after.get('x')).toBe(before.get('x'));
  });

  it('a skill edit changes every node using it and what is downstream', () => {
    const before = sigs(graph());
    const after = sigs(graph(), { ...sources, ham: 'ham v2' });
    for (const id of ['h', 'v', 'p']) expect(after.get(id)).not.toBe(before.get(id));
    expect(after.get('x')).toBe(before.get('x'));
  });

  it('rewiring an input to another output changes the signature; a literal on a wired input does not count', () => {
    const before = sigs(graph());
    const rewired = graph();
    rewired.edges[1]!.sourceHandle = 'optimal_parameters';
    expect(sigs(rewired).get('p')).not.toBe(before.get('p'));
    const shadowed = graph();
    shadowed.nodes[1]!.inputs = { hamiltonian: { num_qubits: 1 } };
    expect(sigs(shadowed).get('v')).toBe(before.get('v'));
  });

  it('literal key order does not matter', () => {
    const a = graph();
    a.nodes[2]!.inputs = { title: 'E', y_label: 'Ha' };
    const b = graph();
    b.nodes[2]!.inputs = { y_label: 'Ha', title: 'E' };
    expect(sigs(a).get('p')).toBe(sigs(b).get('p'));
  });

  it('a node with an unknown skill, and what depends on it, has no signature; a cycle gives none either', () => {
    const missing = sigs(graph(), { ...sources, vqe: undefined as unknown as string });
    expect(missing.has('v')).toBe(false);
    expect(missing.has('p')).toBe(false);
    expect(missing.has('h')).toBe(true);
    const cyclic = graph();
    cyclic.edges.push({ id: 'e3', source: 'p', sourceHandle: 'final_value', target: 'h', targetHandle: 'bond_length' });
    expect(sigs(cyclic).size).toBe(1); // only x
  });

  it('a result is stale when made under another signature; no result, or no signature yet, is never stale', () => {
    expect(isStale('a', 'a')).toBe(false);
    expect(isStale('a', 'b')).toBe(true);
    expect(isStale('a', undefined)).toBe(false);
    expect(isStale(undefined, 'b')).toBe(false);
  });
});
