import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../src/documents/workflow';
import { parseWorkflowFile, toWorkflowFile, WORKFLOW_FORMAT_VERSION } from '../src/workflow/file';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'a', skillId: 'quantum-hamiltonian', label: 'H', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } },
    { id: 'b', skillId: 'quantum-vqe', label: 'V', position: { x: 300, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' }],
};

describe('llmunix-workflow files', () => {
  it('round-trip with their schema version', () => {
    const file = toWorkflowFile({ name: 'H2', description: 'd' }, graph);
    expect(file).toMatchObject({ format: 'llmunix-workflow', version: WORKFLOW_FORMAT_VERSION, name: 'H2' });
    const parsed = parseWorkflowFile(JSON.stringify(file));
    expect(parsed).toEqual({ ok: true, value: file });
  });

  it('refuse what they cannot read, saying why', () => {
    const bad = (value: unknown) => {
      const r = parseWorkflowFile(typeof value === 'string' ? value : JSON.stringify(value));
      return r.ok ? [] : r.error;
    };
    expect(bad('{nope')[0]).toMatch(/not JSON/);
    expect(bad({ format: 'other' })[0]).toMatch(/not an llmunix-workflow file/);
    expect(bad({ format: 'llmunix-workflow', version: 99, nodes: [], edges: [] })[0]).toMatch(/newer LLMunix/);
    expect(bad({ format: 'llmunix-workflow', version: 1, nodes: [{ id: '../x', skillId: 's', position: { x: 0, y: 0 } }], edges: [] })[0]).toMatch(/^nodes\.0\.id/);
    expect(bad({ ...toWorkflowFile({ name: '', description: '' }, graph), edges: [{ ...graph.edges[0], target: 'zz' }] })[0]).toMatch(/not in the file/);
    const twice = { ...toWorkflowFile({ name: '', description: '' }, graph), nodes: [graph.nodes[0], graph.nodes[0]] };
    expect(bad(twice)).toContain('nodes: id "a" is used by more than one node');
  });
});
