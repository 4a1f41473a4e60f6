import { err, ok, type Result } from '../../../shared/src/result';
import { createStore, type ReadonlyStore } from '../documents/store';

const MIB = 1024 * 1024;
/** What the result cache and the saved node results may take together, unless the person says otherwise. */
export const DEFAULT_BUDGET_BYTES = 500 * MIB;
const KEY = 'llmunix.storage-budget';

function load(): number {
  try {
    const saved = Number(localStorage.getItem(KEY));
    return Number.isFinite(saved) && saved > 0 ? saved : DEFAULT_BUDGET_BYTES;
  } catch {
    return DEFAULT_BUDGET_BYTES;
  }
}

const stored = createStore(load());
// Every tab of this browser keeps to the same budget, as they share one IndexedDB.
if (typeof window !== 'undefined') window.addEventListener('storage', (e) => e.key === KEY && stored.set(load()));

/** The storage budget in bytes, one per browser (kept in localStorage). */
export const storageBudget: ReadonlyStore<number> = stored;

/** Changes and remembers the budget; the caller then enforces it (result-budget.ts). */
export function setStorageBudget(bytes: number): void {
  stored.set(bytes);
  try {
    localStorage.setItem(KEY, String(bytes));
  } catch {
    // Storage refused (private mode, quota): the budget lasts this page only.
  }
}

/** A budget typed in MiB (decimals allowed), as bytes, or why it is not one. */
export function parseBudgetMib(text: string): Result<number, string> {
  const mib = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(mib) || mib <= 0) return err(`"${text}" is not a size: type the MiB the cache may use, such as 500.`);
  const bytes = Math.round(mib * MIB);
  return bytes < 1 ? err('That is less than a byte: type at least 0.001 MiB.') : ok(bytes);
}

/** Bytes as MiB for the budget's input: whole when whole, else to three decimals. */
export const budgetMib = (bytes: number): string => String(Math.round((bytes / MIB) * 1000) / 1000);
