import { randomUUID } from 'node:crypto';
import { expandCompounds } from '../../../shared/src/execution/expand-compound';
import type { NodeState, NodeStatus, RunReport } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { invalidNodes, type NodeSummary } from '../headless/run-file';
import type { PreparedRun } from '../library/types';
import { invalidWorkflow, nodeFailure } from './run-failure';
import type { RunState, RunView, StartOptions } from './types';

const summaryOf = (s: NodeState): NodeSummary => ({
  status: s.status,
  ...(s.outputs ? { outputs: s.outputs } : {}),
  ...(s.error ? { error: s.error } : {}),
  ...(s.device ? { device: s.device } : {}),
});

/**
 * One run on the server, from queued to over: the node states the executor reports, and the
 * view `GET /api/runs/:run_id` (and an MCP call's progress and result) is built from.
 */
export class ServerRun {
  readonly id = randomUUID();
  readonly createdAt = Date.now();
  startedAt?: number;
  finishedAt?: number;
  state: RunState = 'queued';
  /** Aborted on cancel, on the caller's signal and at the run's time limit. */
  readonly abort = new AbortController();
  /** Set when the run's time limit cancelled it: the run failed, it was not called off. */
  timedOut?: string;
  /** The graph with compound nodes opened: the nodes that really run (progress counts them). */
  readonly expanded: WorkflowGraph;
  private readonly states: Record<string, NodeState> = {};
  private readonly statuses = new Map<string, NodeStatus>();
  /** Nodes that really run, by id, and their skill. */
  private readonly inner: Map<string, string>;
  /** Inner nodes in the order they failed: the first is the one the error names. */
  private readonly failed: string[] = [];
  private invalid?: Record<string, NodeSummary>;
  private error?: string;
  private outputs?: Record<string, Json>;
  private settle!: (view: RunView) => void;
  readonly done = new Promise<RunView>((resolve) => (this.settle = resolve));

  constructor(
    readonly prepared: PreparedRun,
    readonly options: StartOptions,
    private readonly queuePosition: (run: ServerRun) => number | undefined,
  ) {
    this.expanded = expandCompounds(prepared.graph, prepared.compounds).graph;
    this.inner = new Map(this.expanded.nodes.map((n) => [n.id, n.skillId]));
  }

  get over(): boolean {
    return this.finishedAt !== undefined;
  }

  begin(): void {
    this.state = 'running';
    this.startedAt = Date.now();
  }

  /** Takes a node's new state; true when its status changed (more output alone is not progress). */
  nodeState(id: string, state: NodeState): boolean {
    this.states[id] = state;
    const before = this.statuses.get(id);
    this.statuses.set(id, state.status);
    if (state.status === 'error' && this.inner.has(id) && !this.failed.includes(id)) this.failed.push(id);
    // A compound node's progress changes without its status: that is progress too.
    return before !== state.status || state.progress !== undefined;
  }

  /** What the executor's report says the run came to. */
  ended(report: RunReport, nodeTimeoutMs: number): void {
    if (report.issues.length > 0) {
      this.state = 'error';
      this.error = invalidWorkflow(report.issues);
      this.invalid = invalidNodes(
        this.prepared.graph.nodes.map((n) => n.id),
        report.issues,
      );
      return;
    }
    for (const [id, s] of Object.entries(report.nodes)) this.states[id] = s;
    if (report.ok) {
      this.state = 'done';
      this.outputs = {};
      for (const o of this.prepared.outputs) {
        const value = report.nodes[o.node]?.outputs?.[o.port];
        if (value !== undefined) this.outputs[o.key] = value;
      }
      return;
    }
    if (this.timedOut) {
      this.state = 'error';
      this.error = this.timedOut;
      return;
    }
    if (report.trace.status === 'cancelled') {
      this.state = 'cancelled';
      return;
    }
    this.state = 'error';
    const first = this.failed[0] ?? this.expanded.nodes.find((n) => report.nodes[n.id]?.status === 'error')?.id;
    const error = first ? report.nodes[first]?.error : undefined;
    this.error =
      first && error !== undefined
        ? nodeFailure(first, this.inner.get(first) ?? '', error, nodeTimeoutMs)
        : `the run did not finish: ${this.expanded.nodes.map((n) => `${n.id} ${report.nodes[n.id]?.status ?? 'not run'}`).join(', ')}`;
  }

  /** A run that could not be run at all (the server failed): says so. */
  broke(message: string): void {
    this.state = 'error';
    this.error = message;
  }

  /** Called off before it started. */
  cancelledWhileQueued(): void {
    this.state = 'cancelled';
  }

  finish(): RunView {
    this.finishedAt = Date.now();
    const view = this.view();
    this.settle(view);
    return view;
  }

  view(): RunView {
    const { prepared } = this;
    let done = 0;
    const running: string[] = [];
    for (const id of this.inner.keys()) {
      const status = this.states[id]?.status;
      if (status === 'done' || status === 'cached') done++;
      else if (status === 'running') running.push(id);
    }
    const unrun: NodeSummary = { status: this.state === 'cancelled' ? 'cancelled' : 'queued' };
    const nodes = this.invalid ?? Object.fromEntries(prepared.graph.nodes.map((n) => [n.id, this.states[n.id] ? summaryOf(this.states[n.id]!) : unrun]));
    const position = this.state === 'queued' ? this.queuePosition(this) : undefined;
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return {
      run_id: this.id,
      state: this.state,
      kind: prepared.kind,
      name: prepared.name,
      created_at: iso(this.createdAt)!,
      ...(this.startedAt !== undefined ? { started_at: iso(this.startedAt) } : {}),
      ...(this.finishedAt !== undefined ? { finished_at: iso(this.finishedAt) } : {}),
      ...(this.startedAt !== undefined && this.finishedAt !== undefined ? { duration_ms: this.finishedAt - this.startedAt } : {}),
      ...(position !== undefined ? { queue_position: position } : {}),
      progress: { done, total: prepared.total, running },
      nodes,
      ...(this.outputs ? { outputs: this.outputs } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }
}
