import { useRunSummary, formatDuration } from './run-context';
import type { RunSession } from './run-session';
import { useQueue } from './runs-panel';

/** Run and Cancel for the whole workflow, and how the last run went. */
export function RunToolbar({ session }: { session: RunSession | null }) {
  const summary = useRunSummary(session);
  const queued = useQueue(session).length;
  if (!session || !summary) return null;
  const trace = summary.report?.trace;
  let text = '';
  if (summary.running) text = queued > 0 ? `Running… (${queued} queued)` : 'Running…';
  else if (summary.empty) text = 'Nothing to run: this workflow has no nodes yet. Add a skill to the canvas first.';
  else if (summary.error) text = `Run failed: ${summary.error}`;
  else if (summary.issues.length > 0) text = `Cannot run: ${summary.issues.map((i) => i.message).join(' ')}`;
  else if (trace) {
    const failed = trace.nodes.filter((n) => n.status === 'error').length;
    const cached = trace.nodes.filter((n) => n.cached).length;
    text =
      trace.status === 'cancelled'
        ? 'Cancelled'
        : `${failed > 0 ? `${failed} failed` : 'Done'} in ${formatDuration(trace.durationMs)}${cached > 0 ? ` (${cached} reused)` : ''}`;
  }
  return (
    <span class="run-toolbar">
      <button
        type="button"
        class="primary"
        data-testid="run-workflow"
        onClick={() => session.requestRun()}
        title={summary.running ? 'Queue a run with the inputs as they are now: it starts when the runs before it end (Runs lists the queue)' : 'Run every node whose result is out of date or missing (the others reuse their results)'}
      >
        Run
      </button>
      <button type="button" data-testid="cancel-run" disabled={!summary.running} onClick={() => session.cancel()}>
        Cancel
      </button>
      {text && (
        <span class={`run-summary ${summary.issues.length > 0 || summary.error ? 'bad' : ''}`} data-testid="run-summary" role="status">
          {text}
        </span>
      )}
    </span>
  );
}
