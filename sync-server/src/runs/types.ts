import type { Identity } from '../../../shared/src/access';
import type { Json } from '../../../shared/src/json';
import type { NodeSummary } from '../headless/run-file';
import type { PreparedRun } from '../library/types';

/**
 * Runs on the server for other assistants (MCP tool calls) and scripts (REST workflow runs): the
 * headless executor and runtimes of `npm run workflow`, shared by every caller, under a
 * server-wide concurrency limit with a queue, per-node and per-run time limits, the result
 * cache, and a trace and a run record for each run.
 */

export type RunState = 'queued' | 'running' | 'done' | 'error' | 'cancelled';

/** A run as `GET /api/runs/:run_id` answers it, and as an MCP call's result is built from. */
export interface RunView {
  run_id: string;
  state: RunState;
  kind: 'skill' | 'workflow';
  /** The skill's id or the workflow's name. */
  name: string;
  /** ISO 8601 times. */
  created_at: string;
  started_at?: string;
  finished_at?: string;
  duration_ms?: number;
  /** While queued: how many runs are before it. */
  queue_position?: number;
  /** Nodes done (or cached) of all, compound nodes counted by their inner nodes. */
  progress: { done: number; total: number; running: string[] };
  /** Every node of the graph as `npm run workflow` prints it (node id → status, outputs, error). */
  nodes: Record<string, NodeSummary>;
  /** The tool's outputs (`PreparedRun.outputs`), once done. */
  outputs?: Record<string, Json>;
  /**
   * Why it failed, for a person: the failing node, its skill and the line of the skill file the
   * error points at (`node "fit" (skill curve-fit) failed at skills/curve-fit.md line 14: ZeroDivisionError: …`).
   */
  error?: string;
}

export interface StartOptions {
  identity: Identity;
  /** What started it, kept in its run record: `mcp` (a tool call) or `api` (REST). */
  trigger: 'mcp' | 'api';
  /** Cancels the run (an MCP cancellation, an HTTP client gone while waiting). */
  signal?: AbortSignal;
  /** Called when a node settles or starts, and when the run starts and ends. */
  onProgress?: (view: RunView) => void;
}

export interface RunHandle {
  readonly id: string;
  view(): RunView;
  /** Resolves when the run is over (done, error or cancelled); never rejects. */
  readonly done: Promise<RunView>;
  cancel(): void;
}

/** The queue is full: the caller should retry later (REST 503 with Retry-After; an MCP tool error). */
export class RunsBusyError extends Error {
  override name = 'RunsBusyError';
}

export interface RunService {
  /** Queues a run; throws `RunsBusyError` when the queue is full. */
  start(run: PreparedRun, options: StartOptions): RunHandle;
  /** A run started by the same identity (`identityKey`), kept for `RUNS_KEEP_MS` after it ends; others' runs are not found. */
  get(runId: string, identity: Identity): RunHandle | undefined;
  /** Cancels every run, waits for them, and closes the runtimes. */
  close(): Promise<void>;
}
