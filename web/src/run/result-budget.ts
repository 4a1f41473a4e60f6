import type { IDBPDatabase } from 'idb';
import { storageBudget } from './budget-setting';
import { openRunDb, sizeOf, type CountedStore, type RunsDB, type UsageEntry } from './run-db';

/**
 * The storage budget of the result cache and the saved node results: every write is counted
 * (its size and time in `usage`, the store's bytes in `totals`), every read marks the entry used,
 * and a write that takes the two stores over the budget drops the least recently used entries
 * until they fit again; an entry larger than the whole budget goes too, once all older have gone.
 *
 * Cached results of runs in a run history are pinned: never dropped, and outside the budget,
 * which bounds the rest. Counted inside it, pinned results alone could fill it, and then every
 * new result would go as soon as written, before its run, recorded when it ends, could pin it.
 */

/** The cache keys of results to keep whatever their age (the outputs of runs in the run history). */
export type PinnedKeys = () => Promise<Set<string>>;

let pinnedKeys: PinnedKeys = () => Promise.resolve(new Set());

/** Sets where the pinned cache keys come from; the app does this once at start. */
export function keepPinnedResults(pinned: PinnedKeys): void {
  pinnedKeys = pinned;
}

/** Announces every change of the counted stores' bytes (`usage-changed`), for the storage view. */
export const usageEvents = new EventTarget();
const changed = () => usageEvents.dispatchEvent(new Event('usage-changed'));

let lastUse = 0;
/** A time of use that grows strictly within this page, so uses in one millisecond keep their order. */
const useTime = () => (lastUse = Math.max(Date.now(), lastUse + 0.001));

/** Every usage key of one store: arrays sort after strings, so [store, []] follows all [store, key]. */
const wholeStore = (store: CountedStore) => IDBKeyRange.bound([store], [store, []]);

interface StoreValues {
  results: RunsDB['results']['value'];
  nodes: RunsDB['nodes']['value'];
}

/**
 * Writes an entry of a counted store with its size and time of use. Keeping to the budget follows
 * in the background: a run waits for its results to be stored, not for older ones to be dropped.
 */
export async function putCounted<S extends CountedStore>(store: S, key: string, value: StoreValues[S]): Promise<void> {
  const bytes = sizeOf(value);
  const d = await openRunDb();
  const tx = d.transaction([store, 'usage', 'totals'], 'readwrite');
  const usage = tx.objectStore('usage');
  const totals = tx.objectStore('totals');
  const [before, total] = await Promise.all([usage.get([store, key]), totals.get(store)]);
  await Promise.all([
    // idb types each store's values, but cannot follow `S` from the name to the value: StoreValues does.
    tx.objectStore(store).put(value as never, key),
    usage.put({ store, key, bytes, at: useTime() }, [store, key]),
    totals.put((total ?? 0) - (before?.bytes ?? 0) + bytes, store),
    tx.done,
  ]);
  changed();
  // A pass that fails (the store went away) leaves the excess to the next write's pass.
  void keepToBudget().catch(() => undefined);
}

/**
 * Marks entries used now: `key`, or every key from `key` up to (not including) `upTo`. Only the
 * small usage record is rewritten; an entry dropped meanwhile is not brought back.
 */
export async function markUsed(store: CountedStore, key: string, upTo?: string): Promise<void> {
  const d = await openRunDb();
  const range = upTo === undefined ? IDBKeyRange.only([store, key]) : IDBKeyRange.bound([store, key], [store, upTo], false, true);
  const tx = d.transaction('usage', 'readwrite');
  const at = useTime();
  for (let cursor = await tx.store.openCursor(range); cursor; cursor = await cursor.continue()) await cursor.update({ ...cursor.value, at });
  await tx.done;
}

/** Bytes of each counted store. */
async function storeBytes(d: IDBPDatabase<RunsDB>): Promise<Record<CountedStore, number>> {
  const tx = d.transaction('totals');
  const [results, nodes] = await Promise.all([tx.store.get('results'), tx.store.get('nodes')]);
  return { results: results ?? 0, nodes: nodes ?? 0 };
}

/** How many usage entries a pass reads at once. */
const DROP_BATCH = 500;

let keeping: Promise<void> | null = null;
let keepAgain = false;

/**
 * Drops the least recently used unpinned entries until both stores fit the budget. Writes come in
 * bursts (every node of a run): while one pass runs, later calls share one more pass after it.
 */
