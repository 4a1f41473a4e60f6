import type { RunTrace, TraceEdge } from '../execution/types';

/** A successful run as the miner sees it: the nodes that ran (done or cached) and their edges. */
export interface MinedRun {
  id: string;
  workflow?: string;
  startedAt: number;
  /** Node id → skill id. */
  skills: Map<string, string>;
  edges: TraceEdge[];
}

/** Why a line is not a trace at all (a run that failed is a trace, just not mined). */
export type TraceReading = { ok: true; run: MinedRun | undefined } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES: ReadonlySet<string> = new Set<RunTrace['status']>(['done', 'error', 'cancelled', 'invalid']);

/**
 * Reads one stored trace (any JSON value): `run` is set for a successful run, undefined for a
 * run that did not succeed; not ok for anything that is not a trace. Traces written before
 * edges were kept read as edgeless.
 */
export function readTrace(value: unknown): TraceReading {
  if (!isObject(value)) return { ok: false, reason: 'not a JSON object' };
  const { id, workflow, startedAt, status, nodes, edges } = value;
  if (typeof id !== 'string' || id === '') return { ok: false, reason: 'no "id"' };
  if (typeof status !== 'string' || !STATUSES.has(status)) return { ok: false, reason: `"status" is not one of ${[...STATUSES].join(', ')}` };
  const time = typeof startedAt === 'string' ? Date.parse(startedAt) : NaN;
  if (Number.isNaN(time)) return { ok: false, reason: '"startedAt" is not a date' };
  if (!Array.isArray(nodes)) return { ok: false, reason: '"nodes" is not a list' };
  if (edges !== undefined && !Array.isArray(edges)) return { ok: false, reason: '"edges" is not a list' };
  const skills = new Map<string, string>();
  for (const n of nodes) {
    if (!isObject(n) || typeof n.id !== 'string' || typeof n.skillId !== 'string' || typeof n.status !== 'string') {
      return { ok: false, reason: 'a node without a string "id", "skillId" and "status"' };
    }
    if (skills.has(n.id)) return { ok: false, reason: `node "${n.id}" appears twice` };
    if (n.status === 'done' || n.status === 'cached') skills.set(n.id, n.skillId);
  }
  const kept: TraceEdge[] = [];
  const seen = new Set<string>();
  for (const e of edges ?? []) {
    if (!isObject(e) || ![e.source, e.sourceHandle, e.target, e.targetHandle].every((f) => typeof f === 'string')) {
      return { ok: false, reason: 'an edge without string "source", "sourceHandle", "target" and "targetHandle"' };
    }
    const edge = { source: e.source as string, sourceHandle: e.sourceHandle as string, target: e.target as string, targetHandle: e.targetHandle as string };
    const code = JSON.stringify([edge.source, edge.sourceHandle, edge.target, edge.targetHandle]);
    if (edge.source === edge.target || seen.has(code) || !skills.has(edge.source) || !skills.has(edge.target)) continue;
    seen.add(code);
    kept.push(edge);
  }
  if (status !== 'done') return { ok: true, run: undefined };
  return { ok: true, run: { id, ...(typeof workflow === 'string' && workflow ? { workflow } : {}), startedAt: time, skills, edges: kept } };
}
