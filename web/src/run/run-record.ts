import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';

/** Each node's literal inputs, by node id: what "run again with these inputs" puts back. */
export type NodeInputs = Record<string, Record<string, Json>>;

/** The literal inputs of every node of a graph. */
export const literalInputs = (graph: WorkflowGraph): NodeInputs => Object.fromEntries(graph.nodes.map((n) => [n.id, { ...n.inputs }]));

/** The graph with the given nodes' literal inputs in place of theirs (nodes not named keep their own). */
export function withInputs(graph: WorkflowGraph, inputs: NodeInputs): WorkflowGraph {
  return { ...graph, nodes: graph.nodes.map((n) => (inputs[n.id] ? { ...n, inputs: { ...inputs[n.id] } } : n)) };
}
