import type { WorkflowEdge, WorkflowGraph } from '../documents/workflow';
import { describeNode, findCycle, portTypesCompatible, type SkillLookup } from './validate';

/** A proposed edge: an output of one node to an input of another (React Flow's `Connection` fits). */
export interface PortConnection {
  source: string;
  sourceHandle: string | null;
  target: string;
  targetHandle: string | null;
}

/** Allowed, rewiring the edge `replaces` if the input was already fed; or refused, saying why. */
export type ConnectionCheck = { ok: true; replaces?: string } | { ok: false; reason: string };

/**
 * Decides whether an output may feed an input, and says why not: ports must exist, their types
 * must match, and the edge must not close a cycle. An input already fed is rewired.
 */
export function checkConnection(graph: WorkflowGraph, c: PortConnection, lookup: SkillLookup): ConnectionCheck {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const source = nodes.get(c.source);
  const target = nodes.get(c.target);
  if (!source || !target) return { ok: false, reason: 'Both ends must be nodes of this workflow.' };
  if (source.id === target.id) return { ok: false, reason: 'A node cannot feed its own input.' };
  const out = lookup(source.skillId)?.outputs.find((p) => p.name === c.sourceHandle);
  const inp = lookup(target.skillId)?.inputs.find((p) => p.name === c.targetHandle);
  if (!out) return { ok: false, reason: `${describeNode(source, source.id)} has no output "${c.sourceHandle ?? ''}".` };
  if (!inp) return { ok: false, reason: `${describeNode(target, target.id)} has no input "${c.targetHandle ?? ''}".` };
  if (!portTypesCompatible(out.type, inp.type)) {
    return {
      ok: false,
      reason: `Types do not match: output "${out.name}" is ${out.type} but input "${inp.name}" takes ${inp.type}.`,
    };
  }
  const existing = graph.edges.find((e) => e.target === target.id && e.targetHandle === inp.name);
  const candidate: WorkflowEdge = { id: '(new)', source: source.id, sourceHandle: out.name, target: target.id, targetHandle: inp.name };
  const after: WorkflowGraph = { nodes: graph.nodes, edges: [...graph.edges.filter((e) => e !== existing), candidate] };
  if (findCycle(after)) return { ok: false, reason: 'That edge would make a cycle; workflows run in one direction.' };
  return existing ? { ok: true, replaces: existing.id } : { ok: true };
}
