import type { RunNodeRecord, RunRecord } from '../documents/runs';
import type { WorkflowGraph } from '../documents/workflow';
import { cacheKey } from './executor';
import { isInnerNode } from './expand-compound';
import { resolveInputs } from './inputs';
import type { NodeState, ResolvedSkill, RunReport } from './types';

/** What a finished run was, besides its report. */
export interface RunFacts {
  id: string;
  workflowRoom: string;
  startedAt: number;
  finishedAt: number;
  by: RunRecord['by'];
  trigger: string;
  /** The skill each node ran, as the executor resolved it (compound skills resolve to nothing here). */
  resolve: (skillId: string) => ResolvedSkill | undefined;
  /** The node's state as this page shows it (its time counts from its code's start), when it differs from the report's. */
  shownState?: (nodeId: string) => NodeState | undefined;
}

const MAX_ERROR = 4000;

/**
 * The record of a run for the workflow's run history: each node that took part (not the inner
 * nodes of compound nodes), with its literal inputs and, for a deterministic skill that gave a
 * result, the cache key its outputs are kept under. The key is the executor's own
 * (`cacheKey(source, resolved inputs)`), rebuilt from the outputs the run passed along, so the
 * outputs can be read back from the cache, and kept there while the run is.
 */
export function runRecordOf(report: RunReport, graph: WorkflowGraph, facts: RunFacts): RunRecord {
  const nodes: Record<string, RunNodeRecord> = {};
  for (const node of graph.nodes) {
    const state = report.nodes[node.id];
    if (!state || isInnerNode(node.id)) continue;
    const shown = facts.shownState?.(node.id);
    const resolved = facts.resolve(node.skillId);
    const succeeded = state.status === 'done' || state.status === 'cached';
    let key: string | undefined;
    if (succeeded && resolved?.skill.frontmatter.deterministic) {
      key = cacheKey(resolved.source, resolveInputs(node, resolved.skill.frontmatter, graph, (src) => report.nodes[src]?.outputs));
    }
    nodes[node.id] = {
      skill_id: node.skillId,
      label: node.label || node.skillId,
      status: state.status,
      duration_ms: Math.max(0, shown?.durationMs ?? state.durationMs ?? 0),
      ...(state.error ? { error: state.error.slice(0, MAX_ERROR) } : {}),
      inputs: { ...node.inputs },
      ...(key ? { cache_key: key } : {}),
    };
  }
  const status = report.trace.status === 'cancelled' ? 'cancelled' : report.ok ? 'done' : 'error';
  return {
    id: facts.id,
    workflow_room: facts.workflowRoom,
    started_at: new Date(facts.startedAt).toISOString(),
    finished_at: new Date(facts.finishedAt).toISOString(),
    duration_ms: Math.max(0, facts.finishedAt - facts.startedAt),
    by: facts.by,
    status,
    trigger: facts.trigger,
    nodes,
  };
}
