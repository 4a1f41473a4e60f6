import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../documents/workflow';
import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import type { CompoundInside } from '../skill/compound';
import { inputDefault } from '../skill/ports';
import type { CompoundFrontmatter } from '../skill/schema';
import { uniqueId } from './unique-id';
import { describeNode, type SkillLookup } from './validate';

/** What unpacking needs of a compound skill: its id, ports and inside. */
export interface UnpackableCompound {
  frontmatter: Pick<CompoundFrontmatter, 'skill_id' | 'inputs' | 'outputs'>;
  inside: CompoundInside;
}

/** A workflow with a compound node replaced by its inner nodes. */
export interface Unpacked {
  graph: WorkflowGraph;
  /** The ids the inner nodes have in the workflow, in the inside's order. */
  nodes: string[];
}

/** Why a node cannot be unpacked. */
export interface UnpackError {
  code: 'unknown_node' | 'not_this_compound';
  message: string;
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Puts a compound node's inner nodes and edges in its place (around its position, ids made unique
 * in the workflow), rewires its edges to the inner ports they stand for (an input feeding several
 * inner ports gives an edge to each) and sets its literals, or its inputs' defaults, on the inner
 * nodes they feed; a default equal to the inner port's own (per `lookup`) is left unset.
 * The inverse of `makeCompound`.
 */
export function unpackCompound(graph: WorkflowGraph, nodeId: string, compound: UnpackableCompound, lookup?: SkillLookup): Result<Unpacked, UnpackError> {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return err({ code: 'unknown_node', message: `No node "${nodeId}" in the workflow: nothing to unpack.` });
  if (node.skillId !== compound.frontmatter.skill_id) {
    return err({ code: 'not_this_compound', message: `Node ${describeNode(node, node.id)} uses skill "${node.skillId}", not compound skill "${compound.frontmatter.skill_id}".` });
  }
  const { inside } = compound;
  const nodeIds = new Set(graph.nodes.filter((n) => n.id !== nodeId).map((n) => n.id));
  const ids = new Map(inside.nodes.map((n) => [n.id, uniqueId(n.id, nodeIds)]));
  // The inner layout's centre goes where the node is: `makeCompound` put the node at the selection's centre.
  const xs = inside.nodes.map((n) => n.position.x);
  const ys = inside.nodes.map((n) => n.position.y);
  const shift = { x: node.position.x - (Math.min(...xs) + Math.max(...xs)) / 2, y: node.position.y - (Math.min(...ys) + Math.max(...ys)) / 2 };
  const nodes: WorkflowNode[] = inside.nodes.map((n) => ({ ...n, id: ids.get(n.id)!, position: { x: n.position.x + shift.x, y: n.position.y + shift.y }, inputs: { ...n.inputs } }));
  const byInner = new Map(inside.nodes.map((n, i) => [n.id, nodes[i]!]));

  const wired = new Set(graph.edges.filter((e) => e.target === nodeId).map((e) => e.targetHandle));
  for (const port of compound.frontmatter.inputs) {
    if (wired.has(port.name)) continue;
    const isSet = Object.hasOwn(node.inputs, port.name);
    const value = isSet ? node.inputs[port.name] : inputDefault(port);
    if (value === undefined) continue;
    for (const t of inside.inputs.find((m) => m.name === port.name)?.targets ?? []) {
      const target = byInner.get(t.node);
      if (!target) continue;
      const own = lookup?.(target.skillId)?.inputs.find((p) => p.name === t.port);
      if (!isSet && own && sameJson(inputDefault(own), value)) continue;
      target.inputs[t.port] = value as Json;
    }
  }

  const outer = graph.edges.filter((e) => e.source !== nodeId && e.target !== nodeId);
  const edgeIds = new Set(outer.map((e) => e.id));
  const edges: WorkflowEdge[] = [...outer];
  for (const e of graph.edges) {
    if (e.target === nodeId) {
      for (const t of inside.inputs.find((m) => m.name === e.targetHandle)?.targets ?? []) {
        edges.push({ ...e, id: uniqueId(e.id, edgeIds), target: ids.get(t.node)!, targetHandle: t.port });
      }
    } else if (e.source === nodeId) {
      const from = inside.outputs.find((m) => m.name === e.sourceHandle);
      if (from) edges.push({ ...e, id: uniqueId(e.id, edgeIds), source: ids.get(from.node)!, sourceHandle: from.port });
    }
  }
  // After the rewired edges, which keep their ids where they can.
  for (const e of inside.edges) edges.push({ ...e, id: uniqueId(e.id, edgeIds), source: ids.get(e.source)!, target: ids.get(e.target)! });
  return ok({ graph: { nodes: [...graph.nodes.filter((n) => n.id !== nodeId), ...nodes], edges }, nodes: nodes.map((n) => n.id) });
}
