import type { Json } from '../json';
import type { ExpandedCompound } from './expand-compound';
import type { NodeState, NodeStatus } from './types';

/** Counts of one compound node's inner nodes by what they are doing, kept as their states change. */
interface Tally {
  done: number;
  cached: number;
  /** Inner nodes neither queued nor running. */
  settled: number;
  /** Inner nodes no longer queued. */
  started: number;
  running: Set<string>;
  /** Inner nodes that failed, in the order they failed. */
  failed: Set<string>;
  /** Inner nodes skipped or cancelled. */
  stopped: Set<string>;
}

const SUCCEEDED: ReadonlySet<NodeStatus> = new Set(['done', 'cached']);
const UNSETTLED: ReadonlySet<NodeStatus> = new Set(['queued', 'running']);

/** Adds (`by` 1) or removes (`by` -1) what an inner node in `status` counts for. */
function count(t: Tally, id: string, status: NodeStatus, by: 1 | -1): void {
  const set = (s: Set<string>) => (by > 0 ? s.add(id) : s.delete(id));
  if (SUCCEEDED.has(status)) t.done += by;
  if (status === 'cached') t.cached += by;
  if (!UNSETTLED.has(status)) t.settled += by;
  if (status !== 'queued') t.started += by;
  if (status === 'running') set(t.running);
  if (status === 'error') set(t.failed);
  if (status === 'skipped' || status === 'cancelled') set(t.stopped);
}

const runningText = (s: NodeState) => s.progress?.running.join(',') ?? '';

/**
 * Keeps the compound nodes' states of a run current as their inner nodes' states change, in
 * time independent of their size: progress while they run (inner nodes done of all, which run);
 * the outputs, mapped from the inner ones, when all are done; the first failure, named by the
 * inner node's path and skill (its message already carries the skill's file and line).
 */
export class CompoundStates {
  /** Compound node id → its state. */
  readonly states: Record<string, NodeState> = {};
  private readonly containing = new Map<string, ExpandedCompound[]>();
  private readonly tallies = new Map<string, Tally>();
  private readonly last = new Map<string, NodeStatus>();
  private readonly shown = new Map<string, string>();

  constructor(
    compounds: readonly ExpandedCompound[],
    private readonly skillOf: (nodeId: string) => string,
    private readonly onState?: (nodeId: string, state: NodeState) => void,
  ) {
    for (const c of compounds) {
      this.tallies.set(c.id, { done: 0, cached: 0, settled: 0, started: 0, running: new Set(), failed: new Set(), stopped: new Set() });
      for (const id of c.inner) this.containing.set(id, [...(this.containing.get(id) ?? []), c]);
    }
  }

  /** Takes inner node `id`'s new state into account, reporting the compound nodes whose status or progress changed. */
  update(id: string, inner: Readonly<Record<string, NodeState>>): void {
    const status = inner[id]?.status;
    const before = this.last.get(id);
    if (!status || status === before) return; // more output, same status: nothing a compound node shows
    this.last.set(id, status);
    for (const c of this.containing.get(id) ?? []) {
      const t = this.tallies.get(c.id)!;
      if (before) count(t, id, before, -1);
      count(t, id, status, 1);
      const state = this.stateOf(c, t, inner);
      // Outputs come with the final status, so status, progress and error tell states apart.
      const key = `${state.status}|${t.done}|${runningText(state)}|${state.error ?? ''}`;
      if (this.shown.get(c.id) === key) continue;
      this.shown.set(c.id, key);
      this.states[c.id] = state;
      this.onState?.(c.id, state);
    }
  }

  private stateOf(c: ExpandedCompound, t: Tally, inner: Readonly<Record<string, NodeState>>): NodeState {
    const total = c.inner.length;
    const progress = { done: t.done, total, running: [...t.running] };
    const durationMs = () => c.inner.reduce((sum, id) => sum + (inner[id]?.durationMs ?? 0), 0);
    const [failed] = t.failed;
    if (failed !== undefined) {
      const error = `inner node ${failed} (${this.skillOf(failed)}) failed: ${inner[failed]?.error ?? ''}`;
      return { status: 'error', durationMs: durationMs(), stdout: '', progress, error };
    }
    if (t.done === total) {
      const outputs: Record<string, Json> = {};
      for (const [name, ref] of Object.entries(c.outputs)) {
        const value = inner[ref.node]?.outputs?.[ref.port];
        if (value !== undefined) outputs[name] = value;
      }
      return { status: t.cached === total ? 'cached' : 'done', durationMs: durationMs(), stdout: '', progress, outputs };
    }
    const [stopped] = t.stopped;
    if (stopped !== undefined && t.settled === total) {
      const s = inner[stopped];
      const error = s?.status === 'cancelled' ? 'cancelled' : `inner node ${stopped}: ${s?.error ?? 'not run'}`;
      return { status: s?.status ?? 'skipped', durationMs: durationMs(), stdout: '', progress, error };
    }
    return { status: t.started > 0 ? 'running' : 'queued', stdout: '', progress };
  }
}
