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
  const read = (): NodeRun | null => (nodeId ? session?.node(nodeId) : null) ?? null;
  // Kept with the node and session it was read for: when the node changes (the dock shows
  // another one), the first render reads the new node's state instead of showing the old one's.
  const [held, setHeld] = useState(() => ({ session, nodeId, run: read() }));
  useEffect(() => {
    if (!session || !nodeId) return setHeld({ session, nodeId, run: null });
    setHeld({ session, nodeId, run: session.node(nodeId) });
    return session.subscribe(nodeId, () => setHeld({ session, nodeId, run: session.node(nodeId) }));
  }, [session, nodeId]);
  const current = held.session === session && held.nodeId === nodeId;
  return { session, run: current ? held.run : read() };
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
