// The view logic that binds the canvas to the workflow document (web/src/canvas/flow-binding.ts).
// Whether a connection is allowed is shared/src/workflow/connection.ts's, tested in shared/test.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { putEdge, putNode, readWorkflowGraph, type WorkflowNode } from '../../shared/src/documents/workflow';
import { ORIGIN } from '../../shared/src/origins';
import {
  addSkillNode,
  applyEdgeChanges,
  applyNodeChanges,
  connect,
  copyNodes,
  deleteSelection,
  moveNodesBy,
  pasteClip,
  renameNode,
  setLiteralInput,
  WorkflowView,
} from '../src/canvas/flow-binding';
import { testSkill } from '../../shared/test/skill-fixture';


const SKILLS = new Map([
  ['ham', testSkill('ham', [['bond_length', 'number', 0.735]], [['hamiltonian', 'object']])],
  ['vqe', testSkill('vqe', [['hamiltonian', 'object'], ['max_iterations', 'integer', 300]], [['eigenvalue', 'number'], ['convergence_trace', 'array']])],
  ['plot', testSkill('plot', [['convergence_trace', 'array']], [['svg', 'string']])],
]);
const lookup = (id: string) => SKILLS.get(id);

const node = (id: string, skillId: string, x = 0): WorkflowNode => ({ id, skillId, label: skillId, position: { x, y: 0 }, inputs: {} });

function workflow(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    putNode(doc, node('a', 'ham'));
    putNode(doc, node('b', 'vqe', 300));
    putNode(doc, node('c', 'plot', 600));
    putEdge(doc, { id: 'e1', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' });
  });
  return doc;
}

describe('WorkflowView', () => {
  it('draws every node with its skill ports, wired inputs and selection', () => {
    const doc = workflow();
    const view = new WorkflowView();
    const nodes = view.nodes(readWorkflowGraph(doc), lookup, new Set(['b']));
    expect(nodes.map((n) => [n.id, n.type, n.selected])).toEqual([
      ['a', 'skill', false],
      ['b', 'skill', true],
      ['c', 'skill', false],
    ]);
    const b = nodes.find((n) => n.id === 'b')!;
    expect(b.data.skill?.inputs.map((p) => p.name)).toEqual(['hamiltonian', 'max_iterations']);
    expect(b.data.wired).toEqual(['hamiltonian']);
    expect(view.edges(readWorkflowGraph(doc), new Set())).toEqual([
      { id: 'e1', source: 'a', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian', selected: false },
    ]);
  });

  it('reuses the node objects that did not change, so only a moved node re-renders', () => {
    const doc = workflow();
    const view = new WorkflowView();
    const first = view.nodes(readWorkflowGraph(doc), lookup, new Set());
    applyNodeChanges(doc, [{ type: 'position', id: 'b', position: { x: 310, y: 5 }, dragging: true }]);
    const second = view.nodes(readWorkflowGraph(doc), lookup, new Set());
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.position).toEqual({ x: 310, y: 5 });
  });

  it('carries measured sizes (React Flow hides unmeasured nodes) and who else selected a node', () => {
    const doc = workflow();
    const view = new WorkflowView();
    const nodes = view.nodes(readWorkflowGraph(doc), lookup, new Set(), [{ name: 'Ada', color: '#f00', nodes: ['c'] }], new Map([['a', { width: 220, height: 90 }]]));
    expect(nodes[0]?.measured).toEqual({ width: 220, height: 90 });
    expect(nodes[1]?.measured).toBeUndefined();
    expect(nodes[2]?.data.selectedBy).toEqual([{ name: 'Ada', color: '#f00' }]);
  });

  it('marks a node whose skill no volume has', () => {
    const doc = new Y.Doc();
    putNode(doc, node('x', 'nowhere'));
    expect(new WorkflowView().nodes(readWorkflowGraph(doc), lookup, new Set())[0]?.data.skill).toBeUndefined();
  });
});

describe('writing canvas changes to the document', () => {
  it('moves and removals go to the document as one local transaction; selection and sizes stay in the view', () => {
    const doc = workflow();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    const result = applyNodeChanges(doc, [
      { type: 'position', id: 'a', position: { x: 5, y: 6 } },
      { type: 'select', id: 'c', selected: true },
      { type: 'dimensions', id: 'c', dimensions: { width: 200, height: 80 } },
      { type: 'remove', id: 'b' },
    ]);
    expect(origins).toEqual([ORIGIN.local]);
    const graph = readWorkflowGraph(doc);
    expect(graph.nodes.find((n) => n.id === 'a')?.position).toEqual({ x: 5, y: 6 });
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['a', 'c']);
    expect(graph.edges).toEqual([]);
    expect(result).toEqual({ selection: [{ id: 'c', selected: true }], measured: [{ id: 'c', size: { width: 200, height: 80 } }] });
  });

  it('a pure selection change writes nothing', () => {
    const doc = workflow();
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    applyNodeChanges(doc, [{ type: 'select', id: 'a', selected: true }]);
    applyEdgeChanges(doc, [{ type: 'select', id: 'e1', selected: true }]);
    expect(transactions).toBe(1);
    expect(readWorkflowGraph(doc).edges).toHaveLength(1);
  });

  it('edge removals are written', () => {
    const doc = workflow();
    applyEdgeChanges(doc, [{ type: 'remove', id: 'e1' }]);
    expect(readWorkflowGraph(doc).edges).toEqual([]);
  });
});

