import type { ResultCache, RunTrace } from '../../../shared/src/execution/types';
import { markUsed, putCounted } from './result-budget';
import { openRunDb, type SavedNode } from './run-db';

/**
 * How many traces the history keeps: a workflow run adds one each time, so without a bound
 * IndexedDB would grow for as long as the app is used. Results and node states are bounded by
 * bytes instead (result-budget.ts), being what can be large (plots, arrays).
 */
export const KEEP_TRACES = 500;

/** The executor's result cache, in this browser's IndexedDB, within the storage budget. */
export const resultCache: ResultCache = {
  get: async (key) => {
    const result = await (await openRunDb()).get('results', key);
    if (result) void markUsed('results', key).catch(() => undefined);
    return result;
  },
  set: (key, result) => putCounted('results', key, result),
};

/** Announces each saved trace (`trace-saved`), so what is mined from runs can follow. */
export const traceEvents = new EventTarget();

export async function saveTrace(trace: RunTrace): Promise<void> {
  const d = await openRunDb();
  await d.put('traces', trace, trace.id);
  const tx = d.transaction('traces', 'readwrite');
  const excess = (await tx.store.count()) - KEEP_TRACES;
  let cursor = await tx.store.index('startedAt').openCursor();
  for (let dropped = 0; cursor && dropped < excess; dropped++) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
  traceEvents.dispatchEvent(new Event('trace-saved'));
}

/** The traces this browser kept (the latest KEEP_TRACES runs), oldest first. */
export async function listTraces(): Promise<RunTrace[]> {
  return (await openRunDb()).getAllFromIndex('traces', 'startedAt');
}

const nodeKey = (room: string, nodeId: string) => `${room}\u0000${nodeId}`;

export function saveNode(room: string, nodeId: string, saved: SavedNode): Promise<void> {
  return putCounted('nodes', nodeKey(room, nodeId), saved);
}

/** The last results of a workflow's nodes, which count as used now. */
export async function loadNodes(room: string): Promise<Map<string, SavedNode>> {
  const d = await openRunDb();
  const [from, upTo] = [`${room}\u0000`, `${room}\u0001`];
  const range = IDBKeyRange.bound(from, upTo, false, true);
  const [keys, values] = await Promise.all([d.getAllKeys('nodes', range), d.getAll('nodes', range)]);
  if (keys.length > 0) void markUsed('nodes', from, upTo).catch(() => undefined);
  return new Map(keys.map((k, i) => [k.slice(room.length + 1), values[i] as SavedNode]));
}
