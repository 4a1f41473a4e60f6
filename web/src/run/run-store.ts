import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NodeState, ResultCache, RunResult, RunTrace } from '../../../shared/src/execution/types';

/** A node's last result in a workflow, with the signature of the graph it was made under. */
export interface SavedNode {
  state: NodeState;
  signature: string | undefined;
  at: number;
}

interface RunsDB extends DBSchema {
  /** Executor results by cache key (skill source + resolved inputs). */
  results: { key: string; value: RunResult };
  /** One trace per run. */
  traces: { key: string; value: RunTrace };
  /** Last result per node, keyed `room \u0000 nodeId`, so a reopened workflow shows it. */
  nodes: { key: string; value: SavedNode };
}

let db: Promise<IDBPDatabase<RunsDB>> | null = null;
const open = () =>
  (db ??= openDB<RunsDB>('llmunix-runs', 1, {
    upgrade(d) {
      d.createObjectStore('results');
      d.createObjectStore('traces');
      d.createObjectStore('nodes');
    },
  }));

/** The executor's result cache, in this browser's IndexedDB. */
export const resultCache: ResultCache = {
  get: async (key) => (await open()).get('results', key),
  set: async (key, result) => {
    await (await open()).put('results', result, key);
  },
};

export async function saveTrace(trace: RunTrace): Promise<void> {
  await (await open()).put('traces', trace, trace.id);
}

/** Every trace of a workflow (by its room name), oldest first. */
export async function tracesOf(workflow: string): Promise<RunTrace[]> {
  const all = await (await open()).getAll('traces');
  return all.filter((t) => t.workflow === workflow).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

const nodeKey = (room: string, nodeId: string) => `${room}\u0000${nodeId}`;

export async function saveNode(room: string, nodeId: string, saved: SavedNode): Promise<void> {
  await (await open()).put('nodes', saved, nodeKey(room, nodeId));
}

/** The last results of a workflow's nodes. */
export async function loadNodes(room: string): Promise<Map<string, SavedNode>> {
  const d = await open();
  const range = IDBKeyRange.bound(`${room}\u0000`, `${room}\u0001`, false, true);
  const [keys, values] = await Promise.all([d.getAllKeys('nodes', range), d.getAll('nodes', range)]);
  return new Map(keys.map((k, i) => [k.slice(room.length + 1), values[i] as SavedNode]));
}
