import path from 'node:path';
import type { ResultCache } from '../../../shared/src/execution/types';
import { FileResultCache, MemoryResultCache } from '../headless/cache';

/** Where the file backend keeps the server's result cache, under DATA_DIR. */
export const RUN_CACHE_DIR = 'run-cache';

/** The server's one result cache, shared by every run, and how its results are saved. */
export interface RunCache {
  cache: ResultCache;
  /**
   * Saves what changed. Each save writes the whole file (through one temporary file), so saves
   * asked for while one is writing join one more after it, never one each.
   */
  flush(): Promise<void>;
}

/**
 * The result cache of deterministic skills, as the app keeps one: a file under
 * `DATA_DIR/run-cache` with the file backend (so results outlive a restart), in memory otherwise.
 * The file is read on the first run, not at start: a large cache must not delay a restart.
 */
export function openRunCache(storage: { storage: 'file' | 'memory'; dataDir: string }, warn: (message: string) => void): RunCache {
  if (storage.storage === 'memory') return { cache: new MemoryResultCache(), flush: async () => {} };
  let opened: Promise<FileResultCache> | undefined;
  const file = () => (opened ??= FileResultCache.open(path.join(storage.dataDir, RUN_CACHE_DIR), warn));
  let writing: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;
  return {
    cache: { get: async (key) => (await file()).get(key), set: async (key, result) => (await file()).set(key, result) },
    flush: () =>
      (next ??= writing
        .catch(() => undefined)
        .then(() => {
          next = undefined;
          return (writing = opened ? opened.then((c) => c.flush()) : Promise.resolve());
        })),
  };
}
