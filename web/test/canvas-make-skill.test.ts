// Make skill and Unpack on the shared documents (web/src/canvas/make-skill.ts, unpack.ts) and the
// assistant's make_compound_skill (web/src/chat/make-compound-tool.ts): the skill lands in the
// person's volume, the workflow changes in one transaction, and one undo takes it back exactly.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listSkillSources } from '../../shared/src/documents/volume-index';
import { putEdge, putNode, readWorkflowGraph, setNodeInput, type WorkflowGraph, type WorkflowNode } from '../../shared/src/documents/workflow';
import { ORIGIN } from '../../shared/src/origins';
import { readSkill, type CompoundSkill } from '../../shared/src/skill/parse';
import type { NodeSkillFrontmatter } from '../../shared/src/workflow/validate';
import { testSkill } from '../../shared/test/skill-fixture';
import { canvasAction, onlyReads } from '../src/canvas/canvas-keys';
import { makeSkill, type MakeSkillTarget } from '../src/canvas/make-skill';
import { unpackNode } from '../src/canvas/unpack';
import { applyTool, type ToolTarget } from '../src/chat/tools';
import { workflowUndo } from '../src/documents/undo';

const SKILLS = [
  testSkill('source', [], [['value', 'number']]),
  testSkill('square', [['x', 'number'], ['scale', 'number', 2]], [['y', 'number']]),
  testSkill('format', [['y', 'number'], ['prefix', 'string']], [['text', 'string']]),
  testSkill('show', [['text', 'string']], []),
];

const node = (id: string, skillId: string, x: number, inputs = {}): WorkflowNode => ({ id, skillId, label: skillId, position: { x, y: 0 }, inputs });

/** source → square → format → show, in a document whose edits so far are not the person's. */
function chain(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    putNode(doc, node('src', 'source', 0));
    putNode(doc, node('sq', 'square', 300, { scale: 3 }));
    putNode(doc, node('fmt', 'format', 600, { prefix: 'r=' }));
    putNode(doc, node('sink', 'show', 900));
    putEdge(doc, { id: 'a', source: 'src', sourceHandle: 'value', target: 'sq', targetHandle: 'x' });
    putEdge(doc, { id: 'b', source: 'sq', sourceHandle: 'y', target: 'fmt', targetHandle: 'y' });
    putEdge(doc, { id: 'c', source: 'fmt', sourceHandle: 'text', target: 'sink', targetHandle: 'text' });
  }, ORIGIN.rest);
  return doc;
}

/** A graph with its nodes and edges in id order, to compare documents. */
const sorted = (g: WorkflowGraph): WorkflowGraph => ({ nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)) });

/** The library: the test skills and whatever compound skills the volume holds now. */
function library(skills: Y.Doc) {
  const compound = (id: string): CompoundSkill | undefined => {
    const source = listSkillSources(skills).get(id);
    const read = source === undefined ? undefined : readSkill(source, { file: `${id}.md` });
    return read?.ok && read.value.kind === 'compound' ? read.value : undefined;
  };
  const lookup = (id: string): NodeSkillFrontmatter | undefined => SKILLS.find((s) => s.skill_id === id) ?? compound(id)?.frontmatter;
  return { lookup, compound };
}

describe('Make skill on the canvas', () => {
  it('writes the skill, replaces the selection in one undo step amid other edits, and Unpack is one step too', () => {
    const doc = chain();
    const skills = new Y.Doc();
    const original = sorted(readWorkflowGraph(doc));
    const undo = workflowUndo(doc);
    const { lookup, compound } = library(skills);
    const target: MakeSkillTarget = { workflow: doc, skills, lookup, known: (id) => lookup(id) !== undefined, undo };
    // An edit just before, inside the half second Yjs would merge into one step.
    doc.transact(() => setNodeInput(doc, 'src', 'note', 1), ORIGIN.local);
    const made = makeSkill(target, { nodes: ['sq', 'fmt'], name: 'Square and format', skillId: 'square-format', description: '', promote: [{ node: 'fmt', port: 'prefix' }] }, ORIGIN.local);
    if (!made.ok) throw new Error(made.error);
    const graph = readWorkflowGraph(doc);
    doc.transact(() => setNodeInput(doc, 'sink', 'note', 2), ORIGIN.local);

    expect(compound('square-format')?.frontmatter.inputs.map((p) => p.name)).toEqual(['x', 'prefix']);
    expect(graph.nodes.map((n) => n.id).sort()).toEqual(['sink', 'square-format', 'src']);
    expect(graph.nodes.find((n) => n.id === 'square-format')?.inputs).toEqual({ prefix: 'r=' });

    undo.undo(); // the edit after
    undo.undo(); // the make, whole
    const restored = sorted(readWorkflowGraph(doc));
    expect(restored.edges).toEqual(original.edges);
    expect(restored.nodes).toEqual(original.nodes.map((n) => (n.id === 'src' ? { ...n, inputs: { note: 1 } } : n)));
    undo.redo();
    expect(sorted(readWorkflowGraph(doc))).toEqual(sorted(graph));
    // The skill stays in the library whatever the workflow's history does.
    expect(listSkillSources(skills).has('square-format')).toBe(true);

    const unpacked = unpackNode(doc, 'square-format', library(skills), ORIGIN.local, undo);
    if (!unpacked.ok) throw new Error(unpacked.error);
    expect(unpacked.value).toEqual(['square', 'format']);
    const flat = readWorkflowGraph(doc);
    expect(flat.nodes.find((n) => n.id === 'format')?.inputs).toEqual({ prefix: 'r=' });
    expect(flat.nodes.find((n) => n.id === 'square')?.inputs).toEqual({ scale: 3 });
    undo.undo();
    expect(sorted(readWorkflowGraph(doc))).toEqual(sorted(graph));
  });

  it('changes nothing when refused, and says why', () => {
    const doc = chain();
    const skills = new Y.Doc();
    const before = readWorkflowGraph(doc);
    const { lookup } = library(skills);
    const made = makeSkill({ workflow: doc, skills, lookup, known: () => false }, { nodes: ['sq', 'sink'], name: 'Loop', skillId: 'loop', description: '', promote: [] }, ORIGIN.local);
    expect(made).toEqual({ ok: false, error: expect.stringMatching(/^The selection feeds itself through "format" \(fmt\)/) });
    expect(readWorkflowGraph(doc)).toEqual(before);
    expect(listSkillSources(skills).size).toBe(0);
    expect(unpackNode(doc, 'sq', library(skills), ORIGIN.local)).toEqual({ ok: false, error: expect.stringMatching(/^"square" is not a compound skill in your library/) });
  });
});