export function keepToBudget(): Promise<void> {
  if (keeping) {
    keepAgain = true;
    return keeping;
  }
  keeping = (async () => {
    do {
      keepAgain = false;
      await dropLeastRecentlyUsed(storageBudget.get());
    } while (keepAgain);
  })().finally(() => (keeping = null));
  return keeping;
}

/** The usage entries of the pinned keys that are cached, read through a transaction's `usage` store. */
async function pinnedEntries(get: (key: [CountedStore, string]) => Promise<UsageEntry | undefined>, pinned: Set<string>): Promise<UsageEntry[]> {
  const entries = await Promise.all([...pinned].map((key) => get(['results', key])));
  return entries.filter((u) => u !== undefined);
}

const sumBytes = (entries: UsageEntry[]) => entries.reduce((n, u) => n + u.bytes, 0);

async function dropLeastRecentlyUsed(budget: number): Promise<void> {
  const d = await openRunDb();
  const before = await storeBytes(d);
  if (before.results + before.nodes <= budget) return;
  // Asked before the transaction opens: it would commit while waiting on anything but IndexedDB.
  // Not knowing which runs keep their outputs, drop nothing rather than one of theirs.
  const pinned = await pinnedKeys().catch(() => null);
  if (!pinned) return;
  const tx = d.transaction(['results', 'nodes', 'usage', 'totals'], 'readwrite');
  const usage = tx.objectStore('usage');
  const totals = tx.objectStore('totals');
  const [results, nodes, kept] = await Promise.all([totals.get('results'), totals.get('nodes'), pinnedEntries((key) => usage.get(key), pinned)]);
  const bytes = { results: results ?? 0, nodes: nodes ?? 0 };
  let over = bytes.results + bytes.nodes - sumBytes(kept) - budget;
  // Read oldest first a batch at a time, not a cursor step per entry: past many pinned entries,
  // stepping was most of a pass's time.
  const drops: Array<Promise<unknown>> = [];
  let after: IDBKeyRange | undefined;
  while (over > 0) {
    const batch = await usage.index('at').getAll(after, DROP_BATCH);
    for (const entry of batch) {
      if (over <= 0) break;
      if (entry.store === 'results' && pinned.has(entry.key)) continue;
      drops.push(tx.objectStore(entry.store).delete(entry.key), usage.delete([entry.store, entry.key]));
      bytes[entry.store] -= entry.bytes;
      over -= entry.bytes;
    }
    if (batch.length < DROP_BATCH) break;
    // An entry used at the very time of the batch's last (another tab's) waits for the next pass.
    after = IDBKeyRange.lowerBound(batch.at(-1)!.at, true);
  }
  await Promise.all(drops);
  await Promise.all([totals.put(bytes.results, 'results'), totals.put(bytes.nodes, 'nodes'), tx.done]);
  if (drops.length > 0) changed();
}

/** What one counted store holds. */
export interface StoreUsage {
  bytes: number;
  entries: number;
}

/** What the result cache and the saved node results hold, and how much of the cache is pinned. */
export async function countedUsage(): Promise<Record<CountedStore, StoreUsage> & { pinned: StoreUsage }> {
  const d = await openRunDb();
  const bytes = await storeBytes(d);
  const [results, nodes] = await Promise.all([d.count('usage', wholeStore('results')), d.count('usage', wholeStore('nodes'))]);
  // Asked before the transaction opens, which would commit while waiting on anything else.
  const keys = await pinnedKeys().catch(() => new Set<string>());
  const usage = d.transaction('usage').store;
  const pinned = await pinnedEntries((key) => usage.get(key), keys);
  return {
    results: { bytes: bytes.results, entries: results },
    nodes: { bytes: bytes.nodes, entries: nodes },
    pinned: { bytes: sumBytes(pinned), entries: pinned.length },
  };
}

/** Empties a counted store, pinned entries included: the person asked for the room. */
export async function clearCounted(store: CountedStore): Promise<void> {
  const d = await openRunDb();
  const tx = d.transaction([store, 'usage', 'totals'], 'readwrite');
  await Promise.all([tx.objectStore(store).clear(), tx.objectStore('usage').delete(wholeStore(store)), tx.objectStore('totals').put(0, store), tx.done]);
  changed();
}
