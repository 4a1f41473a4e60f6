import type { WorkflowGraph, WorkflowNode } from '../../../shared/src/documents/workflow';
import type { CompoundLookup } from '../../../shared/src/workflow/compound-chain';

/** Whether a run state's id is an inner node of a compound node (kept with the expansion that names them). */
export { isInnerNode } from '../../../shared/src/execution/expand-compound';

/**
 * The inner node a path names (`c/inner`, or `c/n/inner` inside a nested compound), found by
 * walking the compound skills' insides from the canvas node `c`; undefined when the workflow or
 * a skill on the way changed since the run.
 */
export function innerNode(graph: WorkflowGraph, path: string, compound: CompoundLookup): WorkflowNode | undefined {
  const [first, ...rest] = path.split('/');
  let node = graph.nodes.find((n) => n.id === first);
  for (const id of rest) {
    node = node && compound(node.skillId)?.inside.nodes.find((n) => n.id === id);
  }
  return node;
}

/** How an inner node is named to people: its label (or skill) and its path. */
export const innerNodeName = (node: WorkflowNode | undefined, path: string): string => (node?.label ? `${node.label} (${path})` : path);
