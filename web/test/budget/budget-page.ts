// Bundled by web/test/run-budget.e2e.test.ts and loaded into a page of the app's origin: the run
// store and its budget as the app ships them, over the page's real IndexedDB.
import type { RunResult } from '../../../shared/src/execution/types';
import { setStorageBudget } from '../../src/run/budget-setting';
import { clearCounted, countedUsage, keepPinnedResults, keepToBudget } from '../../src/run/result-budget';
import { openRunDb, sizeOf, type SavedNode, type UsageEntry } from '../../src/run/run-db';
import { loadNodes, resultCache, saveNode } from '../../src/run/run-store';

/** A result of exactly `bytes` bytes as the budget counts it. */
function result(tag: string, bytes: number): RunResult {
  const made = (fill: string): RunResult => ({ outputs: { tag, fill }, stdout: '' });
  return made('x'.repeat(Math.max(0, bytes - sizeOf(made('')))));
}

/** A node's saved result of exactly `bytes` bytes as the budget counts it. */
function node(tag: string, bytes: number): SavedNode {
  const made = (fill: string): SavedNode => ({ state: { status: 'done', stdout: '', outputs: { tag, fill } }, signature: tag, at: Date.now() });
  return made('x'.repeat(Math.max(0, bytes - sizeOf(made('')))));
}

let pinned = new Set<string>();
// Answered a moment later, as reading the run histories is: a transaction opened before asking
// would have committed by then.
keepPinnedResults(() => new Promise((resolve) => setTimeout(() => resolve(new Set(pinned)), 5)));

const budgetPage = {
  /** Writes a cached result and waits until the store keeps to its budget again. */
  async set(key: string, bytes: number) {
    await resultCache.set(key, result(key, bytes));
    await keepToBudget();
  },
  /** Writes `count` cached results `prefix0`, `prefix1`… oldest first, then waits until the store keeps to its budget. */
  async fill(prefix: string, count: number, bytes: number) {
    for (let i = 0; i < count; i++) await resultCache.set(`${prefix}${i}`, result(`${prefix}${i}`, bytes));
    await keepToBudget();
  },
  /** Reads a cached result (marking it used); its tag, or null when it is not kept. */
  async get(key: string): Promise<string | null> {
    const found = await resultCache.get(key);
    return found ? String(found.outputs.tag) : null;
  },
  async saveNode(room: string, id: string, bytes: number) {
    await saveNode(room, id, node(id, bytes));
    await keepToBudget();
  },
  async loadNodes(room: string): Promise<string[]> {
    return [...(await loadNodes(room)).keys()].sort();
  },
  setBudget: (bytes: number) => setStorageBudget(bytes),
  keepToBudget: () => keepToBudget(),
  pin(keys: string[]) {
    pinned = new Set(keys);
  },
  /** Makes the pinned keys unknowable, as when the run history cannot be read. */
  failPins() {
    keepPinnedResults(() => Promise.reject(new Error('the run history could not be read')));
  },
  usage: () => countedUsage(),
  clear: (store: 'results' | 'nodes') => clearCounted(store),
  /** Everything the store holds: the keys of both counted stores, their usage entries and totals. */
  async contents() {
    const d = await openRunDb();
    const [results, nodes, usage, totalResults, totalNodes] = await Promise.all([
      d.getAllKeys('results'),
      d.getAllKeys('nodes'),
      d.getAll('usage') as Promise<UsageEntry[]>,
      d.get('totals', 'results'),
      d.get('totals', 'nodes'),
    ]);
    return { results: results.sort(), nodes: nodes.sort(), usage, totals: { results: totalResults ?? 0, nodes: totalNodes ?? 0 } };
  },
};

export type BudgetPage = typeof budgetPage;

declare global {
  interface Window {
    budgetPage: BudgetPage;
  }
}

window.budgetPage = budgetPage;
