import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NodeState, ResultCache, RunResult, RunTrace } from '../../../shared/src/execution/types';

/** A node's last result in a workflow, with the signature of the graph it was made under. */
export interface SavedNode {
  state: NodeState;
  signature: string | undefined;
  at: number;
}

/** A cached result and when it was last used, so the least recently used go first. */
interface CachedResult {
  result: RunResult;
  at: number;
}

/**
 * How much the cache and the trace history keep. Results can be large (plots, arrays) and a
 * workflow run often makes new ones, so without a bound IndexedDB would grow for as long as the
 * app is used; the oldest are dropped, a cheap re-run brings any back.
 */
export const KEEP_RESULTS = 1000;
export const KEEP_TRACES = 500;

interface RunsDB extends DBSchema {
  /** Executor results by cache key (skill source + resolved inputs). */
  results: { key: string; value: CachedResult; indexes: { at: number } };
  /** One trace per run. */
  traces: { key: string; value: RunTrace; indexes: { startedAt: string } };
  /** Last result per node, keyed `room \u0000 nodeId`, so a reopened workflow shows it. */
  nodes: { key: string; value: SavedNode };
}

/** The one open request (a second would queue behind it), and the store once it is open. */
let opening: Promise<IDBPDatabase<RunsDB>> | null = null;
let ready: IDBPDatabase<RunsDB> | null = null;
/** Set while the upgrade waits for a tab of an older release to let go of the store. */
let blocked = false;
let whenBlocked: Array<() => void> = [];

const blockedError = () => new Error('the run store is held at an older version by another tab of this app: reload or close that tab');

/**
 * Opens the store. If a tab of an older release holds it at its old version, the upgrade waits
 * for that tab; rather than leave every run waiting too, the store counts as unavailable until
 * then (runs go on without the cache, traces are not kept).
 */
function open(): Promise<IDBPDatabase<RunsDB>> {
  if (ready) return Promise.resolve(ready);
  opening ??= openDB<RunsDB>('llmunix-runs', 2, {
    upgrade(d, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        d.createObjectStore('traces');
        d.createObjectStore('nodes');
      } else {
        // Version 1 kept bare results with no time of use; they are only a cache.
        d.deleteObjectStore('results');
      }
      d.createObjectStore('results').createIndex('at', 'at');
      tx.objectStore('traces').createIndex('startedAt', 'startedAt');
    },
    blocked() {
      blocked = true;
      for (const fail of whenBlocked.splice(0)) fail();
    },
    // A newer release, in another tab, wants to upgrade the store: let it, rather than leave
    // its runs waiting on this tab. This tab is offered the reload into that release.
    blocking() {
      ready?.close();
      ready = null;
      opening = null;
    },
  }).then(
    (d) => {
      blocked = false;
      whenBlocked = [];
      ready = d;
      return d;
    },
    (e: unknown) => {
      opening = null;
      throw e;
    },
  );
  if (blocked) return Promise.reject(blockedError());
  const pending = opening;
  return new Promise((resolve, reject) => {
    whenBlocked.push(() => reject(blockedError()));
    pending.then(resolve, reject);
  });
}

/** What dropping entries needs of an idb cursor. */
interface DeletingCursor {
  delete(): Promise<void>;
  continue(): Promise<DeletingCursor | null>;
}

/** Deletes `excess` entries from a cursor over an index ordered oldest first. */
async function dropOldest(first: Promise<DeletingCursor | null>, excess: number): Promise<void> {
  for (let cursor = await first; cursor && excess > 0; excess--) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
}

/** Keeps only the most recently used results and the latest traces. */
async function trim(store: 'results' | 'traces'): Promise<void> {
  const d = await open();
  if (store === 'results') {
    const tx = d.transaction('results', 'readwrite');
    await dropOldest(tx.store.index('at').openCursor(), (await tx.store.count()) - KEEP_RESULTS);
    await tx.done;
  } else {
    const tx = d.transaction('traces', 'readwrite');
    await dropOldest(tx.store.index('startedAt').openCursor(), (await tx.store.count()) - KEEP_TRACES);
    await tx.done;
  }
}

/** The executor's result cache, in this browser's IndexedDB, keeping the most recently used. */
export const resultCache: ResultCache = {
  get: async (key) => {
    const d = await open();
    const cached = await d.get('results', key);
    if (!cached) return undefined;
    void d.put('results', { ...cached, at: Date.now() }, key).catch(() => undefined);
    return cached.result;
  },
  set: async (key, result) => {
    await (await open()).put('results', { result, at: Date.now() }, key);
    await trim('results');
  },
};

/** Announces each saved trace (`trace-saved`), so what is mined from runs can follow. */
export const traceEvents = new EventTarget();

export async function saveTrace(trace: RunTrace): Promise<void> {
  await (await open()).put('traces', trace, trace.id);
  await trim('traces');
  traceEvents.dispatchEvent(new Event('trace-saved'));
}

/** The traces this browser kept (the latest KEEP_TRACES runs), oldest first. */
export async function listTraces(): Promise<RunTrace[]> {
  return (await open()).getAllFromIndex('traces', 'startedAt');
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
