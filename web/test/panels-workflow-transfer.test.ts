import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import { copyName, exportFileName, importedName, withFreshIds } from '../src/panels/workflow-transfer';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'a', skillId: 'quantum-hamiltonian', label: 'H', position: { x: 0, y: 10 }, inputs: { bond_length: 0.74, opts: { deep: [1] } } },
    { id: 'b', skillId: 'quantum-vqe', label: 'VQE', position: { x: 200, y: 10 }, inputs: {} },
  ],
  edges: [
    { id: 'e1', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' },
    { id: 'dangling', source: 'a', sourceHandle: 'x', target: 'gone', targetHandle: 'y' },
  ],
};

function counter(): () => string {
  let n = 0;
  return () => `id-${++n}`;
}

describe('withFreshIds', () => {
  it('gives every node and edge a new id and rewires edges to the new node ids', () => {
    const copy = withFreshIds(graph, counter());
    expect(copy.nodes.map((n) => n.id)).toEqual(['id-1', 'id-2']);
    expect(copy.edges).toEqual([{ id: 'id-3', source: 'id-1', sourceHandle: 'hamiltonian', target: 'id-2', targetHandle: 'hamiltonian' }]);
    expect(copy.nodes.map(({ id: _id, ...rest }) => rest)).toEqual(graph.nodes.map(({ id: _id, ...rest }) => rest));
  });

  it('drops edges whose ends are not in the graph', () => {
    expect(withFreshIds(graph, counter()).edges).toHaveLength(1);
  });

  it('copies positions and inputs deeply, so editing the copy leaves the original alone', () => {
    const copy = withFreshIds(graph, counter());
    const first = copy.nodes[0]!;
    first.position.x = 99;
    (first.inputs.opts as { deep: number[] }).deep.push(2);
    expect(graph.nodes[0]!.position.x).toBe(0);
    expect(graph.nodes[0]!.inputs.opts).toEqual({ deep: [1] });
  });

  it('uses random UUIDs by default, never the old ids', () => {
    const copy = withFreshIds(graph);
    for (const n of copy.nodes) expect(n.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set([...copy.nodes, ...copy.edges].map((x) => x.id)).size).toBe(3);
  });
});

describe('names', () => {
  it('names a duplicate "… (copy)"', () => {
    expect(copyName('VQE study')).toBe('VQE study (copy)');
    expect(copyName('  ')).toBe('Untitled workflow (copy)');
  });

  it('makes export file names safe for any file system', () => {
    expect(exportFileName('VQE study')).toBe('VQE study.llmunix-workflow.json');
    expect(exportFileName('a/b:c*?"<>|d')).toBe('a-b-c-d.llmunix-workflow.json');
    expect(exportFileName('..')).toBe('workflow.llmunix-workflow.json');
    expect(exportFileName('')).toBe('workflow.llmunix-workflow.json');
  });

  it('names an import after the workflow in the file, else after the file', () => {
    expect(importedName('Inside', 'outside.llmunix-workflow.json')).toBe('Inside');
    expect(importedName('', 'outside.llmunix-workflow.json')).toBe('outside');
    expect(importedName('', 'plain.JSON')).toBe('plain');
    expect(importedName('', '.json')).toBe('Imported workflow');
  });
});
