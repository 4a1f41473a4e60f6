// Run traces for the evolution tests: successful runs of a chain of skills.
import type { RunTrace } from '../../shared/src/execution/types';

/** A successful run of `skills` in a chain, node i feeding node i + 1 through `ports[i]` (output, input). */
export function chainRun(id: string, workflow: string, startedAt: string, skills: string[], ports: Array<[string, string]>): RunTrace {
  return {
    id,
    workflow,
    startedAt,
    durationMs: 10 * skills.length,
    status: 'done',
    nodes: skills.map((skillId, i) => ({ id: `n${i}`, skillId, status: 'done', durationMs: 10, cached: false })),
    edges: ports.map(([output, input], i) => ({ source: `n${i}`, sourceHandle: output, target: `n${i + 1}`, targetHandle: input })),
  };
}
