import { lazy, Suspense } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import type { NodeStatus } from '../../../shared/src/execution/types';
import { formatDuration, useNodeRun } from './run-context';
import type { NodeRun } from './run-session';

// The panel (output renderers and the chart library) loads the first time a panel opens.
const ResultPanel = lazy(() => import('./result-panel'));

/** The label of a state badge. */
function statusText(run: NodeRun, now: number): string | null {
  const state = run.state;
  if (!state) return null;
  const time = state.durationMs !== undefined ? ` ${formatDuration(state.durationMs)}` : '';
  switch (state.status) {
    case 'running':
      return `running ${formatDuration(now - (run.startedAt ?? now))}`;
    case 'cached':
      return 'cached';
    case 'done':
    case 'error':
      return `${state.status}${time}`;
    default:
      return state.status;
  }
}

/** Ticks while a node runs, so its badge counts the time. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function RemoteStatus({ run }: { run: NodeRun }) {
  return (
    <>
      {run.remote.map((r) => (
        <span key={r.name} class="run-remote" data-testid="remote-run-status" data-status={r.status} style={{ borderColor: r.color }} title={`${r.name}'s run`}>
          {r.name}: {r.status}
        </span>
      ))}
    </>
  );
}

/**
 * A node's run bar: its state (queued, running, cached, done, error, stale) with time, a button
 * to run it and what it needs, and its result panel.
 */
export function NodeRunBar({ nodeId, compact }: { nodeId: string; compact: boolean }) {
  const { session, run } = useNodeRun(nodeId);
  const status: NodeStatus | undefined = run?.state?.status;
  const now = useNow(status === 'running');
  if (!session || !run) return null;
  const text = statusText(run, now);
  return (
    <div class="run-bar">
        {text && (
          <span class={`run-status run-${status}`} data-testid="run-status" data-status={status} title={run.state?.error}>
            {text}
          </span>
        )}
        {run.stale && (
          <span class="run-status run-stale" data-testid="run-stale" title="Changed since this result: run again to update it">
            stale
          </span>
        )}
        {!compact && <RemoteStatus run={run} />}
        <span class="spacer" />
        {!compact && (
          <>
            <button
              type="button"
              class="nodrag run-node"
              data-testid="run-node"
              title="Run this node and what it needs"
              disabled={session.running}
              onClick={() => session.requestRun([nodeId])}
            >
              ▶
            </button>
            <button
              type="button"
              class="nodrag"
              data-testid="toggle-result"
              aria-expanded={run.open}
              disabled={!hasResult(run)}
              onClick={() => session.setOpen(nodeId, !run.open)}
            >
              {run.open ? 'Hide result' : 'Result'}
            </button>
          </>
        )}
    </div>
  );
}

const hasResult = (run: NodeRun) => Boolean(run.state && (run.state.outputs || run.state.error || run.state.stdout));

/** A node's result panel, below its ports (so opening it never moves the edges' handles). */
export function NodeResult({ nodeId }: { nodeId: string }) {
  const { session, run } = useNodeRun(nodeId);
  if (!session || !run?.open || !hasResult(run)) return null;
  return (
    <Suspense fallback={<div class="result-panel muted">Loading…</div>}>
      <ResultPanel session={session} nodeId={nodeId} run={run} />
    </Suspense>
  );
}
