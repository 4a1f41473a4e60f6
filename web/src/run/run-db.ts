import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { NodeState, RunResult, RunTrace } from '../../../shared/src/execution/types';

/** A node's last result in a workflow, with the signature of the graph it was made under. */
export interface SavedNode {
  state: NodeState;
  signature: string | undefined;
  /** When the result was made. */
  at: number;
}

/** The stores whose bytes count against the storage budget (result-budget.ts). */
export type CountedStore = 'results' | 'nodes';

/** One counted entry's size and last use, kept apart from the entry so a use rewrites only this. */
export interface UsageEntry {
  store: CountedStore;
  key: string;
  bytes: number;
  /** When it was last written or read; the least recently used go first. */
  at: number;
}

export interface RunsDB extends DBSchema {
  /** Executor results by cache key (skill source + resolved inputs). */
  results: { key: string; value: RunResult };
  /** One trace per run. */
  traces: { key: string; value: RunTrace; indexes: { startedAt: string } };
  /** Last result per node, keyed `room \u0000 nodeId`, so a reopened workflow shows it. */
  nodes: { key: string; value: SavedNode };
  /** Size and last use of every entry of `results` and `nodes`, keyed [store, key]. */
  usage: { key: [CountedStore, string]; value: UsageEntry; indexes: { at: number } };
  /** Bytes of each counted store, kept up to date with every write, so no write has to add them up. */
  totals: { key: CountedStore; value: number };
}

/**
 * The size a counted entry is charged: the characters of its JSON (results and node states are
 * JSON values, mostly numbers and ASCII text, a byte a character), measured in one native pass.
 */
export const sizeOf = (value: RunResult | SavedNode): number => JSON.stringify(value).length;

type UpgradeTx = IDBPTransaction<RunsDB, StoreNames<RunsDB>[], 'versionchange'>;

/** Counts the node results a version 2 store kept, which stay; its cached results were dropped. */
async function countKeptNodes(tx: UpgradeTx): Promise<void> {
  let total = 0;
  for (let cursor = await tx.objectStore('nodes').openCursor(); cursor; cursor = await cursor.continue()) {
    const bytes = sizeOf(cursor.value);
    total += bytes;
    await tx.objectStore('usage').put({ store: 'nodes', key: cursor.key, bytes, at: cursor.value.at }, ['nodes', cursor.key]);
  }
  await Promise.all([tx.objectStore('totals').put(total, 'nodes'), tx.objectStore('totals').put(0, 'results')]);
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
export function openRunDb(): Promise<IDBPDatabase<RunsDB>> {
  if (ready) return Promise.resolve(ready);
  opening ??= openDB<RunsDB>('llmunix-runs', 3, {
    upgrade(d, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        d.createObjectStore('traces');
        d.createObjectStore('nodes');
      } else {
        // Version 1 kept bare results, version 2 each with its time of use; both are only a cache.
        d.deleteObjectStore('results');
      }
      d.createObjectStore('results');
      if (oldVersion < 2) tx.objectStore('traces').createIndex('startedAt', 'startedAt');
      d.createObjectStore('usage').createIndex('at', 'at');
      d.createObjectStore('totals');
      void countKeptNodes(tx);
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
