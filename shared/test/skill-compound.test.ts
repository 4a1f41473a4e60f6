/*
 * EXEC-13, compound skills (type `compound`): the `## Code` block holds the inside as JSON (nodes, edges,
 * input and output mappings), checked against the frontmatter ports both ways, every error with
 * file, line and `code` as its field; the builder's Markdown reads back to what it was given; a
 * skill containing itself is refused with its chain; expansion namespaces inner nodes.
 */
import { describe, expect, it } from 'vitest';
import { expandCompounds } from '../src/execution/expand-compound';
import { buildCompoundMarkdown } from '../src/skill/compound';
import { formatSkillError, parseSkill, readSkill, type CompoundSkill } from '../src/skill/parse';
import { selfContainment } from '../src/workflow/compound-chain';
import { validateWorkflow } from '../src/workflow/validate';
import { H2_COMPOUND } from './compound-fixture';
import { testSkill } from './skill-fixture';

const PARTS = H2_COMPOUND;

function compound(source: string, file = 'skills/hamiltonian-vqe.md'): CompoundSkill {
  const read = readSkill(source, { file });
  if (!read.ok) throw new Error(read.error.map(formatSkillError).join('\n'));
  if (read.value.kind !== 'compound') throw new Error(`read as ${read.value.kind}`);
  return read.value;
}

function refused(source: string, file = 'skills/x.md'): string[] {
  const read = readSkill(source, { file });
  if (read.ok) throw new Error('expected the skill to be refused');
  return read.error.map(formatSkillError);
}

