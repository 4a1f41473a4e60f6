import type { DBSchema, IDBPDatabase } from 'idb';
import { subjectOfVersionId, type VersionMeta } from '../../../shared/src/history/version';
import { yieldingDb } from '../documents/yielding-db';

/**
 * This browser's copy of what it has seen of the server's versions, so that what has synced is
 * browsable offline: each subject's last list, and the contents that were previewed or restored.
 * A version never changes once taken, so a cached content is never stale; a list is as of `at`.
 */
interface VersionsDB extends DBSchema {
  lists: { key: string; value: CachedList };
  contents: { key: string; value: { bytes: Uint8Array; at: number }; indexes: { at: number } };
}

export interface CachedList {
  versions: VersionMeta[];
  /** When the server gave this list (ms since epoch). */
  at: number;
}

/** Contents are whole documents: the least recently used beyond this many are dropped. */
export const KEEP_CONTENTS = 200;

const open = yieldingDb<VersionsDB>('llmunix-versions', 1, (d) => {
  d.createObjectStore('lists');
  d.createObjectStore('contents').createIndex('at', 'at');
});

/**
 * The cache is a convenience: when IndexedDB is unavailable (private mode, a blocked upgrade) the
 * panel works from the server alone, so every call here resolves, with nothing when it failed.
 */
async function quietly<T>(work: (d: IDBPDatabase<VersionsDB>) => Promise<T>, fallback: T): Promise<T> {
  try {
    return await work(await open());
  } catch {
    return fallback;
  }
}

/** The subject's last list from the server, or null when this browser never had one. */
export const cachedList = (subject: string): Promise<CachedList | null> => quietly(async (d) => (await d.get('lists', subject)) ?? null, null);

export const cacheList = (subject: string, list: CachedList): Promise<void> => quietly(async (d) => void (await d.put('lists', list, subject)), undefined);

/** A version's content as the server gave it, or null when this browser never fetched it. */
export const cachedContent = (id: string): Promise<Uint8Array | null> =>
  quietly(async (d) => {
    const hit = await d.get('contents', id);
    if (!hit) return null;
    void d.put('contents', { ...hit, at: Date.now() }, id).catch(() => undefined);
    return hit.bytes;
  }, null);

export const cacheContent = (id: string, bytes: Uint8Array): Promise<void> =>
  quietly(async (d) => {
    await d.put('contents', { bytes, at: Date.now() }, id);
    const excess = (await d.count('contents')) - KEEP_CONTENTS;
    if (excess <= 0) return;
    const tx = d.transaction('contents', 'readwrite');
    const oldest = await tx.store.index('at').getAllKeys(undefined, excess);
    await Promise.all([...oldest.map((key) => tx.store.delete(key)), tx.done]);
  }, undefined);

/** Forgets a subject's list and the contents of its versions (the subject was deleted for good). */
export const forgetVersionCopies = (subject: string): Promise<void> =>
  quietly(async (d) => {
    const tx = d.transaction(['lists', 'contents'], 'readwrite');
    const ids = (await tx.objectStore('contents').getAllKeys()).filter((id) => subjectOfVersionId(id) === subject);
    await Promise.all([tx.objectStore('lists').delete(subject), ...ids.map((id) => tx.objectStore('contents').delete(id)), tx.done]);
  }, undefined);

/** How many version contents this browser keeps, and their bytes (lists are small beside them). */
export const versionCopiesUsage = (): Promise<{ entries: number; bytes: number }> =>
  quietly(async (d) => {
    const contents = await d.getAll('contents');
    return { entries: contents.length, bytes: contents.reduce((sum, c) => sum + c.bytes.byteLength, 0) };
  }, { entries: 0, bytes: 0 });

/** Forgets every copy of versions: the lists and the contents (the server still has them). */
export async function clearVersionCopies(): Promise<void> {
  const d = await open();
  await Promise.all([d.clear('lists'), d.clear('contents')]);
}
