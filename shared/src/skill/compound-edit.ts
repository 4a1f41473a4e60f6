import { parseDocument } from 'yaml';
import type { WorkflowEdge, WorkflowGraph } from '../documents/workflow';
import { mappingProblems, chainText, selfContainment, type CompoundLookup } from '../workflow/compound-chain';
import type { SkillLookup } from '../workflow/validate';
import { findCodeSection } from './code-block';
import type { CompoundInside } from './compound';
import { splitSkillText } from './frontmatter';
import { formatSkillError, readSkill, type CompoundSkill } from './parse';
import type { InputPort, OutputPort } from './schema';

/** An inner port: an inner node's id and one of its port names. */
export interface InnerPort {
  node: string;
  port: string;
}

/**
 * A compound port while its inside is edited: its declaration, where it maps, and `origin`, the
 * name it has in the saved skill (absent for a port exposed since), so a save knows the renames.
 */
export interface EditedInput {
  port: InputPort;
  targets: InnerPort[];
  origin?: string;
}

/** An output port while the inside is edited; see `EditedInput`. */
export interface EditedOutput {
  port: OutputPort;
  from: InnerPort;
  origin?: string;
}

/** A compound skill's ports in the order its node shows them, with their mappings. */
export interface EditedPorts {
  inputs: EditedInput[];
  outputs: EditedOutput[];
}

/** The ports of a saved compound skill, ready to edit (every port's origin is its own name). */
export function editedPortsOf(skill: CompoundSkill): EditedPorts {
  const targets = new Map(skill.inside.inputs.map((m) => [m.name, m.targets]));
  const sources = new Map(skill.inside.outputs.map((m) => [m.name, { node: m.node, port: m.port }]));
  return {
    inputs: skill.frontmatter.inputs.map((port) => ({ port, targets: targets.get(port.name) ?? [], origin: port.name })),
    outputs: skill.frontmatter.outputs.map((port) => ({ port, from: sources.get(port.name) ?? { node: '', port: '' }, origin: port.name })),
  };
}

/** The inside an edited graph and its ports make, mappings in port order. */
export function insideOf(graph: WorkflowGraph, ports: EditedPorts): CompoundInside {
  return {
    nodes: graph.nodes,
    edges: graph.edges,
    inputs: ports.inputs.map((i) => ({ name: i.port.name, targets: i.targets })),
    outputs: ports.outputs.map((o) => ({ name: o.port.name, node: o.from.node, port: o.from.port })),
  };
}

/** Old name → new name of every saved port renamed in an edit, inputs and outputs apart. */
export interface PortRenames {
  inputs: Map<string, string>;
  outputs: Map<string, string>;
}

/** The ports renamed since the skill was saved. */
export function portRenames(ports: EditedPorts): PortRenames {
  const renamed = (list: Array<{ port: { name: string }; origin?: string }>) =>
    new Map(list.filter((p) => p.origin !== undefined && p.origin !== p.port.name).map((p) => [p.origin as string, p.port.name]));
  return { inputs: renamed(ports.inputs), outputs: renamed(ports.outputs) };
}

/** The next patch version: 1.0.0 → 1.0.1, 2.3 → 2.3.1; anything else starts again at 1.0.1. */
export function bumpPatch(version: string): string {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return '1.0.1';
  return `${m[1]}.${m[2]}.${m[3] === undefined ? 1 : Number(m[3]) + 1}`;
}

/** What changes in a compound skill's file when its edited inside is saved. */
export interface CompoundSave {
  inside: CompoundInside;
  ports: EditedPorts;
  /** For a copy: its new id and name. */
  skillId?: string;
  name?: string;
}

/**
 * The saved file of an edited compound skill: the original text with `version` bumped, the ports
 * and (for a copy) `skill_id` and `name` set, and the `## Code` block replaced; every other
 * frontmatter field, comment and body section stays as written.
 */
