import { useEffect, useState } from 'preact/hooks';
import { shownText, shownTitle, type ShownKind } from './node-state';
import { formatDuration, useNodeRun, useRunSummary } from './run-context';
import type { CompoundProgress, NodeRun, RunSession } from './run-session';
import { errorPieces } from '../../../shared/src/execution/error-lines';
import { innerNodeName } from './inner-node';
import { DeviceNote } from './device-note';
import './run-progress.css';

const MB = 1024 * 1024;

/** "4.2 MB", or "4.2 of 11.3 MB" when the whole size is known; "starting" once downloaded. */
function engineProgress(run: NodeRun): string | undefined {
  const engine = run.engine;
  if (engine?.phase !== 'loading') return undefined;
  if (engine.step === 'starting') return 'starting';
  if (engine.loaded === 0) return undefined;
  const loaded = (engine.loaded / MB).toFixed(1);
  return engine.total ? `${loaded} of ${(engine.total / MB).toFixed(1)} MB` : `${loaded} MB`;
}

/** The words of a node's state, with its time: live while it runs. */
function stateText(run: NodeRun, now: number): string {
  const duration = run.state?.durationMs;
  const time =
    run.kind === 'running'
      ? formatDuration(Math.max(0, now - (run.startedAt ?? now)))
      : duration !== undefined && (run.kind === 'done' || run.kind === 'error')
        ? formatDuration(duration)
        : undefined;
  return shownText(run.kind, time, { runtime: 'Python', progress: engineProgress(run) });
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

/** "1 of 3 · Scale": a compound node's inner nodes done of all, and which run now (by label, else path). */
function progressText(progress: CompoundProgress, session: RunSession): string {
  const running = progress.running.map((path) => session.innerNode(path)?.label || path);
  return `${progress.done} of ${progress.total}${running.length > 0 ? ` · ${running.join(', ')}` : ''}`;
}

function InnerFailure({ session, nodeId, error }: { session: RunSession; nodeId: string; error: string }) {
  const text = innerFailureText(session, nodeId, error);
  return text ? (
    <span class="inner-failure" data-testid="compound-failure">
      {text}
    </span>
  ) : null;
}

/** A compound node's progress, in the run bar after its state. */
function ProgressNote({ progress, session, testId }: { progress: CompoundProgress; session: RunSession; testId: string }) {
  return (
    <span
      class="run-progress muted"
      data-testid={testId}
      data-done={progress.done}
      data-total={progress.total}
      title={`Inner nodes done (or reused) of all${progress.running.length > 0 ? `; running: ${progress.running.map((path) => innerNodeName(session.innerNode(path), path)).join(', ')}` : ''}`}
    >
      {progressText(progress, session)}
    </span>
  );
}

/**
 * What failed inside a compound node, said on the node: the inner node, its skill and the line
 * of that skill's file (the dock shows the whole error).
 */
function innerFailureText(session: RunSession, nodeId: string, error: string): string | undefined {
  const failed = session.failedInner(nodeId);
  if (!failed) return undefined;
  const line = errorPieces(error).find((p) => typeof p !== 'string');
  const skill = failed.skillId ? `, skill ${failed.skillId}` : '';
  return `failed in ${innerNodeName(session.innerNode(failed.path), failed.path)}${skill}${line && typeof line !== 'string' ? `, line ${line.line}` : ''}`;
}

/** States of a run going on now. */
const LIVE: readonly ShownKind[] = ['queued', 'loading', 'running'];

/**
 * A node's run bar: one state in words (waiting, loading Python…, running 2.1 s, done, reused
 * earlier result, out of date, failed) and a button to run it and what it needs. Its results
 * show in the dock beside the canvas, never inside the node. With no state of its own, or while
 * a collaborator runs it, the node shows the collaborator's, read against this person's inputs.
 */
export function NodeRunBar({ nodeId, compact }: { nodeId: string; compact: boolean }) {
  const { session, run } = useNodeRun(nodeId);
  const now = useNow(run?.kind === 'running');
  // The summary, not `session.running`: a node whose last change came before the run ended must
  // still see it end, or its ▶ stays disabled.
  const running = useRunSummary(session)?.running ?? false;
  if (!session || !run) return null;
  const remote = run.kind === 'none' ? run.remote[0] : LIVE.includes(run.kind) ? undefined : run.remote.find((r) => LIVE.includes(r.kind));
  return (
    <div class="run-bar">
      {run.kind !== 'none' && !remote && (
        <span class={`run-status run-${run.kind}`} data-testid="run-status" data-status={run.kind} title={shownTitle(run.kind, run.reason, run.state?.error)}>
          {stateText(run, now)}
        </span>
      )}
      {run.kind !== 'none' && !remote && run.state?.device && !LIVE.includes(run.kind) && <DeviceNote device={run.state.device} compact />}
      {run.kind !== 'none' && !remote && run.state?.progress && !compact && <ProgressNote progress={run.state.progress} session={session} testId="compound-progress" />}
      {run.kind === 'error' && !remote && run.state?.progress && !compact && <InnerFailure session={session} nodeId={nodeId} error={run.state.error ?? ''} />}
      {remote && (
        <span class={`run-status run-${remote.kind}`} data-testid="remote-run-status" data-status={remote.kind} style={{ boxShadow: `inset 0 0 0 1px ${remote.color}` }} title={`${remote.name}'s run. ${shownTitle(remote.kind)}`}>
          {remote.name}: {shownText(remote.kind)}
        </span>
      )}
      {remote?.progress && !compact && <ProgressNote progress={remote.progress} session={session} testId="remote-compound-progress" />}
      {run.kind === 'none' && !remote && !compact && <span class="run-status run-none">not run</span>}
      <span class="spacer" />
      {!compact && (
        <button
          type="button"
          class="nodrag run-node"
          data-testid="run-node"
          title="Run this node and what it needs"
          disabled={running}
          onClick={() => session.requestRun([nodeId])}
        >
          ▶
        </button>
      )}
    </div>
  );
}
