import type { Json } from '../json';
import type { ExpandedCompound } from './expand-compound';
import type { NodeState } from './types';

const succeeded = (s: NodeState | undefined) => s?.status === 'done' || s?.status === 'cached';

/**
 * What a compound node shows, from its inner nodes' states: progress while they run; its outputs,
 * mapped from the inner ones, when all are done; the first failure, named by the inner node's
 * path and skill (its message already carries the skill's file and line).
 */
export function compoundState(compound: ExpandedCompound, states: Readonly<Record<string, NodeState>>, skillOf: (nodeId: string) => string): NodeState {
  const inner = compound.inner.map((id) => [id, states[id]] as const);
  const progress = {
    done: inner.filter(([, s]) => succeeded(s)).length,
    total: inner.length,
    running: inner.filter(([, s]) => s?.status === 'running').map(([id]) => id),
  };
  const durationMs = inner.reduce((sum, [, s]) => sum + (s?.durationMs ?? 0), 0);
  const failed = inner.find(([, s]) => s?.status === 'error');
  if (failed) {
    const [id, s] = failed;
    return { status: 'error', durationMs, stdout: '', progress, error: `inner node ${id} (${skillOf(id)}) failed: ${s?.error ?? ''}` };
  }
  if (progress.done === progress.total) {
    const outputs: Record<string, Json> = {};
    for (const [name, ref] of Object.entries(compound.outputs)) {
      const value = states[ref.node]?.outputs?.[ref.port];
      if (value !== undefined) outputs[name] = value;
    }
    const allCached = inner.every(([, s]) => s?.status === 'cached');
    return { status: allCached ? 'cached' : 'done', durationMs, stdout: '', progress, outputs };
  }
  const stopped = inner.find(([, s]) => s?.status === 'cancelled' || s?.status === 'skipped');
  const settled = inner.every(([, s]) => s && s.status !== 'queued' && s.status !== 'running');
  if (stopped && settled) {
    const [id, s] = stopped;
    return { status: stopped[1]?.status ?? 'skipped', durationMs, stdout: '', progress, error: s?.status === 'cancelled' ? 'cancelled' : `inner node ${id}: ${s?.error ?? 'not run'}` };
  }
  const started = inner.some(([, s]) => s && s.status !== 'queued');
  return { status: started ? 'running' : 'queued', stdout: '', progress };
}

/** Keeps the compound nodes' states of a run current as their inner nodes' states change. */
export class CompoundStates {
  /** Compound node id → its state. */
  readonly states: Record<string, NodeState> = {};
  private readonly containing = new Map<string, ExpandedCompound[]>();
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly compounds: readonly ExpandedCompound[],
    private readonly skillOf: (nodeId: string) => string,
    private readonly onState?: (nodeId: string, state: NodeState) => void,
  ) {
    for (const c of compounds) for (const id of c.inner) this.containing.set(id, [...(this.containing.get(id) ?? []), c]);
  }

  /** Recomputes the compound nodes containing inner node `id`, reporting those whose state changed. */
  update(id: string, inner: Readonly<Record<string, NodeState>>): void {
    for (const c of this.containing.get(id) ?? []) {
      const state = compoundState(c, inner, this.skillOf);
      const key = JSON.stringify(state);
      if (this.shown.get(c.id) === key) continue;
      this.shown.set(c.id, key);
      this.states[c.id] = state;
      this.onState?.(c.id, state);
    }
  }
}
