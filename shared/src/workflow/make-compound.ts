import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../documents/workflow';
import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import { ID_PATTERN } from '../rooms';
import { buildCompoundMarkdown, type CompoundInside, type CompoundInputMapping } from '../skill/compound';
import { uniquePortName } from '../skill/port-name';
import { inputDefault, isRequiredInput } from '../skill/ports';
import { SKILL_ID_RULE, type InputPort, type OutputPort, type PortType } from '../skill/schema';
import { uniqueId } from './unique-id';
import { describeNode, type SkillLookup } from './validate';

/** An inner input with a value (set on its node, or its port's default) that may become an input of the compound. */
export interface InnerLiteral {
  /** The node's id in the workflow. */
  node: string;
  port: string;
  type: PortType;
  value: Json;
  /** Set on the node; otherwise the port's default. */
  set: boolean;
}

/** A port of a node in the selection, named by the node's id in the workflow. */
export interface SelectedPort {
  node: string;
  port: string;
}

/** Why a selection cannot become a compound skill, with the nodes at fault. */
export interface MakeCompoundError {
  code: 'empty_selection' | 'unknown_node' | 'unknown_skill' | 'cycle' | 'not_promotable' | 'invalid_name' | 'invalid_skill_id' | 'skill_id_taken';
  message: string;
  nodes: string[];
}

/** What a selection would become: the compound's inside and ports, and the literals that could be promoted. */
export interface CompoundProposal {
  inside: CompoundInside;
  inputs: InputPort[];
  outputs: OutputPort[];
  /** Every inner literal that may be promoted, those promoted included. */
  literals: InnerLiteral[];
}

export interface MakeCompoundOptions {
  name: string;
  skillId: string;
  description?: string;
  /** Inner literals to make inputs of the compound, their values as defaults. */
  promote?: readonly SelectedPort[];
  /** Whether a skill id is taken already (by default: the lookup finds a skill with it). */
  taken?: (skillId: string) => boolean;
}

/** A compound skill made from a selection, and the workflow with the selection replaced by one node of it. */
export interface MadeCompound extends CompoundProposal {
  /** The compound skill file. */
  markdown: string;
  graph: WorkflowGraph;
  /** The node of the new skill that stands where the selection was. */
  node: WorkflowNode;
}

const portKey = (node: string, port: string): string => `${node}\u0000${port}`;
const failure = (code: MakeCompoundError['code'], message: string, nodes: string[] = []) => err<MakeCompoundError>({ code, message, nodes });

interface Plan extends CompoundProposal {
  selected: WorkflowNode[];
  /** Outer edges into the selection, each with the compound input it now feeds. */
  entering: Array<{ edge: WorkflowEdge; input: string }>;
  /** Outer edges out of the selection, each with the compound output it now comes from. */
  leaving: Array<{ edge: WorkflowEdge; output: string }>;
  /** Promoted literals that were set on their nodes, now set on the compound node. */
  nodeInputs: Record<string, Json>;
  centre: { x: number; y: number };
}

/**
 * The path by which the selection would feed itself through outer nodes once it is one node
 * (selected → outer… → selected), or undefined when no outer path leaves and comes back.
 */