export function rewriteCompoundSource(source: string, save: CompoundSave): string {
  const split = splitSkillText(source);
  if (!split) throw new Error('the skill file has no frontmatter between two "---" lines');
  const yaml = parseDocument(split.yaml);
  const version = yaml.get('version');
  yaml.set('version', bumpPatch(typeof version === 'string' ? version : String(version ?? '1.0.0')));
  if (save.skillId) yaml.set('skill_id', save.skillId);
  if (save.name) yaml.set('name', save.name);
  yaml.set('inputs', save.ports.inputs.map((i) => i.port));
  yaml.set('outputs', save.ports.outputs.map((o) => o.port));
  const code = JSON.stringify(save.inside, null, 2);
  const lines = split.body.split('\n');
  const section = findCodeSection(split.body);
  const block = ['```json', ...code.split('\n'), '```'];
  if (section.kind === 'block') {
    lines.splice(section.fenceLine, section.closeLine - section.fenceLine + 1, ...block);
  } else {
    lines.push('## Code', '', ...block, '');
  }
  return `---\n${yaml.toString({ lineWidth: 0 })}---\n${lines.join('\n')}`;
}

/**
 * What keeps an edited compound skill from being saved: the file it would be (ports, mappings),
 * a loop (the skill inside itself, chain named), mappings onto ports inner skills lack. Empty
 * when it can be saved.
 */
export function editProblems(markdown: string, skillId: string, ports: SkillLookup, compounds: CompoundLookup): string[] {
  const read = readSkill(markdown, { file: `${skillId}.md` });
  if (!read.ok) return read.error.map((e) => formatSkillError(e).replace(/^[^:]*:\d+: /, ''));
  const edited = read.value;
  if (edited.kind !== 'compound') return ['the edited skill is no longer a compound skill'];
  const lookup: CompoundLookup = (id) => (id === skillId ? edited : compounds(id));
  const chain = selfContainment(skillId, lookup);
  if (chain) return [`"${skillId}" would contain itself: ${chainText(chain)}. Remove the inner node that closes the loop.`];
  return mappingProblems(skillId, ports, lookup);
}

/**
 * The edges and literals of a workflow that follow a compound skill's renamed ports: every edge
 * into or out of a node of that skill on a renamed port, and every literal set on a renamed input.
 */
export function followRenames(graph: WorkflowGraph, skillId: string, renames: PortRenames): { edges: WorkflowEdge[]; literals: Array<{ node: string; from: string; to: string }> } {
  const nodes = new Set(graph.nodes.filter((n) => n.skillId === skillId).map((n) => n.id));
  const edges: WorkflowEdge[] = [];
  for (const e of graph.edges) {
    const sourceHandle = nodes.has(e.source) ? (renames.outputs.get(e.sourceHandle) ?? e.sourceHandle) : e.sourceHandle;
    const targetHandle = nodes.has(e.target) ? (renames.inputs.get(e.targetHandle) ?? e.targetHandle) : e.targetHandle;
    if (sourceHandle !== e.sourceHandle || targetHandle !== e.targetHandle) edges.push({ ...e, sourceHandle, targetHandle });
  }
  const literals = graph.nodes
    .filter((n) => nodes.has(n.id))
    .flatMap((n) => Object.keys(n.inputs).flatMap((from) => (renames.inputs.has(from) ? [{ node: n.id, from, to: renames.inputs.get(from) as string }] : [])));
  return { edges, literals };
}

/** The ports of an enclosing compound being edited, with mappings onto renamed ports of `nodes` followed. */
export function followRenamesInPorts(ports: EditedPorts, nodes: ReadonlySet<string>, renames: PortRenames): EditedPorts {
  return {
    inputs: ports.inputs.map((i) => ({ ...i, targets: i.targets.map((t) => (nodes.has(t.node) ? { ...t, port: renames.inputs.get(t.port) ?? t.port } : t)) })),
    outputs: ports.outputs.map((o) => (nodes.has(o.from.node) ? { ...o, from: { ...o.from, port: renames.outputs.get(o.from.port) ?? o.from.port } } : o)),
  };
}
