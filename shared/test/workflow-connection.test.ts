/*
 * checkConnection (shared/src/workflow/connection.ts): whether an output may feed an input, as the
 * canvas and the assistant's connect_ports tool both ask it, and in words why not.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph, WorkflowNode } from '../src/documents/workflow';
import { checkConnection } from '../src/workflow/connection';
import { testSkill } from './skill-fixture';


const SKILLS = new Map([
  ['ham', testSkill('ham', [['bond_length', 'number', 0.735]], [['hamiltonian', 'object']])],
  ['vqe', testSkill('vqe', [['hamiltonian', 'object'], ['max_iterations', 'integer', 300]], [['eigenvalue', 'number'], ['convergence_trace', 'array']])],
  ['plot', testSkill('plot', [['convergence_trace', 'array']], [['svg', 'string']])],
  ['n', testSkill('n', [['x', 'number']], [['y', 'number']])],
]);
const lookup = (id: string) => SKILLS.get(id);

const node = (id: string, skillId: string): WorkflowNode => ({ id, skillId, label: skillId, position: { x: 0, y: 0 }, inputs: {} });

const GRAPH: WorkflowGraph = {
  nodes: [node('a', 'ham'), node('b', 'vqe'), node('c', 'plot'), node('a2', 'ham')],
  edges: [{ id: 'e1', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' }],
};

describe('checkConnection', () => {
  it('allows matching ports', () => {
    expect(checkConnection(GRAPH, { source: 'b', sourceHandle: 'convergence_trace', target: 'c', targetHandle: 'convergence_trace' }, lookup)).toEqual({ ok: true });
  });

  it('refuses mismatched types and says why', () => {
    expect(checkConnection(GRAPH, { source: 'b', sourceHandle: 'eigenvalue', target: 'c', targetHandle: 'convergence_trace' }, lookup)).toEqual({
      ok: false,
      reason: 'Types do not match: output "eigenvalue" is number but input "convergence_trace" takes array.',
    });
  });

  it('refuses cycles, self-loops, unknown nodes and unknown ports', () => {
    expect(checkConnection(GRAPH, { source: 'b', sourceHandle: 'eigenvalue', target: 'b', targetHandle: 'max_iterations' }, lookup)).toMatchObject({ ok: false, reason: expect.stringContaining('own input') });
    expect(checkConnection(GRAPH, { source: 'c', sourceHandle: 'nope', target: 'b', targetHandle: 'max_iterations' }, lookup)).toMatchObject({ ok: false, reason: expect.stringContaining('no output "nope"') });
    expect(checkConnection(GRAPH, { source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: null }, lookup)).toMatchObject({ ok: false, reason: expect.stringContaining('no input ""') });
    expect(checkConnection(GRAPH, { source: 'ghost', sourceHandle: 'y', target: 'b', targetHandle: 'hamiltonian' }, lookup)).toEqual({ ok: false, reason: 'Both ends must be nodes of this workflow.' });
    const chain: WorkflowGraph = { nodes: [node('p', 'n'), node('q', 'n')], edges: [{ id: 'pq', source: 'p', sourceHandle: 'y', target: 'q', targetHandle: 'x' }] };
    expect(checkConnection(chain, { source: 'q', sourceHandle: 'y', target: 'p', targetHandle: 'x' }, lookup)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('cycle'),
    });
  });

  it('rewires an input that is already fed: the answer names the edge it replaces', () => {
    expect(checkConnection(GRAPH, { source: 'a2', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' }, lookup)).toEqual({ ok: true, replaces: 'e1' });
  });
});
