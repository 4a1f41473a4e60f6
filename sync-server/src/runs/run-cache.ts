import path from 'node:path';
import type { ResultCache } from '../../../shared/src/execution/types';
import { FileResultCache, MemoryResultCache } from '../headless/cache';

/** Where the file backend keeps the server's result cache, under DATA_DIR. */
export const RUN_CACHE_DIR = 'run-cache';

/** The server's one result cache, shared by every run, and how its results are saved. */
export interface RunCache {
  cache: ResultCache;
  /** Saves what changed; flushes never overlap (each writes the whole file through one temporary file). */
  flush(): Promise<void>;
}

/**
 * The result cache of deterministic skills, as the app keeps one: a file under
 * `DATA_DIR/run-cache` with the file backend (so results outlive a restart), in memory otherwise.
 */
export async function openRunCache(storage: { storage: 'file' | 'memory'; dataDir: string }, warn: (message: string) => void): Promise<RunCache> {
  if (storage.storage === 'memory') return { cache: new MemoryResultCache(), flush: async () => {} };
  const cache = await FileResultCache.open(path.join(storage.dataDir, RUN_CACHE_DIR), warn);
  let last: Promise<void> = Promise.resolve();
  return {
    cache,
    flush: () => (last = last.catch(() => undefined).then(() => cache.flush())),
  };
}