const MARKDOWN = buildCompoundMarkdown(PARTS);
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('compound skill files', () => {
  it('the builder writes a file that reads back to its parts, derived_from kept', () => {
    const skill = compound(MARKDOWN);
    expect(skill.frontmatter).toMatchObject({ name: PARTS.name, skill_id: 'hamiltonian-vqe', type: 'compound', version: '1.0.0', inputs: PARTS.inputs, outputs: PARTS.outputs, derived_from: PARTS.derivedFrom });
    expect(skill.inside).toEqual(PARTS.inside);
    expect(skill.codeLine).toBe(lineOf(MARKDOWN, '```json') + 1);
    expect(MARKDOWN).toMatch(/^---\nname: Hamiltonian Builder → VQE Optimizer\nskill_id: hamiltonian-vqe\ntype: compound\n/);
    expect(buildCompoundMarkdown({ ...PARTS, derivedFrom: undefined })).not.toContain('derived_from');
  });

  it('reads the lead’s example shape: label, position and inputs optional on inner nodes', () => {
    const source = MARKDOWN.replace(/```json\n[\s\S]*?\n```/, [
      '```json',
      '{ "nodes": [ { "id": "ham", "skillId": "quantum-hamiltonian" }, { "id": "vqe", "skillId": "quantum-vqe" } ],',
      '  "edges": [ { "id": "e1", "source": "ham", "sourceHandle": "hamiltonian", "target": "vqe", "targetHandle": "hamiltonian" } ],',
      '  "inputs": [ { "name": "bond_length", "targets": [ { "node": "ham", "port": "bond_length" } ] } ],',
      '  "outputs": [ { "name": "energy", "node": "vqe", "port": "eigenvalue" } ] }',
      '```',
    ].join('\n'));
    expect(compound(source).inside.nodes[1]).toEqual({ id: 'vqe', skillId: 'quantum-vqe', label: '', position: { x: 0, y: 0 }, inputs: {} });
  });

  it('names the field and line of a mapping to a node that is not inside', () => {
    const source = MARKDOWN.replace('"node": "ham",\n', '"node": "hamx",\n');
    expect(refused(source)).toEqual([`skills/x.md:${lineOf(source, '"hamx"')}: code: inputs[0].targets[0].node "hamx" is not an inner node`]);
  });

  it('frontmatter ports and mappings must match both ways', () => {
    const undeclared = buildCompoundMarkdown({ ...PARTS, outputs: [] });
    expect(refused(undeclared)).toEqual([
      `skills/x.md:${lineOf(undeclared, '"name": "energy"')}: code: outputs[0].name: output "energy" is not in the frontmatter's outputs; declare it there or remove it here`,
    ]);
    const unmapped = buildCompoundMarkdown({ ...PARTS, inputs: [...PARTS.inputs, { name: 'basis', type: 'string', default: 'sto-3g' }] });
    expect(refused(unmapped)).toEqual([
      `skills/x.md:${lineOf(unmapped, '"inputs": [')}: code: inputs: the frontmatter's input "basis" is not mapped to an inner port; add it to "inputs"`,
    ]);
  });

  it('refuses edges to nodes not inside, duplicate ids, a mapped port already wired inside, and a bad shape', () => {
    const inside = PARTS.inside;
    const bad = buildCompoundMarkdown({
      ...PARTS,
      inside: {
        ...inside,
        nodes: [...inside.nodes, { ...inside.nodes[0]!, label: 'again' }],
        edges: [...inside.edges, { id: 'e2', source: 'nowhere', sourceHandle: 'x', target: 'vqe', targetHandle: 'max_iterations' }],
        inputs: [{ name: 'bond_length', targets: [{ node: 'ham', port: 'bond_length' }, { node: 'vqe', port: 'hamiltonian' }] }],
      },
    });
    expect(refused(bad).map((e) => e.replace(/^skills\/x\.md:\d+: /, ''))).toEqual([
      'code: nodes[2].id: id "ham" is used by more than one inner node',
      'code: edges[1].source "nowhere" is not an inner node',
      'code: inputs[0].targets[1].port: input "hamiltonian" of inner node "vqe" is already fed by an inner edge; map the compound input elsewhere or remove the edge',
    ]);
    const shape = MARKDOWN.replace('"sourceHandle": "hamiltonian",', '"sourceHandle": 7,');
    expect(refused(shape)).toEqual([`skills/x.md:${lineOf(shape, '"sourceHandle": 7')}: code: edges[0].sourceHandle: Invalid input: expected string, received number`]);
  });

  it('needs a json block, and is not code a runtime runs', () => {
    expect(refused(MARKDOWN.replace('```json', '```javascript'))).toEqual([
      `skills/x.md:${lineOf(MARKDOWN, '```json')}: type: the code block's language is "javascript" but this skill's type needs "json"`,
    ]);
    const run = parseSkill(MARKDOWN, 'skills/x.md');
    expect(run.ok ? '' : formatSkillError(run.error[0]!)).toMatch(/^skills\/x\.md:\d+: this is a compound skill: it runs as its inner nodes/);
  });
});

describe('compound skills inside compound skills', () => {
  const library = new Map<string, CompoundSkill>();
  const add = (id: string, innerSkills: string[]) => {
    const nodes = innerSkills.map((skillId, i) => ({ id: `n${i}`, skillId, label: '', position: { x: 0, y: 0 }, inputs: {} }));
    const source = buildCompoundMarkdown({ name: id, skillId: id, inputs: [], outputs: [{ name: 'out', type: 'any' }], inside: { nodes, edges: [], inputs: [], outputs: [{ name: 'out', node: 'n0', port: 'out' }] } });
    library.set(id, compound(source, `${id}.md`));
  };
  add('a', ['b']);
  add('b', ['leaf', 'a']);
  add('c', ['d']);
  add('d', ['b']);
  add('fine', ['leaf', 'leaf']);
  const lookup = (id: string) => library.get(id);

  it('names the chain of a skill containing itself, directly or through others', () => {
    expect(selfContainment('a', lookup)).toEqual(['a', 'b', 'a']);
    expect(selfContainment('c', lookup)).toEqual(['c', 'd', 'b', 'a', 'b']);
    expect(selfContainment('fine', lookup)).toBeUndefined();
    expect(selfContainment('leaf', lookup)).toBeUndefined();
  });

  it('validation reports a node using such a skill; expansion stops at the loop instead of recursing', () => {
    const graph = { nodes: [{ id: 'x', skillId: 'a', label: 'Loop', position: { x: 0, y: 0 }, inputs: {} }], edges: [] };
    const issues = validateWorkflow(graph, (id) => library.get(id)?.frontmatter ?? testSkill(id, [], [['out', 'any']]), lookup);
    expect(issues).toEqual([
      { code: 'recursive_skill', nodes: ['x'], skillId: 'a', chain: ['a', 'b', 'a'], message: 'Node "Loop" (x) uses compound skill "a", which contains itself: a → b → a. Remove the inner node that closes the loop.' },
    ]);
    expect(expandCompounds(graph, lookup).graph.nodes.map((n) => [n.id, n.skillId])).toEqual([
      ['x/n0/n0', 'leaf'],
      ['x/n0/n1', 'a'],
    ]);
  });
});

