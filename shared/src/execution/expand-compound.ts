import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../documents/workflow';
import type { Json } from '../json';
import { inputDefault } from '../skill/ports';
import type { CompoundLookup } from '../workflow/compound-chain';
import { validateWorkflow, type LibraryLookup, type WorkflowIssue } from '../workflow/validate';

/** An inner port in the expanded graph. */
interface PortRef {
  node: string;
  port: string;
}

/** A compound node of the run, after expansion: what it stands for in the flat graph. */
export interface ExpandedCompound {
  /** Its id in the run: its own, or `<outer>/<id>` when nested. */
  id: string;
  skillId: string;
  /** The flat nodes it expands to, nested compounds' included, in order. */
  inner: string[];
  /** Each compound output → the flat node and port it comes from. */
  outputs: Record<string, PortRef>;
}

/** A workflow with every compound node replaced by its inner nodes. */
export interface Expansion {
  graph: WorkflowGraph;
  /** Every compound node expanded, nested ones before those containing them. */
  compounds: ExpandedCompound[];
}

interface Level extends Expansion {
  /** Per compound node of this level: its inputs → flat inner input ports, its outputs → flat inner output ports. */
  ports: Map<string, { ins: Map<string, PortRef[]>; outs: Map<string, PortRef> }>;
}

function expandLevel(graph: WorkflowGraph, prefix: string, lookup: CompoundLookup, within: readonly string[]): Level {
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  const compounds: ExpandedCompound[] = [];
  const ports: Level['ports'] = new Map();
  const wired = new Set(graph.edges.map((e) => `${e.target}\u0000${e.targetHandle}`));
  for (const node of graph.nodes) {
    const skill = lookup(node.skillId);
    // A skill containing itself is left as it is; validation refuses it with its chain.
    if (!skill || within.includes(node.skillId)) {
      nodes.push({ ...node, id: prefix + node.id });
      continue;
    }
    const innerPrefix = `${prefix}${node.id}/`;
    const inner = expandLevel(skill.inside, innerPrefix, lookup, [...within, node.skillId]);
    const resolveIn = (t: PortRef): PortRef[] => inner.ports.get(t.node)?.ins.get(t.port) ?? [{ node: innerPrefix + t.node, port: t.port }];
    const resolveOut = (t: PortRef): PortRef => inner.ports.get(t.node)?.outs.get(t.port) ?? { node: innerPrefix + t.node, port: t.port };
    const ins = new Map(skill.inside.inputs.map((m) => [m.name, m.targets.flatMap(resolveIn)]));
    const outs = new Map(skill.inside.outputs.map((m) => [m.name, resolveOut(m)]));
    // A value the compound node gets as a literal or its default becomes the inner nodes' literal,
    // so they run with the very inputs (and cache keys) the same nodes have in a flat workflow.
    const byId = new Map(inner.graph.nodes.map((n) => [n.id, n]));
    for (const port of skill.frontmatter.inputs) {
      if (wired.has(`${node.id}\u0000${port.name}`)) continue;
      const value = Object.hasOwn(node.inputs, port.name) ? node.inputs[port.name] : inputDefault(port);
      if (value === undefined) continue;
      for (const t of ins.get(port.name) ?? []) {
        const target = byId.get(t.node);
        if (target) target.inputs = { ...target.inputs, [t.port]: value as Json };
      }
    }
    nodes.push(...inner.graph.nodes);
    edges.push(...inner.graph.edges);
    compounds.push(...inner.compounds, { id: prefix + node.id, skillId: node.skillId, inner: inner.graph.nodes.map((n) => n.id), outputs: Object.fromEntries(outs) });
    ports.set(node.id, { ins, outs });
  }
  for (const edge of graph.edges) {
    const source = ports.get(edge.source)?.outs.get(edge.sourceHandle) ?? { node: prefix + edge.source, port: edge.sourceHandle };
    const targets = ports.get(edge.target)?.ins.get(edge.targetHandle) ?? [{ node: prefix + edge.target, port: edge.targetHandle }];
    targets.forEach((t, i) =>
      edges.push({
        id: `${prefix}${edge.id}${targets.length > 1 ? `/${i}` : ''}`,
        source: source.node,
        sourceHandle: source.port,
        target: t.node,
        targetHandle: t.port,
      }),
    );
  }
  return { graph: { nodes, edges }, compounds, ports };
}

/**
 * Whether a run state's id is an inner node of a compound node (`<node>/<inner>`, as
 * `expandCompounds` names them): canvas node ids never hold a `/`.
 */
export const isInnerNode = (id: string): boolean => id.includes('/');

/**
 * Replaces every compound node (nested ones too) by its inner nodes, ids namespaced
 * `<compoundNodeId>/<innerId>`, with edges into and out of it rewired to the inner ports its
 * mapping names and its literals and defaults set on the inner nodes they feed. A graph without
 * compound nodes comes back as it is.
 */
export function expandCompounds(graph: WorkflowGraph, lookup: CompoundLookup | undefined): Expansion {
  if (!lookup || !graph.nodes.some((n) => lookup(n.skillId))) return { graph, compounds: [] };
  const { graph: flat, compounds } = expandLevel(graph, '', lookup, []);
  return { graph: flat, compounds };
}

/**
 * Checks a workflow, then (when it has compound nodes and no issue of its own) their expanded
 * inside, whose issues name the inner nodes by path (`<compoundNodeId>/<innerId>`).
 */
export function validateExpanded(requested: WorkflowGraph, expanded: WorkflowGraph, library: LibraryLookup, compounds: CompoundLookup | undefined): WorkflowIssue[] {
  const outer = validateWorkflow(requested, library, compounds);
  return outer.length > 0 || expanded === requested ? outer : validateWorkflow(expanded, library);
}
