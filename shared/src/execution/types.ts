import type { Json } from '../json';
import type { Skill } from '../skill/parse';
import type { SkillType } from '../skill/schema';
import type { WorkflowIssue } from '../workflow/validate';

/** What a node shows while and after a workflow runs. */
export type NodeStatus = 'queued' | 'running' | 'cached' | 'done' | 'error' | 'skipped' | 'cancelled';

export interface NodeState {
  status: NodeStatus;
  /** Wall-clock milliseconds the node took (0 when cached). */
  durationMs?: number;
  stdout: string;
  error?: string;
  outputs?: Record<string, Json>;
  /** A webgpu node's device: the GPU adapter it ran on, or the CPU (its fallback) and why. */
  device?: RunDevice;
  /** A compound node's progress: its inner nodes done (or cached) of all, and those running now. */
  progress?: { done: number; total: number; running: string[] };
}

/** A skill ready to run: parsed, with the exact source its cache key covers. */
export interface ResolvedSkill {
  skill: Skill;
  source: string;
}

/** One run of one skill. */
export interface RunRequest {
  skill: Skill;
  inputs: Record<string, Json>;
  /** Aborted on cancel and when the node's time limit runs out (the executor keeps the time). */
  signal: AbortSignal;
  /**
   * Called when the skill's own code starts, after any wait for the runtime (a queue, a
   * download, start-up): the node's time limit counts from here. A runtime must call it.
   */
  onStart?: () => void;
  /** Streams printed output as it comes. */
  onStdout?: (text: string) => void;
}

/** Where a webgpu skill ran: on a GPU adapter, or its fallback on the CPU and why. */
export type RunDevice = { kind: 'gpu'; adapter: string } | { kind: 'cpu'; reason: string };

export interface RunResult {
  outputs: Record<string, Json>;
  stdout: string;
  /** webgpu skills only: the device the run used. */
  device?: RunDevice;
}

/** Runs skills of some types (Pyodide, a JavaScript sandbox, Three.js, ngspice). */
export interface Runtime {
  run(request: RunRequest): Promise<RunResult>;
}

/** The runtime for each skill type (`qiskit` skills run as Python). */
export type Runtimes = Partial<Record<Exclude<SkillType, 'qiskit'>, Runtime>>;

/** Where results are kept by content hash of (skill source, resolved inputs). */
export interface ResultCache {
  get(key: string): Promise<RunResult | undefined>;
  set(key: string, result: RunResult): Promise<void>;
}

/** A failure a runtime reports about the skill's own code (shown on the node, not a crash). */
export class SkillRunError extends Error {
  override name = 'SkillRunError';
  constructor(
    message: string,
    readonly stdout = '',
  ) {
    super(message);
  }
}

/** The runtime itself could not run a skill (it would not load, its worker died), not the skill's code. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** A summary of one run, kept as a trace (IndexedDB, a session message's `traces`). */
export interface RunTrace {
  id: string;
  workflow?: string;
  startedAt: string;
  durationMs: number;
  status: 'done' | 'error' | 'cancelled' | 'invalid';
  nodes: Array<{ id: string; skillId: string; status: NodeStatus; durationMs: number; cached: boolean; error?: string }>;
  /** The run graph's edges between nodes that ran (done, cached or error); absent in traces written before edges were kept. */
  edges?: TraceEdge[];
}

/** One port-to-port edge of a run, as a trace keeps it (what the evolution engine mines). */
export interface TraceEdge {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export interface RunReport {
  /** True when every node that was asked to run is done or cached. */
  ok: boolean;
  /** Validation problems; when present, nothing ran. */
  issues: WorkflowIssue[];
  nodes: Record<string, NodeState>;
  trace: RunTrace;
}
