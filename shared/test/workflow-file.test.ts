import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph, WorkflowNote } from '../src/documents/workflow';
import { parseWorkflowFile, toWorkflowFile, WORKFLOW_FORMAT_VERSION } from '../src/workflow/file';

/** A file version 1 wrote (before notes), as the headless runner's tests keep it. */
const V1_FILE = path.join(import.meta.dirname, '../../sync-server/test/headless/fixtures/vqe.workflow.json');

const graph: WorkflowGraph = {
  nodes: [
    { id: 'a', skillId: 'quantum-hamiltonian', label: 'H', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } },
    { id: 'b', skillId: 'quantum-vqe', label: 'V', position: { x: 300, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' }],
};

const notes: WorkflowNote[] = [
  { id: 'n1', text: '# Plan\n\nRun **VQE** at 0.74 Å', position: { x: -40, y: 200 }, size: { width: 260, height: 180 }, color: 'blue' },
  { id: 'n2', text: '', position: { x: 500, y: 0 }, size: { width: 120, height: 60 }, color: 'yellow' },
];

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
    expect(bad({ format: 'llmunix-workflow', version: WORKFLOW_FORMAT_VERSION + 1, nodes: [], edges: [], notes: [] })).toEqual([
      `The file is version ${WORKFLOW_FORMAT_VERSION + 1}, made by a newer LLMunix; this one reads up to version ${WORKFLOW_FORMAT_VERSION}. Update the app.`,
    ]);
    expect(bad({ format: 'llmunix-workflow', version: 1, nodes: [{ id: '../x', skillId: 's', position: { x: 0, y: 0 } }], edges: [] })[0]).toMatch(/^nodes\.0\.id/);
    expect(bad({ ...toWorkflowFile({ name: '', description: '' }, graph), edges: [{ ...graph.edges[0], target: 'zz' }] })[0]).toMatch(/not in the file/);
    const twice = { ...toWorkflowFile({ name: '', description: '' }, graph), nodes: [graph.nodes[0], graph.nodes[0]] };
    expect(bad(twice)).toContain('nodes: id "a" is used by more than one node');
  });

  it('version 2 carries notes, and round-trips them', () => {
    expect(WORKFLOW_FORMAT_VERSION).toBe(2);
    const file = toWorkflowFile({ name: 'H2', description: '' }, { ...graph, notes });
    expect(file).toMatchObject({ version: 2, notes });
    expect(parseWorkflowFile(JSON.stringify(file))).toEqual({ ok: true, value: file });
    // A file written without notes has an empty list, never a missing one.
    expect(toWorkflowFile({ name: '', description: '' }, graph).notes).toEqual([]);
  });

  it('reads a real version-1 file as a workflow without notes', () => {
    const parsed = parseWorkflowFile(fs.readFileSync(V1_FILE, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.error.join('\n'));
    expect(parsed.value.version).toBe(1);
    expect(parsed.value.notes).toEqual([]);
    expect(parsed.value.nodes.map((n) => n.skillId)).toContain('quantum-vqe');
    expect(parsed.value.edges.length).toBeGreaterThan(0);
  });

  it('fills in a missing text and colour of a note, and refuses a bad note saying where', () => {
    const file = (list: unknown[]) => JSON.stringify({ ...toWorkflowFile({ name: '', description: '' }, graph), notes: list });
    const bare = parseWorkflowFile(file([{ id: 'n', position: { x: 1, y: 2 }, size: { width: 100, height: 50 } }]));
    expect(bare.ok && bare.value.notes).toEqual([{ id: 'n', text: '', position: { x: 1, y: 2 }, size: { width: 100, height: 50 }, color: 'yellow' }]);
    const errors = (list: unknown[]) => {
      const r = parseWorkflowFile(file(list));
      return r.ok ? [] : r.error;
    };
    const note = notes[0]!;
    expect(errors([{ ...note, id: 'no spaces' }])[0]).toMatch(/^notes\.0\.id: note ids are letters, digits/);
    expect(errors([note, { ...note, size: { width: 0, height: 10 } }])[0]).toBe('notes.1.size.width: a note is wider than 0');
    expect(errors([{ ...note, color: 'mauve' }])[0]).toBe("notes.0.color: a note's colour is one of yellow, blue, green, pink, grey");
    expect(errors([{ ...note, text: 7 }])[0]).toMatch(/^notes\.0\.text: /);
    expect(errors([{ ...note, position: { x: 0 } }])[0]).toMatch(/^notes\.0\.position\.y: /);
    expect(errors([{ ...note, extra: true }])[0]).toMatch(/^notes\.0: .*extra/);
    expect(errors([note, note])).toEqual(['notes: id "n1" is used by more than one note']);
    expect(errors([{ ...note, id: 'a' }])).toEqual(['notes: id "a" is also a node\'s id; give the note another']);
    expect(errors({ length: 1 } as unknown as unknown[])[0]).toMatch(/^notes: /);
  });
});
