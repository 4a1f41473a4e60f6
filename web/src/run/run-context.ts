import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { NodeRun, RunSession, RunSummary } from './run-session';

/** The canvas's run session; skill nodes read their state from it (React Flow passes no props). */
export const RunContext = createContext<RunSession | null>(null);

/**
 * A node's run view, re-rendered only when that node's state changes; from the canvas's session
 * unless one is given.
 */
export function useNodeRun(nodeId: string | null, given?: RunSession | null): { session: RunSession | null; run: NodeRun | null } {
  const context = useContext(RunContext);
  const session = given === undefined ? context : given;
  const [run, setRun] = useState<NodeRun | null>(() => (nodeId ? session?.node(nodeId) : null) ?? null);
  useEffect(() => {
    if (!session || !nodeId) return setRun(null);
    setRun(session.node(nodeId));
    return session.subscribe(nodeId, () => setRun(session.node(nodeId)));
  }, [session, nodeId]);
  return { session, run };
}

/** The run summary, for the toolbar. */
export function useRunSummary(session: RunSession | null): RunSummary | null {
  const [summary, setSummary] = useState<RunSummary | null>(() => session?.getSummary() ?? null);
  useEffect(() => {
    if (!session) return;
    setSummary(session.getSummary());
    return session.subscribe('*', () => setSummary(session.getSummary()));
  }, [session]);
  return summary;
}

/** "340 ms", "2.4 s", "1 min 05 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
