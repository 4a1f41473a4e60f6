import type * as Y from 'yjs';
import { z } from 'zod';
import type { Json } from '../json';

/**
 * A workflow's run history, in the room `{volume}/{volumeId}/runs/{workflowId}` (never in the
 * workflow room, whose load must not grow with its runs). Root `runs`: a Y.Map of run id → one
 * plain `RunRecord`, written once when the run ends and never edited, so concurrent runs by
 * several people merge without conflict.
 */

/** How many records a runs room keeps: the newest, by start time. */
export const KEEP_RUNS = 200;

export const RUN_STATUSES = ['done', 'error', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** What one node did in a run. */
export interface RunNodeRecord {
  skill_id: string;
  /** The node's label on the canvas when it ran (its skill id when it had none). */
  label: string;
  /** The executor's node status: done, cached, error, skipped, cancelled, queued. */
  status: string;
  duration_ms: number;
  error?: string;
  /** The node's literal inputs when it ran (wired inputs come from upstream, not from here). */
  inputs: Record<string, Json>;
  /** The result cache key of its outputs, when the skill is deterministic and it succeeded. */
  cache_key?: string;
}

export interface RunRecord {
  id: string;
  /** The workflow room the run was of. */
  workflow_room: string;
  /** ISO 8601 times. */
  started_at: string;
  finished_at: string;
  duration_ms: number;
  by: { sub: string; name: string };
  status: RunStatus;
  /**
   * What started it: "run" (Run), "node" (one node and what it needs), "again" (a past run's
   * inputs), "assistant" (the chat); on the server, "mcp" (another assistant's tool call) and
   * "api" (REST).
   */
  trigger: string;
  nodes: Record<string, RunNodeRecord>;
}

/** Bounds on what one record may hold, so a bad writer cannot make the room unusable. */
const MAX_TEXT = 2000;
const MAX_ERROR = 4000;
const MAX_NODES = 2000;

/**
 * The record's schema, built on first use: this module is loaded with the app's first screen,
 * and a schema built while modules load is built before web/src/zod-jitless.ts has switched
 * zod's compiled parsers off, so zod would probe `new Function`, which the app's
 * Content-Security-Policy reports as a violation.
 */
const recordSchema = (() => {
  let built: ReturnType<typeof buildRecordSchema> | undefined;
  return () => (built ??= buildRecordSchema());
})();

function buildRecordSchema() {
  const JsonSchema: z.ZodType<Json> = z.json();
  const NodeSchema = z.object({
    skill_id: z.string().max(MAX_TEXT),
    label: z.string().max(MAX_TEXT),
    status: z.string().max(40),
    duration_ms: z.number().finite().nonnegative(),
    error: z.string().max(MAX_ERROR).optional(),
    inputs: z.record(z.string(), JsonSchema),
    cache_key: z.string().max(200).optional(),
  });
  return z.object({
    id: z.string().min(1).max(200),
    workflow_room: z.string().max(MAX_TEXT),
    started_at: z.iso.datetime(),
    finished_at: z.iso.datetime(),
    duration_ms: z.number().finite().nonnegative(),
    by: z.object({ sub: z.string().max(MAX_TEXT), name: z.string().max(MAX_TEXT) }),
    status: z.enum(RUN_STATUSES),
    trigger: z.string().max(MAX_TEXT),
    nodes: z.record(z.string(), NodeSchema).refine((n) => Object.keys(n).length <= MAX_NODES, `a run records at most ${MAX_NODES} nodes`),
  });
}

/** The root holding the records. */
export const runsOf = (doc: Y.Doc): Y.Map<unknown> => doc.getMap<unknown>('runs');

/**
 * A record as read from the room: anyone with write access to the workflow may write the room,
 * so what does not have a record's shape (or whose key is not its id) is left out, not trusted.
 */
export function parseRunRecord(value: unknown, key?: string): RunRecord | null {
  const parsed = recordSchema().safeParse(value);
  if (!parsed.success || (key !== undefined && parsed.data.id !== key)) return null;
  return parsed.data as RunRecord;
}

/** Every well-formed record, newest first (by start time, then id so the order is the same everywhere). */
export function listRuns(doc: Y.Doc): RunRecord[] {
  const out: RunRecord[] = [];
  for (const [key, value] of runsOf(doc)) {
    const record = parseRunRecord(value, key);
    if (record) out.push(record);
  }
  return out.sort((a, b) => b.started_at.localeCompare(a.started_at) || (a.id < b.id ? 1 : -1));
}

/** One record, or null when there is none (or it is malformed). */
export function getRun(doc: Y.Doc, id: string): RunRecord | null {
  return parseRunRecord(runsOf(doc).get(id), id);
}

/**
 * Adds a record and drops the oldest beyond `keep`, in one transaction. A malformed record is
 * refused with what is wrong, since writing it would only hide it from every reader.
 */
export function addRun(doc: Y.Doc, record: RunRecord, keep = KEEP_RUNS): void {
  const parsed = recordSchema().safeParse(record);
  if (!parsed.success) throw new Error(`Not a run record: ${z.prettifyError(parsed.error)}`);
  doc.transact(() => {
    runsOf(doc).set(record.id, parsed.data);
    pruneRuns(doc, keep);
  });
}

/**
 * Keeps the newest `keep` records and deletes the rest (and entries that are not records).
 * Two people pruning at once delete the same keys, which merges to the same result.
 */
export function pruneRuns(doc: Y.Doc, keep = KEEP_RUNS): void {
  const map = runsOf(doc);
  const kept = new Set(listRuns(doc).slice(0, keep).map((r) => r.id));
  const drop = [...map.keys()].filter((key) => !kept.has(key));
  if (drop.length === 0) return;
  doc.transact(() => {
    for (const key of drop) map.delete(key);
  });
}

/** The cache keys of the kept runs' node results: what a storage budget must not evict. */
export function runCacheKeys(doc: Y.Doc): Set<string> {
  const keys = new Set<string>();
  for (const run of listRuns(doc)) {
    for (const node of Object.values(run.nodes)) if (node.cache_key) keys.add(node.cache_key);
  }
  return keys;
}