describe('a runner that cannot expand compound skills', () => {
  it('refuses a compound node before anything runs, rather than failing on it', () => {
    const skill = compound(MARKDOWN);
    const graph = { nodes: [{ id: 'c', skillId: 'hamiltonian-vqe', label: '', position: { x: 0, y: 0 }, inputs: {} }], edges: [] };
    const library = (id: string) => (id === 'hamiltonian-vqe' ? skill.frontmatter : undefined);
    expect(validateWorkflow(graph, library)).toEqual([expect.objectContaining({ code: 'not_runnable', nodes: ['c'], message: expect.stringContaining('a compound skill, which this runner cannot open') })]);
    expect(validateWorkflow(graph, library, (id) => (id === 'hamiltonian-vqe' ? skill : undefined))).toEqual([]);
  });
});

describe('compound port mappings against the inner skills', () => {
  it('names a mapping onto a port the inner skill lacks or whose type does not fit, nested compounds included', () => {
    const leaf = testSkill('leaf', [['a', 'number']], [['out', 'string']]);
    const make = (id: string, inner: string, inputType: string, targetPort: string, outputPort: string) =>
      compound(
        buildCompoundMarkdown({
          name: id,
          skillId: id,
          inputs: [{ name: 'x', type: inputType as 'number' }],
          outputs: [{ name: 'y', type: 'number' }],
          inside: {
            nodes: [{ id: 'n', skillId: inner, label: '', position: { x: 0, y: 0 }, inputs: {} }],
            edges: [],
            inputs: [{ name: 'x', targets: [{ node: 'n', port: targetPort }] }],
            outputs: [{ name: 'y', node: 'n', port: outputPort }],
          },
        }),
        `${id}.md`,
      );
    const library = new Map([
      ['outer', make('outer', 'wrong', 'number', 'x', 'y')],
      ['wrong', make('wrong', 'leaf', 'string', 'b', 'out')],
    ]);
    const graph = { nodes: [{ id: 'o', skillId: 'outer', label: '', position: { x: 0, y: 0 }, inputs: { x: 1 } }], edges: [] };
    const issues = validateWorkflow(graph, (id) => library.get(id)?.frontmatter ?? (id === 'leaf' ? leaf : undefined), (id) => library.get(id));
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['compound_mapping', 'Node "o" uses compound skill "outer": "outer" maps its number input "x" to string input "x" of inner node "n". Fix the skill\'s "inputs"/"outputs" mapping.'],
      ['compound_mapping', 'Node "o" uses compound skill "outer": "wrong" maps its input "x" to input "b" of inner node "n", which skill "leaf" does not have. Fix the skill\'s "inputs"/"outputs" mapping.'],
      ['compound_mapping', 'Node "o" uses compound skill "outer": "wrong" takes its number output "y" from string output "out" of inner node "n". Fix the skill\'s "inputs"/"outputs" mapping.'],
    ]);
  });
});