describe('connections', () => {
  it('connects matching ports', () => {
    const doc = workflow();
    const check = connect(doc, readWorkflowGraph(doc), { source: 'b', sourceHandle: 'convergence_trace', target: 'c', targetHandle: 'convergence_trace' }, lookup);
    expect(check).toEqual({ ok: true });
    expect(readWorkflowGraph(doc).edges.map((e) => `${e.source}.${e.sourceHandle}->${e.target}.${e.targetHandle}`)).toContain(
      'b.convergence_trace->c.convergence_trace',
    );
  });

  it('refuses mismatched types and says why, writing nothing', () => {
    const doc = workflow();
    const before = Y.encodeStateAsUpdate(doc);
    const check = connect(doc, readWorkflowGraph(doc), { source: 'b', sourceHandle: 'eigenvalue', target: 'c', targetHandle: 'convergence_trace' }, lookup);
    expect(check).toEqual({ ok: false, reason: 'Types do not match: output "eigenvalue" is number but input "convergence_trace" takes array.' });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it('rewires an input that is already fed, in one transaction', () => {
    const doc = workflow();
    putNode(doc, node('a2', 'ham', 50));
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    const check = connect(doc, readWorkflowGraph(doc), { source: 'a2', sourceHandle: 'hamiltonian', target: 'b', targetHandle: 'hamiltonian' }, lookup);
    expect(check).toEqual({ ok: true, replaces: 'e1' });
    expect(transactions).toBe(1);
    expect(readWorkflowGraph(doc).edges.map((e) => e.source)).toEqual(['a2']);
  });
});

describe('editing', () => {
  it('adds a node for a skill, sets and clears literals', () => {
    const doc = new Y.Doc();
    const id = addSkillNode(doc, { skill_id: 'vqe', name: 'VQE' }, { x: 10, y: 20 });
    setLiteralInput(doc, id, 'max_iterations', 50);
    expect(readWorkflowGraph(doc).nodes).toEqual([{ id, skillId: 'vqe', label: 'VQE', position: { x: 10, y: 20 }, inputs: { max_iterations: 50 } }]);
    setLiteralInput(doc, id, 'max_iterations', undefined);
    expect(readWorkflowGraph(doc).nodes[0]?.inputs).toEqual({});
  });

  it('copy and paste duplicate nodes and their inner edges with fresh ids, offset', () => {
    const doc = workflow();
    const clip = copyNodes(readWorkflowGraph(doc), new Set(['a', 'b']));
    expect(clip.edges.map((e) => e.id)).toEqual(['e1']);
    const ids = pasteClip(doc, clip, { x: 40, y: 40 });
    const graph = readWorkflowGraph(doc);
    expect(graph.nodes).toHaveLength(5);
    expect(ids.every((i) => !['a', 'b', 'c'].includes(i))).toBe(true);
    const pasted = graph.edges.find((e) => e.id !== 'e1');
    expect(pasted && ids.includes(pasted.source) && ids.includes(pasted.target)).toBe(true);
    expect(graph.nodes.find((n) => n.id === ids[1])?.position).toEqual({ x: 340, y: 40 });
  });

  it('deletes a selection in one undoable step, and undo restores it', () => {
    const doc = workflow();
    const undo = new Y.UndoManager([doc.getMap('nodes'), doc.getMap('edges')], { trackedOrigins: new Set([ORIGIN.local]) });
    deleteSelection(doc, ['a'], []);
    expect(readWorkflowGraph(doc).nodes.map((n) => n.id)).toEqual(['b', 'c']);
    expect(readWorkflowGraph(doc).edges).toEqual([]);
    undo.undo();
    expect(readWorkflowGraph(doc).nodes.map((n) => n.id).sort()).toEqual(['a', 'b', 'c']);
    expect(readWorkflowGraph(doc).edges.map((e) => e.id)).toEqual(['e1']);
  });

  it('renames a node and moves a selection by an offset, each one undoable step', () => {
    const doc = workflow();
    const undo = new Y.UndoManager([doc.getMap('nodes'), doc.getMap('edges')], { trackedOrigins: new Set([ORIGIN.local]) });
    renameNode(doc, 'b', 'Ground state');
    expect(readWorkflowGraph(doc).nodes.find((n) => n.id === 'b')?.label).toBe('Ground state');
    undo.stopCapturing();
    moveNodesBy(doc, readWorkflowGraph(doc), new Set(['a', 'c']), { x: 20, y: -20 });
    const at = () => readWorkflowGraph(doc).nodes.map((n) => [n.id, n.position.x, n.position.y]);
    expect(at()).toEqual([['a', 20, -20], ['b', 300, 0], ['c', 620, -20]]);
    undo.undo();
    expect(at()).toEqual([['a', 0, 0], ['b', 300, 0], ['c', 600, 0]]);
    undo.undo();
    expect(readWorkflowGraph(doc).nodes.find((n) => n.id === 'b')?.label).toBe('vqe');
  });

  it('undo tracks only local edits, not a collaborator’s', () => {
    const mine = new Y.Doc();
    const theirs = new Y.Doc();
    const undo = new Y.UndoManager([mine.getMap('nodes'), mine.getMap('edges')], { trackedOrigins: new Set([ORIGIN.local]) });
    addSkillNode(mine, { skill_id: 'ham', name: 'H' }, { x: 0, y: 0 });
    addSkillNode(theirs, { skill_id: 'plot', name: 'P' }, { x: 0, y: 0 });
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(theirs), 'remote');
    undo.undo();
    expect(readWorkflowGraph(mine).nodes.map((n) => n.skillId)).toEqual(['plot']);
  });
});
