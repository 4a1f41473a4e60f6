import { createStore, type ReadonlyStore } from '../documents/store';

/**
 * Whether this browser keeps the app's data when space runs low: `persistent` (only the person
 * can clear it), `best-effort` (the browser may clear it under storage pressure), `asking`, or
 * `unavailable` (no StorageManager: an insecure context or an old browser).
 */
export type Persistence = 'asking' | 'persistent' | 'best-effort' | 'unavailable';

const answer = createStore<Persistence>('asking');

/** The browser's answer to the request for persistent storage. */
export const persistence: ReadonlyStore<Persistence> = answer;

/**
 * Asks, once at start, that the browser not clear this app's storage on its own: everything the
 * person made lives in IndexedDB until it syncs. Browsers decide by their own rules (an installed
 * app, a bookmark, how much the site is used), so the answer may be no; it is shown, not retried.
 */
export async function askPersistentStorage(): Promise<Persistence> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.persist) {
    answer.set('unavailable');
    return answer.get();
  }
  const granted = await storage.persisted().then((already) => already || storage.persist()).catch(() => false);
  answer.set(granted ? 'persistent' : 'best-effort');
  return answer.get();
}
