import type { WorkflowGraph, WorkflowNode } from '../documents/workflow';
import type { Json } from '../json';
import { inputDefault } from '../skill/ports';
import type { AnySkillFrontmatter } from '../skill/schema';

/**
 * The inputs a node runs with: an edge's upstream output, else the node's literal, else the
 * skill's default. Inputs with none of these are left out (validation reports required ones).
 */
export function resolveInputs(
  node: WorkflowNode,
  skill: AnySkillFrontmatter,
  graph: WorkflowGraph,
  outputsOf: (nodeId: string) => Record<string, Json> | undefined,
): Record<string, Json> {
  const inputs: Record<string, Json> = {};
  for (const port of skill.inputs) {
    const edge = graph.edges.find((e) => e.target === node.id && e.targetHandle === port.name);
    if (edge) {
      const value = outputsOf(edge.source)?.[edge.sourceHandle];
      if (value !== undefined) inputs[port.name] = value;
    } else if (Object.hasOwn(node.inputs, port.name)) {
      inputs[port.name] = node.inputs[port.name] as Json;
    } else if (inputDefault(port) !== undefined) {
      inputs[port.name] = inputDefault(port) as Json;
    }
  }
  return inputs;
}
