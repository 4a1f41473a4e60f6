import fs from 'node:fs/promises';
import path from 'node:path';
import type { ResultCache, RunResult } from '../../../shared/src/execution/types';
import { replaceFile } from '../storage/replace-file';

/** Results kept in memory, oldest dropped beyond `maxEntries`. */
export class MemoryResultCache implements ResultCache {
  protected readonly entries = new Map<string, RunResult>();

  constructor(private readonly maxEntries = 5000) {}

  async get(key: string): Promise<RunResult | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, result: RunResult): Promise<void> {
    this.entries.delete(key); // re-inserted last: the most recent survive eviction
    this.entries.set(key, result);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The file under a `--cache` directory that holds the results. */
export const CACHE_FILE = 'llmunix-results.json';

interface CacheFile {
  format: 'llmunix-result-cache';
  version: 1;
  entries: Record<string, RunResult>;
}

/**
 * Results in one JSON file under a directory, for the CLI's `--cache DIR`: read on `open`,
 * written whole on `flush` (`replaceFile`: a crash leaves the old file or the new one, never half
 * of either). An unreadable file is a warning, not a failure: a cache only saves time.
 */
export class FileResultCache extends MemoryResultCache {
  private dirty = false;

  private constructor(
    readonly file: string,
    maxEntries?: number,
  ) {
    super(maxEntries);
  }

  static async open(dir: string, warn: (message: string) => void = () => {}, maxEntries?: number): Promise<FileResultCache> {
    const cache = new FileResultCache(path.join(dir, CACHE_FILE), maxEntries);
    let text: string;
    try {
      text = await fs.readFile(cache.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cache ${cache.file} unreadable (${(e as Error).message}); starting empty`);
      return cache;
    }
    try {
      const data = JSON.parse(text) as CacheFile;
      if (data.format !== 'llmunix-result-cache' || data.version !== 1 || typeof data.entries !== 'object') throw new Error('not a result cache');
      for (const [key, result] of Object.entries(data.entries)) cache.entries.set(key, result);
    } catch (e) {
      warn(`cache ${cache.file} is not a valid cache (${(e as Error).message}); starting empty`);
    }
    return cache;
  }

  override async set(key: string, result: RunResult): Promise<void> {
    await super.set(key, result);
    this.dirty = true;
  }

  async flush(): Promise<void> {
    if (!this.dirty) return;
    const data: CacheFile = { format: 'llmunix-result-cache', version: 1, entries: Object.fromEntries(this.entries) };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await replaceFile(this.file, JSON.stringify(data), `${this.file}.${process.pid}.tmp`);
    this.dirty = false;
  }
}
