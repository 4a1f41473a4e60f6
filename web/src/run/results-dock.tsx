import { lazy, Suspense } from 'preact/compat';
import { useState } from 'preact/hooks';
import { useRefitWhenOpened } from '../canvas/refit-when-opened';
import { shownText } from './node-state';
import { useNodeRun, useRunSummary } from './run-context';
import type { NodeRun, RunSession } from './run-session';

// The panel (output renderers and the chart library) loads the first time results show.
const ResultPanel = lazy(() => import('./result-panel'));

const hasResult = (run: NodeRun | null) => Boolean(run?.state && (run.state.outputs || run.state.error || run.state.stdout));

/**
 * The results dock: a column beside the flow area showing the selected node's results (with
 * nothing selected, the node that finished last), under its name. The flow area shrinks to make
 * room, so results never cover a node, the MiniMap or each other. It shows once something has a
 * result; when it first opens, the view is fitted again if nodes went out of sight behind it.
 */
export function ResultsDock({ session, selected }: { session: RunSession | null; selected: ReadonlySet<string> }) {
  const summary = useRunSummary(session);
  const last = session?.lastFinished() ?? null;
  const picked = [...selected].find((id) => session?.skillIdOf(id) !== undefined) ?? null;
  const target = picked ?? last;
  const { run } = useNodeRun(target, session);
  // Closed, the dock stays closed until the selection changes or another run ends.
  const [closed, setClosed] = useState<{ picked: string | null; summary: unknown } | null>(null);
  const isClosed = closed !== null && closed.picked === picked && closed.summary === summary;
  const visible = Boolean(session && target && (last || hasResult(run))) && !isClosed;
  useRefitWhenOpened(visible);
  if (!session || !target || !visible) return null;
  return (
    <aside class="results-dock" data-testid="results-dock" data-node={target} aria-label="Results">
      <header class="results-dock-head">
        <strong data-testid="results-dock-name">{session.nodeName(target)}</strong>
        {run && run.kind !== 'none' && <span class={`run-status run-${run.kind}`}>{shownText(run.kind)}</span>}
        {!picked && <span class="muted">last finished</span>}
        <span class="spacer" />
        <button type="button" data-testid="close-results" title="Close the results until you select a node or a run ends" onClick={() => setClosed({ picked, summary })}>
          ×
        </button>
      </header>
      {run && hasResult(run) ? (
        <Suspense fallback={<div class="muted">Loading…</div>}>
          <ResultPanel session={session} nodeId={target} run={run} />
        </Suspense>
      ) : (
        <p class="muted">No result yet: ▶ on the node runs it and what it needs.</p>
      )}
    </aside>
  );
}
