/*
 * Make skill and Unpack (issue 16): a selection becomes a compound skill and one node of it, with
 * crossing edges rewired and chosen literals promoted; unpacking gives the graph back up to ids,
 * nested compounds included; the made graph expands to the flat one the executor ran before.
 */
import { describe, expect, it } from 'vitest';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../src/documents/workflow';
import { expandCompounds } from '../src/execution/expand-compound';
import type { Json } from '../src/json';
import { formatSkillError, readSkill, type CompoundSkill } from '../src/skill/parse';
import { inputDefault } from '../src/skill/ports';
import type { CompoundFrontmatter } from '../src/skill/schema';
import { makeCompound, proposeCompound, type MadeCompound, type MakeCompoundOptions } from '../src/workflow/make-compound';
import { unpackCompound } from '../src/workflow/unpack-compound';
import { validateWorkflow, type NodeSkillFrontmatter, type SkillLookup } from '../src/workflow/validate';
import { testSkill } from './skill-fixture';

const SKILLS = [
  testSkill('source', [], [['value', 'number']]),
  testSkill('count', [], [['n', 'integer']]),
  testSkill('square', [['x', 'number'], ['scale', 'number', 2]], [['y', 'number']]),
  testSkill('format', [['y', 'number'], ['prefix', 'string'], ['digits', 'integer', 3]], [['text', 'string'], ['length', 'integer']]),
  testSkill('show', [['text', 'string']], []),
  testSkill('pair', [['a', 'number'], ['b', 'integer']], [['sum', 'number']]),
];

/** A library of the test skills and the compound skills made so far (read back from their files). */
class Library {
  private compounds = new Map<string, CompoundSkill>();
  lookup: SkillLookup = (id) => SKILLS.find((s) => s.skill_id === id) ?? (this.compounds.get(id)?.frontmatter as NodeSkillFrontmatter | undefined);
  compound = (id: string) => this.compounds.get(id);
  add(made: MadeCompound): CompoundSkill {
    const read = readSkill(made.markdown, { file: 'made.md' });
    if (!read.ok) throw new Error(read.error.map(formatSkillError).join('\n'));
    if (read.value.kind !== 'compound') throw new Error(`read as ${read.value.kind}`);
    this.compounds.set(read.value.frontmatter.skill_id, read.value);
    return read.value;
  }
}

const node = (id: string, skillId: string, x: number, y: number, inputs: Record<string, Json> = {}): WorkflowNode => ({ id, skillId, label: id.toUpperCase(), position: { x, y }, inputs });
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string): WorkflowEdge => ({ id, source, sourceHandle, target, targetHandle });

/** src → square → format → show, format's prefix set and its digits left at the default. */
const CHAIN: WorkflowGraph = {
  nodes: [node('src', 'source', 0, 0), node('sq', 'square', 300, 0), node('fmt', 'format', 600, 80, { prefix: 'r=' }), node('sink', 'show', 900, 0)],
  edges: [edge('a', 'src', 'value', 'sq', 'x'), edge('b', 'sq', 'y', 'fmt', 'y'), edge('c', 'fmt', 'text', 'sink', 'text')],
};

