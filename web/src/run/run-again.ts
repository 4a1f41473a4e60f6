import type * as Y from 'yjs';
import type { RunRecord } from '../../../shared/src/documents/runs';
import { readWorkflowGraph, setNodeInput } from '../../../shared/src/documents/workflow';
import { canonicalJson } from '../../../shared/src/execution/hash';
import type { NodeInputs } from './run-record';

/**
 * Puts a past run's literal inputs back on the canvas, touching only the inputs that differ, on
 * the nodes that are still there with the same skill (a node removed since, or given another
 * skill, is left as it is). The caller wraps it in one transaction with the person's origin, so
 * one undo takes it back. Returns the inputs of the nodes it set, for the run that follows.
 */
export function applyRunInputs(doc: Y.Doc, run: RunRecord): NodeInputs {
  const applied: NodeInputs = {};
  for (const node of readWorkflowGraph(doc).nodes) {
    const recorded = run.nodes[node.id];
    if (!recorded || recorded.skill_id !== node.skillId) continue;
    for (const name of Object.keys(node.inputs)) if (!Object.hasOwn(recorded.inputs, name)) setNodeInput(doc, node.id, name, undefined);
    for (const [name, value] of Object.entries(recorded.inputs)) {
      const current = node.inputs[name];
      if (current === undefined || canonicalJson(current) !== canonicalJson(value)) setNodeInput(doc, node.id, name, value);
    }
    applied[node.id] = { ...recorded.inputs };
  }
  return applied;
}