describe('Make skill and Unpack keys', () => {
  it('Ctrl+G makes a skill, Ctrl+Shift+G unpacks; both change the workflow, so a read-only link has neither', () => {
    const keys = { ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
    const make = canvasAction({ ...keys, key: 'g' });
    const unpack = canvasAction({ ...keys, key: 'G', shiftKey: true });
    expect([make, unpack]).toEqual([{ kind: 'make-skill' }, { kind: 'unpack' }]);
    expect([onlyReads(make!), onlyReads(unpack!)]).toEqual([false, false]);
    expect(canvasAction({ ...keys, key: 'g', ctrlKey: false })).toBeUndefined();
  });
});

describe('make_compound_skill from the chat', () => {
  function target(doc: Y.Doc, skills: Y.Doc): ToolTarget {
    const { lookup } = library(skills);
    return { workflow: doc, skills, lookup, library: lookup, skillFormat: () => Promise.reject(new Error('not used')) };
  }

  it('makes the skill the assistant names, in its own volume, as the assistant’s undoable change', async () => {
    const doc = chain();
    const skills = new Y.Doc();
    const original = sorted(readWorkflowGraph(doc));
    const undo = workflowUndo(doc);
    const outcome = await applyTool('make_compound_skill', { node_ids: ['sq', 'fmt'], name: 'Square and format', promote: [{ node: 'sq', port: 'scale' }] }, target(doc, skills));
    expect(outcome.isError).toBe(false);
    expect(JSON.parse(outcome.content)).toEqual({ skill_id: 'square-and-format', node_id: 'square-and-format', inputs: ['x: number', 'scale: number'], outputs: ['text: string'], saved_to: 'your volume' });
    expect(library(skills).compound('square-and-format')?.frontmatter.inputs).toEqual([{ name: 'x', type: 'number' }, { name: 'scale', type: 'number', default: 3 }]);
    expect(readWorkflowGraph(doc).edges.map((e) => `${e.source}.${e.sourceHandle}→${e.target}.${e.targetHandle}`).sort()).toEqual([
      'square-and-format.text→sink.text',
      'src.value→square-and-format.x',
    ]);
    undo.undo();
    expect(sorted(readWorkflowGraph(doc))).toEqual(original);

    // The same name again: the id taken, a free one is made.
    const again = await applyTool('make_compound_skill', { node_ids: ['sq'], name: 'Square and format' }, target(doc, skills));
    expect(JSON.parse(again.content).skill_id).toBe('square-and-format-2');
  });

  it('answers a refusal with what is wrong, changing nothing', async () => {
    const doc = chain();
    const skills = new Y.Doc();
    const before = readWorkflowGraph(doc);
    const unknown = await applyTool('make_compound_skill', { node_ids: ['sq', 'nope'], name: 'X' }, target(doc, skills));
    expect(unknown).toEqual({ isError: true, content: 'No node "nope" in the workflow: name nodes that are in it.' });
    const badPromote = await applyTool('make_compound_skill', { node_ids: ['sq'], name: 'X', promote: [{ node: 'sq' }] }, target(doc, skills));
    expect(badPromote.content).toMatch(/each "promote" entry is \{ "node": a node id, "port": an input name \}/);
    expect(readWorkflowGraph(doc)).toEqual(before);
    expect(listSkillSources(skills).size).toBe(0);
  });
});