function outerLoop(graph: WorkflowGraph, inside: ReadonlySet<string>): string[] | undefined {
  const from = new Map<string, string>();
  const queue: string[] = [];
  for (const e of graph.edges) {
    if (inside.has(e.source) && !inside.has(e.target) && !from.has(e.target)) {
      from.set(e.target, e.source);
      queue.push(e.target);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const at = queue[i]!;
    for (const e of graph.edges) {
      if (e.source !== at) continue;
      if (inside.has(e.target)) {
        const path = [e.target, at];
        for (let step = from.get(at)!; ; step = from.get(step)!) {
          path.push(step);
          if (inside.has(step)) break;
        }
        return path.reverse();
      }
      if (!from.has(e.target)) {
        from.set(e.target, at);
        queue.push(e.target);
      }
    }
  }
  return undefined;
}

/** The ports a node offers: its skill's, and any an edge names that the skill lacks (typed `any`). */
function portsOf<P extends InputPort | OutputPort>(declared: readonly P[], handles: readonly string[]): P[] {
  const extra = [...new Set(handles)].filter((h) => !declared.some((p) => p.name === h));
  return [...declared, ...extra.map((name) => ({ name, type: 'any' }) as P)];
}

function plan(graph: WorkflowGraph, selectedIds: Iterable<string>, lookup: SkillLookup, promote: readonly SelectedPort[]): Result<Plan, MakeCompoundError> {
  const inside = new Set(selectedIds);
  if (inside.size === 0) return failure('empty_selection', 'Nothing is selected: select the nodes that should become one skill, then make the skill.');
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const missing = [...inside].filter((id) => !byId.has(id));
  if (missing.length > 0) return failure('unknown_node', `No node ${missing.map((id) => `"${id}"`).join(', ')} in the workflow: name nodes that are in it.`, missing);
  // Left to right, then top to bottom: the order the compound's ports are listed in.
  const selected = graph.nodes.filter((n) => inside.has(n.id)).sort((a, b) => a.position.x - b.position.x || a.position.y - b.position.y);
  const unknown = selected.filter((n) => !lookup(n.skillId));
  if (unknown.length > 0) {
    const named = unknown.map((n) => `Node ${describeNode(n, n.id)} uses skill "${n.skillId}"`).join('; ');
    return failure('unknown_skill', `${named}, which is in none of your volumes, so its ports are unknown. Import the skill, or leave the node out of the selection.`, unknown.map((n) => n.id));
  }
  const loop = outerLoop(graph, inside);
  if (loop) {
    const outer = loop.slice(1, -1);
    const names = loop.map((id) => describeNode(byId.get(id), id)).join(' → ');
    return failure('cycle', `The selection feeds itself through ${outer.map((id) => describeNode(byId.get(id), id)).join(', ')} (${names}): as one node it would be a cycle. Add ${outer.length > 1 ? 'those nodes' : 'that node'} to the selection, or leave out the nodes on either side.`, outer);
  }

  const innerId = new Map<string, string>();
  const takenIds = new Set<string>();
  for (const n of selected) innerId.set(n.id, uniqueId(ID_PATTERN.test(n.skillId) && n.skillId.length <= 120 ? n.skillId : 'node', takenIds));
  const xs = selected.map((n) => n.position.x);
  const ys = selected.map((n) => n.position.y);
  const min = { x: Math.min(...xs), y: Math.min(...ys) };
  const centre = { x: (min.x + Math.max(...xs)) / 2, y: (min.y + Math.max(...ys)) / 2 };

  const innerEdges = graph.edges.filter((e) => inside.has(e.source) && inside.has(e.target));
  const enteringEdges = graph.edges.filter((e) => !inside.has(e.source) && inside.has(e.target));
  const leavingEdges = graph.edges.filter((e) => inside.has(e.source) && !inside.has(e.target));
  const fedInside = new Set(innerEdges.map((e) => portKey(e.target, e.targetHandle)));
  const usedInside = new Set(innerEdges.map((e) => portKey(e.source, e.sourceHandle)));
  const promoted = new Set(promote.map((p) => portKey(p.node, p.port)));

  const nodes = selected.map((n) => ({ ...n, id: innerId.get(n.id)!, position: { x: n.position.x - min.x, y: n.position.y - min.y }, inputs: { ...n.inputs } }));
  const inner = new Map(selected.map((n, i) => [n.id, nodes[i]!]));
  const inputs: InputPort[] = [];
  const mappings: CompoundInputMapping[] = [];
  const literals: InnerLiteral[] = [];
  const nodeInputs: Record<string, Json> = {};
  const inNames = new Set<string>();
  /** Compound input by inner port, and by the outer output that feeds it (one input however many inner ports it feeds). */
  const inputOfPort = new Map<string, string>();
  const inputOfSource = new Map<string, { port: InputPort; mapping: CompoundInputMapping; types: Set<PortType>; source: string }>();
  const addInput = (port: InputPort, target: { node: string; port: string }) => {
    const input = { ...port, name: uniquePortName(port.name, inNames) };
    const mapping = { name: input.name, targets: [target] };
    inputs.push(input);
    mappings.push(mapping);
    return { input, mapping };
  };

  for (const n of selected) {
    const skill = lookup(n.skillId)!;
    const entering = enteringEdges.filter((e) => e.target === n.id);
    for (const port of portsOf(skill.inputs, entering.map((e) => e.targetHandle))) {
      const key = portKey(n.id, port.name);
      if (fedInside.has(key)) continue;
      const target = { node: innerId.get(n.id)!, port: port.name };
      const edge = entering.find((e) => e.targetHandle === port.name);
      if (edge) {
        const source = portKey(edge.source, edge.sourceHandle);
        const shared = inputOfSource.get(source);
        if (shared) {
          shared.mapping.targets.push(target);
          shared.types.add(port.type);
          inputOfPort.set(key, shared.mapping.name);
        } else {
          const { input, mapping } = addInput(port, target);
          inputOfSource.set(source, { port: input, mapping, types: new Set([port.type]), source: edge.source });
          inputOfPort.set(key, input.name);
        }
        continue;
      }
      const isSet = Object.hasOwn(n.inputs, port.name);
      const value = (isSet ? n.inputs[port.name] : inputDefault(port)) as Json | undefined;
      if (value !== undefined) literals.push({ node: n.id, port: port.name, type: port.type, value, set: isSet });
      if (value !== undefined && promoted.has(key)) {
        const { input } = addInput({ name: port.name, type: port.type, default: value, ...(port.description ? { description: port.description } : {}) }, target);
        delete inner.get(n.id)!.inputs[port.name];
        if (isSet) nodeInputs[input.name] = value;
      } else if (value === undefined && isRequiredInput(port)) {
        // Nothing feeds or sets it: without an input of the compound it could never run.
        addInput(port, target);
      }
    }
  }
  const notPromotable = promote.filter((p) => !literals.some((l) => l.node === p.node && l.port === p.port));
  if (notPromotable.length > 0) {
    const named = notPromotable.map((p) => `"${p.port}" of node ${describeNode(byId.get(p.node), p.node)}`).join(', ');
    return failure('not_promotable', `Only an inner input with a value (set, or its default) and nothing feeding it can be promoted; ${named} is not one. Promote one of: ${literals.map((l) => `${l.node}.${l.port}`).join(', ') || 'none here'}.`, notPromotable.map((p) => p.node));
  }
  // An outer output feeding inner ports of different types: the input takes the output's type, which fits them all.
  for (const { port, types, source } of inputOfSource.values()) {
    if (types.size < 2) continue;
    const edge = enteringEdges.find((e) => e.source === source && inputOfPort.get(portKey(e.target, e.targetHandle)) === port.name)!;
    port.type = lookup(byId.get(source)?.skillId ?? '')?.outputs.find((p) => p.name === edge.sourceHandle)?.type ?? 'any';
    delete port.default;
    delete port.required;
  }

  const outputs: OutputPort[] = [];
  const outMappings: CompoundInside['outputs'] = [];
  const outNames = new Set<string>();
  const outputOfPort = new Map<string, string>();
  for (const n of selected) {
    const leaving = leavingEdges.filter((e) => e.source === n.id);
    for (const port of portsOf(lookup(n.skillId)!.outputs, leaving.map((e) => e.sourceHandle))) {
      const key = portKey(n.id, port.name);
      // What stays inside is no output; what leaves, or goes nowhere (a result), is.
      if (usedInside.has(key) && !leaving.some((e) => e.sourceHandle === port.name)) continue;
      const name = uniquePortName(port.name, outNames);
      outputs.push({ ...port, name });
      outMappings.push({ name, node: innerId.get(n.id)!, port: port.name });
      outputOfPort.set(key, name);
    }
  }

  const edges = innerEdges.map((e, i) => ({ id: `e${i + 1}`, source: innerId.get(e.source)!, sourceHandle: e.sourceHandle, target: innerId.get(e.target)!, targetHandle: e.targetHandle }));
  return ok({
    inside: { nodes, edges, inputs: mappings, outputs: outMappings },
    inputs,
    outputs,
    literals,
    selected,
    entering: enteringEdges.map((edge) => ({ edge, input: inputOfPort.get(portKey(edge.target, edge.targetHandle))! })),
    leaving: leavingEdges.map((edge) => ({ edge, output: outputOfPort.get(portKey(edge.source, edge.sourceHandle))! })),
    nodeInputs,
    centre,
  });
}

/**
 * What the selected nodes would become as one compound skill: edges entering the selection
 * become inputs (one per inner port, or one per outer output feeding several), edges leaving it
 * and outputs going nowhere become outputs, unconnected inner inputs keep their literals (those
 * in `promote` become inputs with their values as defaults); refused for an empty selection,
 * an unknown node or skill, or an outer path that leaves the selection and comes back.
 */
export function proposeCompound(graph: WorkflowGraph, selectedIds: Iterable<string>, lookup: SkillLookup, promote: readonly SelectedPort[] = []): Result<CompoundProposal, MakeCompoundError> {
  const planned = plan(graph, selectedIds, lookup, promote);
  if (!planned.ok) return planned;
  const { inside, inputs, outputs, literals } = planned.value;
  return ok({ inside, inputs, outputs, literals });
}

/**
 * Makes a compound skill of the selected nodes (as `proposeCompound` proposes it) and rewrites the
 * workflow: one node of the new skill at the selection's centre in place of the selected nodes
 * and their edges, crossing edges rewired to its ports, promoted literals set on it.
 */
export function makeCompound(graph: WorkflowGraph, selectedIds: Iterable<string>, lookup: SkillLookup, options: MakeCompoundOptions): Result<MadeCompound, MakeCompoundError> {
  const name = options.name.trim();
  if (name.length === 0 || name.length > 100) return failure('invalid_name', 'The skill needs a name of 1 to 100 characters.');
  if (!ID_PATTERN.test(options.skillId)) return failure('invalid_skill_id', `The skill id "${options.skillId}" ${SKILL_ID_RULE}.`);
  const taken = options.taken ?? ((id: string) => lookup(id) !== undefined);
  if (taken(options.skillId)) return failure('skill_id_taken', `A skill with the id "${options.skillId}" exists already: choose another id.`);
  const planned = plan(graph, selectedIds, lookup, options.promote ?? []);
  if (!planned.ok) return planned;
  const p = planned.value;
  const description = (options.description ?? '').trim().slice(0, 2000);
  const markdown = buildCompoundMarkdown({ name, skillId: options.skillId, description, inputs: p.inputs, outputs: p.outputs, inside: p.inside });

  const gone = new Set(p.selected.map((n) => n.id));
  const nodeIds = new Set(graph.nodes.filter((n) => !gone.has(n.id)).map((n) => n.id));
  const node: WorkflowNode = { id: uniqueId(options.skillId, nodeIds), skillId: options.skillId, label: name, position: p.centre, inputs: p.nodeInputs };
  const edges = graph.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  // Several inner ports fed by one outer output are one input now, so one edge.
  const fed = new Set<string>();
  for (const { edge, input } of p.entering) {
    const key = `${portKey(edge.source, edge.sourceHandle)}\u0000${input}`;
    if (fed.has(key)) continue;
    fed.add(key);
    edges.push({ ...edge, target: node.id, targetHandle: input });
  }
  for (const { edge, output } of p.leaving) edges.push({ ...edge, source: node.id, sourceHandle: output });
  const { inside, inputs, outputs, literals } = p;
  return ok({ inside, inputs, outputs, literals, markdown, node, graph: { nodes: [...graph.nodes.filter((n) => !gone.has(n.id)), node], edges } });
}
