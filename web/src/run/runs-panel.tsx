import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { listRuns, type RunRecord } from '../../../shared/src/documents/runs';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { runsRoomOf } from '../../../shared/src/rooms';
import { useRefitWhenOpened } from '../canvas/refit-when-opened';
import { useDocValue, useRoom } from '../documents/hooks';
import { workflowUndo } from '../documents/undo';
import { OutputItem } from './output-view';
import { applyRunInputs } from './run-again';
import { formatDuration } from './run-context';
import { trackRunsDoc } from './pinned-runs';
import { rememberRunsRoom } from './run-history';
import type { NodeInputs } from './run-record';
import type { QueuedRun } from './run-queue';
import { QUEUE, type RunSession } from './run-session';
import { resultCache } from './run-store';
import './runs-panel.css';

const NO_RUNS: RunRecord[] = [];

/** "14:05:09", or with the date when it was not today. */
function when(iso: string | number): string {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** How a run made outside the app came: another assistant's tool call (MCP) or a script (REST). */
function viaOf(run: RunRecord): string | undefined {
  if (run.trigger === 'mcp') return 'via an assistant (MCP)';
  if (run.trigger === 'api') return 'via the API';
  return undefined;
}

/** "2 done, 1 cached, 1 failed": how the nodes of a run went. */
function nodeCounts(run: RunRecord): string {
  const counts = new Map<string, number>();
  for (const n of Object.values(run.nodes)) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  const word = (status: string) => (status === 'error' ? 'failed' : status);
  return [...counts].map(([status, count]) => `${count} ${word(status)}`).join(', ') || 'no nodes';
}

/** The workflow's runs waiting in this browser, following the session's queue. */
export function useQueue(session: RunSession | null): readonly QueuedRun[] {
  const [queue, setQueue] = useState<readonly QueuedRun[]>(() => session?.getQueue() ?? []);
  useEffect(() => {
    if (!session) return;
    setQueue(session.getQueue());
    return session.subscribe(QUEUE, () => setQueue(session.getQueue()));
  }, [session]);
  return queue;
}

/**
 * The Runs panel of a workflow: the runs waiting in this browser's queue (each can be cancelled
 * before it starts) and the workflow's run history (its runs room, collaborators' runs arriving
 * live). Opening a run shows each node's status, time and outputs (from this browser's result
 * cache, where they are kept) and offers to run again with its inputs.
 */
export function RunsPanel({ session, room, doc, readOnly, onClose }: { session: RunSession | null; room: string; doc: Y.Doc; readOnly: boolean; onClose: () => void }) {
  const runsRoom = runsRoomOf(room);
  const runs = useRoom(runsRoom);
  // Opening beside the flow narrows it: nodes it hides come back into view.
  useRefitWhenOpened(true);
  useEffect(() => {
    if (runsRoom) rememberRunsRoom(runsRoom);
  }, [runsRoom]);
  // While open here, the runs room's own document says which results its runs pin.
  useEffect(() => {
    if (runsRoom && runs) trackRunsDoc(runsRoom, runs.doc);
  }, [runsRoom, runs]);
  const history = useDocValue(runs?.doc, listRuns, NO_RUNS);
  const queue = useQueue(session);
  const [open, setOpen] = useState<string | null>(null);
  const opened = history.find((r) => r.id === open) ?? null;

  const runAgain = (run: RunRecord) => {
    if (!session) return;
    // One undo step: the inputs put back, apart from the edits before and after.
    const undo = workflowUndo(doc);
    undo.stopCapturing();
    let inputs: NodeInputs = {};
    doc.transact(() => (inputs = applyRunInputs(doc, run)), ORIGIN.local);
    undo.stopCapturing();
    session.requestRun(undefined, { inputs, trigger: 'again' });
  };

  return (
    <aside class="runs-panel" data-testid="runs-panel" aria-label="Runs">
      <header class="results-dock-head">
        <strong>Runs</strong>
        <span class="spacer" />
        <button type="button" data-testid="close-runs" title="Close the runs" onClick={onClose}>
          ×
        </button>
      </header>
      {queue.length > 0 && (
        <section class="runs-queue" data-testid="run-queue">
          <h4>Waiting to run here</h4>
          <ol>
            {queue.map((q, i) => (
              <li key={q.id} data-testid="queued-run" data-queue-id={q.id} title={`Runs with the inputs as they were then: ${JSON.stringify(q.inputs).slice(0, 500)}`}>
                <span>
                  {i + 1}. asked at {when(q.asked_at)}
                  {q.trigger === 'again' ? ' (run again)' : q.targets ? ` (${q.targets.length} node${q.targets.length > 1 ? 's' : ''})` : ''}
                </span>
                <button
                  type="button"
                  class="link"
                  data-testid="cancel-queued"
                  aria-label={`Cancel queued run ${i + 1}`}
                  title="Take this run out of the queue: it will not start"
                  onClick={() => void session?.cancelQueued(q.id)}
                >
                  Cancel
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
      {opened ? (
        <RunDetail run={opened} readOnly={readOnly || !session} onBack={() => setOpen(null)} onRunAgain={() => runAgain(opened)} />
      ) : history.length === 0 ? (
        <p class="muted">{runs ? 'No runs yet: the runs of everyone in this workflow show here.' : 'Loading runs…'}</p>
      ) : (
        <ul class="runs-list">
          {history.map((run) => (
            <li key={run.id}>
              <button type="button" class="run-row" data-testid="run-row" data-run-id={run.id} data-by={run.by.name} data-trigger={run.trigger} data-status={run.status} onClick={() => setOpen(run.id)}>
                <span class={`run-status run-${run.status === 'error' ? 'error' : run.status === 'cancelled' ? 'cancelled' : 'done'}`}>{run.status}</span>
                <span>
                  {when(run.started_at)} · <strong>{run.by.name}</strong>
                  {viaOf(run) ? ` ${viaOf(run)}` : ''} · {formatDuration(run.duration_ms)}
                </span>
                <span class="muted">{nodeCounts(run)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

/** One run: its nodes with their status, time, inputs and outputs (from the cache, where kept). */
function RunDetail({ run, readOnly, onBack, onRunAgain }: { run: RunRecord; readOnly: boolean; onBack: () => void; onRunAgain: () => void }) {
  return (
    <div class="run-detail" data-testid="run-detail" data-run-id={run.id}>
      <p>
        <button type="button" class="link" data-testid="runs-back" onClick={onBack}>
          ← All runs
        </button>
      </p>
      <p>
        {when(run.started_at)} by <strong>{run.by.name}</strong>
        {viaOf(run) ? ` ${viaOf(run)}` : ''}, {run.status} in {formatDuration(run.duration_ms)}
      </p>
      <button
        type="button"
        class="primary"
        data-testid="run-again"
        disabled={readOnly}
        aria-describedby={readOnly ? 'run-again-why' : undefined}
        title={readOnly ? undefined : 'Put this run’s inputs back on the canvas (one undo takes them back) and run: unchanged results come from the cache'}
        onClick={onRunAgain}
      >
        Run again with these inputs
      </button>
      {readOnly && (
        <span class="muted disabled-reason" id="run-again-why" data-testid="run-again-why">
          {' '}
          This workflow is read-only here.
        </span>
      )}
      {Object.entries(run.nodes).map(([id, node]) => (
        <section key={id} class="run-node" data-testid="run-node" data-node={id} data-status={node.status}>
          <header>
            <strong>{node.label}</strong> <span class="muted">{node.status} · {formatDuration(node.duration_ms)}</span>
          </header>
          {node.error && <pre class="output-text">{node.error}</pre>}
          {Object.keys(node.inputs).length > 0 && <p class="muted" data-testid="run-node-inputs">inputs: {JSON.stringify(node.inputs)}</p>}
          {node.cache_key && <CachedOutputs cacheKey={node.cache_key} />}
        </section>
      ))}
    </div>
  );
}

/** A node's outputs as this browser's result cache keeps them, or why they are not shown. */
function CachedOutputs({ cacheKey }: { cacheKey: string }) {
  const [outputs, setOutputs] = useState<Record<string, Json> | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void resultCache.get(cacheKey).then(
      (hit) => live && setOutputs(hit?.outputs ?? null),
      () => live && setOutputs(null),
    );
    return () => {
      live = false;
    };
  }, [cacheKey]);
  if (outputs === undefined) return <p class="muted">Loading outputs…</p>;
  if (outputs === null) return <p class="muted" data-testid="run-outputs-gone">Its outputs are not kept in this browser: run again to make them.</p>;
  return (
    <div data-testid="run-outputs">
      {Object.entries(outputs).map(([name, value]) => (
        <OutputItem key={name} name={name} value={value} />
      ))}
    </div>
  );
}