function made(result: ReturnType<typeof makeCompound>): MadeCompound {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/**
 * A graph as the executor sees it, ids aside: each node by skill, position and effective inputs
 * (set, or the port's default), each edge by its ends' positions in that order.
 */
function canonical(graph: WorkflowGraph, lookup: SkillLookup, withPositions = true) {
  const key = (n: WorkflowNode) => {
    const ports = lookup(n.skillId)?.inputs ?? [];
    const effective = Object.fromEntries(ports.flatMap((p) => {
      const v = Object.hasOwn(n.inputs, p.name) ? n.inputs[p.name] : inputDefault(p);
      return v === undefined ? [] : [[p.name, v]];
    }));
    return JSON.stringify([n.skillId, withPositions ? n.position : null, effective]);
  };
  const keys = new Map(graph.nodes.map((n) => [n.id, key(n)]));
  return {
    nodes: [...keys.values()].sort(),
    edges: graph.edges.map((e) => JSON.stringify([keys.get(e.source), e.sourceHandle, keys.get(e.target), e.targetHandle])).sort(),
  };
}

const OPTIONS: MakeCompoundOptions = { name: 'Square and format', skillId: 'square-format', description: 'Squares, then formats.' };

describe('makeCompound', () => {
  it('turns entering edges into inputs and leaving ones into outputs, promotes a set literal and a default, and rewires the workflow', () => {
    const lib = new Library();
    const result = made(makeCompound(CHAIN, ['sq', 'fmt'], lib.lookup, { ...OPTIONS, promote: [{ node: 'fmt', port: 'prefix' }, { node: 'sq', port: 'scale' }] }));
    expect(result.inputs).toEqual([
      { name: 'x', type: 'number' },
      { name: 'scale', type: 'number', default: 2 },
      { name: 'prefix', type: 'string', default: 'r=' },
    ]);
    // `length` goes nowhere, so it is a result the compound gives too.
    expect(result.outputs).toEqual([{ name: 'text', type: 'string' }, { name: 'length', type: 'integer' }]);
    expect(result.inside).toEqual({
      nodes: [
        { id: 'square', skillId: 'square', label: 'SQ', position: { x: 0, y: 0 }, inputs: {} },
        { id: 'format', skillId: 'format', label: 'FMT', position: { x: 300, y: 80 }, inputs: {} },
      ],
      edges: [{ id: 'e1', source: 'square', sourceHandle: 'y', target: 'format', targetHandle: 'y' }],
      inputs: [
        { name: 'x', targets: [{ node: 'square', port: 'x' }] },
        { name: 'scale', targets: [{ node: 'square', port: 'scale' }] },
        { name: 'prefix', targets: [{ node: 'format', port: 'prefix' }] },
      ],
      outputs: [{ name: 'text', node: 'format', port: 'text' }, { name: 'length', node: 'format', port: 'length' }],
    });
    expect(result.literals).toEqual([
      { node: 'sq', port: 'scale', type: 'number', value: 2, set: false },
      { node: 'fmt', port: 'prefix', type: 'string', value: 'r=', set: true },
      { node: 'fmt', port: 'digits', type: 'integer', value: 3, set: false },
    ]);
    // One node at the selection's centre, carrying the promoted literal that was set.
    expect(result.node).toEqual({ id: 'square-format', skillId: 'square-format', label: 'Square and format', position: { x: 450, y: 40 }, inputs: { prefix: 'r=' } });
    expect(result.graph.nodes.map((n) => n.id)).toEqual(['src', 'sink', 'square-format']);
    expect(result.graph.edges).toEqual([edge('a', 'src', 'value', 'square-format', 'x'), edge('c', 'square-format', 'text', 'sink', 'text')]);

    const skill = lib.add(result);
    expect(skill.frontmatter).toMatchObject({ name: 'Square and format', skill_id: 'square-format', type: 'compound', description: 'Squares, then formats.' });
    expect(skill.inside).toEqual(result.inside);
    expect(validateWorkflow(result.graph, lib.lookup, lib.compound)).toEqual([]);
  });

  it('the made workflow expands to what the flat one ran: the same inner nodes, inputs and edges', () => {
    const lib = new Library();
    const result = made(makeCompound(CHAIN, ['sq', 'fmt'], lib.lookup, { ...OPTIONS, promote: [{ node: 'fmt', port: 'prefix' }, { node: 'sq', port: 'scale' }] }));
    lib.add(result);
    const flat = expandCompounds(result.graph, lib.compound).graph;
    expect(canonical(flat, lib.lookup, false)).toEqual(canonical(CHAIN, lib.lookup, false));
    // A value typed on the compound node reaches the inner node it was promoted from.
    const edited = { ...result.graph, nodes: result.graph.nodes.map((n) => (n.id === 'square-format' ? { ...n, inputs: { prefix: 'p:', scale: 5 } } : n)) };
    const inner = expandCompounds(edited, lib.compound).graph.nodes;
    expect(inner.find((n) => n.id === 'square-format/format')?.inputs).toEqual({ prefix: 'p:' });
    expect(inner.find((n) => n.id === 'square-format/square')?.inputs).toEqual({ scale: 5 });
  });

  it('one outer output feeding two inner ports is one input with two targets, typed to fit both', () => {
    const lib = new Library();
    const graph: WorkflowGraph = {
      nodes: [node('c', 'count', 0, 0), node('p1', 'pair', 300, 0), node('p2', 'pair', 300, 200)],
      edges: [edge('e1', 'c', 'n', 'p1', 'a'), edge('e2', 'c', 'n', 'p1', 'b'), edge('e3', 'c', 'n', 'p2', 'a')],
    };
    const result = made(makeCompound(graph, ['p1', 'p2'], lib.lookup, OPTIONS));
    // number and integer ports fed by an integer output: the input is an integer.
    expect(result.inputs).toEqual([{ name: 'a', type: 'integer' }, { name: 'b', type: 'integer' }]);
    expect(result.inside.inputs).toEqual([
      { name: 'a', targets: [{ node: 'pair', port: 'a' }, { node: 'pair', port: 'b' }, { node: 'pair-2', port: 'a' }] },
      { name: 'b', targets: [{ node: 'pair-2', port: 'b' }] },
    ]);
    expect(result.outputs).toEqual([{ name: 'sum', type: 'number' }, { name: 'sum_2', type: 'number' }]);
    expect(result.graph.edges).toEqual([edge('e1', 'c', 'n', 'square-format', 'a')]);
    lib.add(result);
    // The second pair's `b` is required and nothing gives it: it is an input, left unset as it was.
    expect(validateWorkflow(result.graph, lib.lookup, lib.compound).map((i) => i.code)).toEqual(['missing_input']);
    const back = unpackCompound(result.graph, result.node.id, lib.compound('square-format')!, lib.lookup);
    if (!back.ok) throw new Error(back.error.message);
    expect(canonical(back.value.graph, lib.lookup)).toEqual(canonical(graph, lib.lookup));
    expect(back.value.graph.edges.filter((e) => e.source === 'c').map((e) => e.id)).toEqual(['e1', 'e1-2', 'e1-3']);
  });

  it('offers no ports for what stays inside, and keeps unconnected literals on their inner nodes', () => {
    const lib = new Library();
    const result = made(makeCompound(CHAIN, ['src', 'sq', 'fmt', 'sink'], lib.lookup, OPTIONS));
    expect(result.inputs).toEqual([]);
    expect(result.outputs).toEqual([{ name: 'length', type: 'integer' }]);
    expect(result.inside.nodes.find((n) => n.id === 'format')?.inputs).toEqual({ prefix: 'r=' });
    expect(result.graph).toEqual({ nodes: [result.node], edges: [] });
  });

  it('refuses clearly, changing nothing: empty selection, unknown node or skill, an outer loop, a bad promotion, name or id', () => {
    const lib = new Library();
    const refusal = (ids: string[], options: Partial<MakeCompoundOptions> = {}, graph = CHAIN) => {
      const result = makeCompound(graph, ids, lib.lookup, { ...OPTIONS, ...options });
      if (result.ok) throw new Error('expected a refusal');
      return result.error;
    };
    expect(refusal([])).toMatchObject({ code: 'empty_selection', message: expect.stringMatching(/Nothing is selected/) });
    expect(refusal(['sq', 'ghost'])).toMatchObject({ code: 'unknown_node', nodes: ['ghost'] });
    const unknownSkill = { ...CHAIN, nodes: [...CHAIN.nodes, node('old', 'retired-skill', 0, 300)] };
    expect(refusal(['sq', 'old'], {}, unknownSkill)).toEqual({
      code: 'unknown_skill',
      nodes: ['old'],
      message: 'Node "OLD" (old) uses skill "retired-skill", which is in none of your volumes, so its ports are unknown. Import the skill, or leave the node out of the selection.',
    });
    // sq → fmt → sink with sq and sink selected: fmt would take from the compound and feed it.
    const loop = refusal(['sq', 'sink']);
    expect(loop.code).toBe('cycle');
    expect(loop.nodes).toEqual(['fmt']);
    expect(loop.message).toBe('The selection feeds itself through "FMT" (fmt) ("SQ" (sq) → "FMT" (fmt) → "SINK" (sink)): as one node it would be a cycle. Add that node to the selection, or leave out the nodes on either side.');
    expect(refusal(['sq', 'fmt'], { promote: [{ node: 'fmt', port: 'y' }] })).toMatchObject({ code: 'not_promotable', nodes: ['fmt'], message: expect.stringContaining('"y" of node "FMT" (fmt) is not one. Promote one of: sq.scale, fmt.prefix, fmt.digits') });
    expect(refusal(['sq'], { name: '  ' }).code).toBe('invalid_name');
    expect(refusal(['sq'], { skillId: 'no spaces' }).message).toMatch(/^The skill id "no spaces" must be 1–128 letters/);
    expect(refusal(['sq'], { skillId: 'square' })).toMatchObject({ code: 'skill_id_taken', message: 'A skill with the id "square" exists already: choose another id.' });
    expect(refusal(['sq'], { skillId: 'mine', taken: (id) => id === 'mine' }).code).toBe('skill_id_taken');
  });

  it('proposes the ports without a name, as the dialog shows them while it is typed', () => {
    const lib = new Library();
    const proposal = proposeCompound(CHAIN, ['fmt'], lib.lookup, [{ node: 'fmt', port: 'digits' }]);
    if (!proposal.ok) throw new Error(proposal.error.message);
    expect(proposal.value.inputs.map((p) => p.name)).toEqual(['y', 'digits']);
    expect(proposal.value.outputs.map((p) => p.name)).toEqual(['text', 'length']);
  });
});

describe('unpackCompound', () => {
  it('gives back the graph it was made from, promoted literals on their nodes, positions and crossing edge ids kept', () => {
    const lib = new Library();
    const result = made(makeCompound(CHAIN, ['sq', 'fmt'], lib.lookup, { ...OPTIONS, promote: [{ node: 'fmt', port: 'prefix' }, { node: 'sq', port: 'scale' }] }));
    const back = unpackCompound(result.graph, result.node.id, lib.add(result), lib.lookup);
    if (!back.ok) throw new Error(back.error.message);
    expect(canonical(back.value.graph, lib.lookup)).toEqual(canonical(CHAIN, lib.lookup));
    // Literals exactly as they were: the default stays a default, the set literal comes back set.
    expect(back.value.graph.nodes.map((n) => n.inputs)).toEqual([{}, {}, {}, { prefix: 'r=' }]);
    expect(back.value.nodes).toEqual(['square', 'format']);
    expect(back.value.graph.edges.map((e) => e.id).sort()).toEqual(['a', 'c', 'e1']);
  });

  it('makes ids unique in the workflow and sets an edited literal or a changed default on the inner nodes', () => {
    const lib = new Library();
    const result = made(makeCompound(CHAIN, ['sq', 'fmt'], lib.lookup, { ...OPTIONS, promote: [{ node: 'fmt', port: 'prefix' }, { node: 'sq', port: 'scale' }] }));
    const skill = lib.add(result);
    const crowded: WorkflowGraph = {
      nodes: [...result.graph.nodes.map((n) => (n.id === result.node.id ? { ...n, inputs: { prefix: 'p:' } } : n)), node('square', 'square', 0, 600)],
      edges: [...result.graph.edges, edge('e1', 'src', 'value', 'square', 'x')],
    };
    const changedDefault = { ...skill, frontmatter: { ...skill.frontmatter, inputs: skill.frontmatter.inputs.map((p) => (p.name === 'scale' ? { ...p, default: 7 } : p)) } as CompoundFrontmatter };
    const back = unpackCompound(crowded, result.node.id, changedDefault, lib.lookup);
    if (!back.ok) throw new Error(back.error.message);
    expect(back.value.nodes).toEqual(['square-2', 'format']);
    const byId = new Map(back.value.graph.nodes.map((n) => [n.id, n]));
    expect(byId.get('square-2')?.inputs).toEqual({ scale: 7 });
    expect(byId.get('format')?.inputs).toEqual({ prefix: 'p:' });
    expect(back.value.graph.edges.find((e) => e.source === 'square-2')).toMatchObject({ id: 'e1-2', target: 'format', targetHandle: 'y' });
    expect(unpackCompound(crowded, 'nope', skill)).toEqual({ ok: false, error: { code: 'unknown_node', message: 'No node "nope" in the workflow: nothing to unpack.' } });
    expect(unpackCompound(crowded, 'src', skill).ok).toBe(false);
  });

  it('round-trips a compound nested in another, a promotion inside the inner one staying promoted', () => {
    const lib = new Library();
    const innerMade = made(makeCompound(CHAIN, ['sq', 'fmt'], lib.lookup, { name: 'Inner', skillId: 'inner', promote: [{ node: 'fmt', port: 'prefix' }] }));
    lib.add(innerMade);
    // The workflow now: src → inner → sink; wrap inner and sink, promoting inner's prefix (set on the node).
    const outerMade = made(makeCompound(innerMade.graph, ['inner', 'sink'], lib.lookup, { name: 'Outer', skillId: 'outer', promote: [{ node: 'inner', port: 'prefix' }] }));
    expect(outerMade.inputs).toEqual([{ name: 'x', type: 'number' }, { name: 'prefix', type: 'string', default: 'r=' }]);
    expect(outerMade.node.inputs).toEqual({ prefix: 'r=' });
    lib.add(outerMade);
    expect(validateWorkflow(outerMade.graph, lib.lookup, lib.compound)).toEqual([]);
    // Expanded twice over, it is the flat chain the executor ran at first.
    expect(canonical(expandCompounds(outerMade.graph, lib.compound).graph, lib.lookup, false)).toEqual(canonical(CHAIN, lib.lookup, false));

    const once = unpackCompound(outerMade.graph, 'outer', lib.compound('outer')!, lib.lookup);
    if (!once.ok) throw new Error(once.error.message);
    expect(canonical(once.value.graph, lib.lookup)).toEqual(canonical(innerMade.graph, lib.lookup));
    const twice = unpackCompound(once.value.graph, 'inner', lib.compound('inner')!, lib.lookup);
    if (!twice.ok) throw new Error(twice.error.message);
    expect(canonical(twice.value.graph, lib.lookup)).toEqual(canonical(CHAIN, lib.lookup));
  });
});
