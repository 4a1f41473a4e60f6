/*
 * Editing a compound skill's inside: the saved file keeps every other field and section, bumps
 * the patch version and carries renamed and reordered ports; renames follow on the workflow's
 * edges and literals; a loop is refused with its chain.
 */
import { describe, expect, it } from 'vitest';
import { buildCompoundMarkdown } from '../src/skill/compound';
import {
  bumpPatch,
  editedPortsOf,
  editProblems,
  followRenames,
  followRenamesInPorts,
  insideOf,
  portRenames,
  rewriteCompoundSource,
  type EditedPorts,
} from '../src/skill/compound-edit';
import { formatSkillError, readSkill, type CompoundSkill } from '../src/skill/parse';
import { H2_COMPOUND } from './compound-fixture';
import { testSkill } from './skill-fixture';

function compound(source: string): CompoundSkill {
  const read = readSkill(source, { file: 'x.md' });
  if (!read.ok) throw new Error(read.error.map(formatSkillError).join('\n'));
  if (read.value.kind !== 'compound') throw new Error(`read as ${read.value.kind}`);
  return read.value;
}

// A file someone added to by hand: a field of their own, a comment and a section of prose.
const SOURCE = buildCompoundMarkdown({ ...H2_COMPOUND, whenToUse: 'For H2 only.' }).replace('version: 1.0.0', 'version: 1.0.0\nlicense: MIT # kept');

describe('saving an edited compound skill', () => {
  it('bumps the patch version', () => {
    expect(['1.0.0', '2.3', '1.4.9-beta', 'draft'].map(bumpPatch)).toEqual(['1.0.1', '2.3.1', '1.4.10', '1.0.1']);
  });

  it('keeps other fields and sections, writes the ports in their new order and names, and reads back', () => {
    const skill = compound(SOURCE);
    const ports = editedPortsOf(skill);
    const edited: EditedPorts = {
      inputs: [{ port: { name: 'iterations', type: 'integer', default: 50 }, targets: [{ node: 'vqe', port: 'max_iterations' }] }, ...ports.inputs],
      outputs: ports.outputs.map((o) => ({ ...o, port: { ...o.port, name: 'ground_energy' } })),
    };
    const graph = { nodes: skill.inside.nodes.map((n) => (n.id === 'vqe' ? { ...n, inputs: {} } : n)), edges: skill.inside.edges };
    const saved = rewriteCompoundSource(SOURCE, { inside: insideOf(graph, edited), ports: edited });
    const again = compound(saved);
    expect(again.frontmatter.version).toBe('1.0.1');
    expect(again.extra).toEqual({ license: 'MIT' });
    expect(saved).toContain('# kept');
    expect(saved).toContain('## When to Use\nFor H2 only.');
    expect(again.frontmatter.inputs.map((p) => p.name)).toEqual(['iterations', 'bond_length']);
    expect(again.inside.outputs).toEqual([{ name: 'ground_energy', node: 'vqe', port: 'eigenvalue' }]);
    expect(portRenames(edited)).toEqual({ inputs: new Map(), outputs: new Map([['energy', 'ground_energy']]) });
    const copy = compound(rewriteCompoundSource(saved, { inside: again.inside, ports: editedPortsOf(again), skillId: 'mine', name: 'Mine' }));
    expect([copy.frontmatter.skill_id, copy.frontmatter.name, copy.frontmatter.version]).toEqual(['mine', 'Mine', '1.0.2']);
  });

  it('renamed ports follow on the edges and literals of the skill’s nodes, and in an enclosing compound’s mappings', () => {
    const renames = { inputs: new Map([['bond_length', 'r']]), outputs: new Map([['energy', 'e']]) };
    const node = (id: string, skillId: string, inputs = {}) => ({ id, skillId, label: '', position: { x: 0, y: 0 }, inputs });
    const graph = {
      nodes: [node('c', 'hamiltonian-vqe', { bond_length: 0.8 }), node('other', 'quantum-vqe'), node('src', 'x')],
      edges: [
        { id: 'in', source: 'src', sourceHandle: 'bond_length', target: 'c', targetHandle: 'bond_length' },
        { id: 'out', source: 'c', sourceHandle: 'energy', target: 'other', targetHandle: 'energy' },
        { id: 'untouched', source: 'other', sourceHandle: 'energy', target: 'src', targetHandle: 'bond_length' },
      ],
    };
    const followed = followRenames(graph, 'hamiltonian-vqe', renames);
    expect(followed.edges.map((e) => [e.id, e.sourceHandle, e.targetHandle])).toEqual([
      ['in', 'bond_length', 'r'],
      ['out', 'e', 'energy'],
    ]);
    expect(followed.literals).toEqual([{ node: 'c', from: 'bond_length', to: 'r' }]);
    const outer: EditedPorts = {
      inputs: [{ port: { name: 'k', type: 'number' }, targets: [{ node: 'c', port: 'bond_length' }] }],
      outputs: [{ port: { name: 'o', type: 'number' }, from: { node: 'c', port: 'energy' } }],
    };
    const kept = followRenamesInPorts(outer, new Set(['c']), renames);
    expect([kept.inputs[0]?.targets, kept.outputs[0]?.from]).toEqual([[{ node: 'c', port: 'r' }], { node: 'c', port: 'e' }]);
  });

  it('refuses an inside that holds its own skill, with the chain, and a mapping onto a port an inner skill lacks', () => {
    const skill = compound(SOURCE);
    const ports = editedPortsOf(skill);
    const looped = { nodes: [...skill.inside.nodes, { id: 'me', skillId: 'hamiltonian-vqe', label: '', position: { x: 0, y: 0 }, inputs: {} }], edges: skill.inside.edges };
    const declared = (id: string) =>
      id === 'quantum-hamiltonian' ? testSkill(id, [['bond_length', 'number']], [['hamiltonian', 'object']]) : id === 'quantum-vqe' ? testSkill(id, [['hamiltonian', 'object'], ['max_iterations', 'integer']], [['eigenvalue', 'number']]) : undefined;
    const loop = editProblems(rewriteCompoundSource(SOURCE, { inside: insideOf(looped, ports), ports }), 'hamiltonian-vqe', declared, () => undefined);
    expect(loop).toEqual(['"hamiltonian-vqe" would contain itself: hamiltonian-vqe → hamiltonian-vqe. Remove the inner node that closes the loop.']);
    const wrong: EditedPorts = { ...ports, outputs: [{ port: { name: 'energy', type: 'number' }, from: { node: 'vqe', port: 'nope' } }] };
    const bad = editProblems(rewriteCompoundSource(SOURCE, { inside: insideOf(skill.inside, wrong), ports: wrong }), 'hamiltonian-vqe', declared, () => undefined);
    expect(bad).toEqual(['"hamiltonian-vqe" takes its output "energy" from output "nope" of inner node "vqe", which skill "quantum-vqe" does not have']);
    const unmapped: EditedPorts = { ...ports, inputs: [{ port: { name: 'bond_length', type: 'number' }, targets: [{ node: 'gone', port: 'x' }] }] };
    expect(editProblems(rewriteCompoundSource(SOURCE, { inside: insideOf(skill.inside, unmapped), ports: unmapped }), 'hamiltonian-vqe', declared, () => undefined)[0]).toMatch(/"gone" is not an inner node/);
  });
});
