import { subjectOfVersionId, type VersionMeta } from '../../../shared/src/history/version';
import type { StorageHealth } from '../storage/storage';
import { checkedMeta, checkedSubject, ListedHistory, newestFirst, stampOf, type HistoryStore, type StoredVersion } from './history-store';

/** Versions in process memory: for tests and throwaway servers. Refuses what the durable backends refuse. */
export class MemoryHistory extends ListedHistory implements HistoryStore {
  readonly kind = 'memory';
  private readonly subjects = new Map<string, Map<string, StoredVersion>>();

  async add(meta: VersionMeta, content: Uint8Array): Promise<void> {
    checkedMeta(meta);
    const versions = this.subjects.get(meta.room) ?? new Map<string, StoredVersion>();
    versions.set(meta.id, { meta: structuredClone(meta), content: content.slice() });
    this.subjects.set(meta.room, versions);
  }

  async list(subject: string): Promise<VersionMeta[]> {
    const versions = this.subjects.get(checkedSubject(subject));
    return newestFirst([...(versions?.values() ?? [])].map((v) => structuredClone(v.meta)));
  }

  async get(id: string): Promise<StoredVersion | null> {
    const subject = subjectOfVersionId(id);
    const found = subject === null ? undefined : this.subjects.get(subject)?.get(id);
    return found ? { meta: structuredClone(found.meta), content: found.content.slice() } : null;
  }

  async remove(subject: string, ids: string[]): Promise<void> {
    const versions = this.subjects.get(checkedSubject(subject));
    // Checked as the durable backends check them, though no path or key is built here.
    for (const id of ids) stampOf(subject, id);
    for (const id of ids) versions?.delete(id);
  }

  async removeSubject(subject: string): Promise<void> {
    this.subjects.delete(checkedSubject(subject));
  }

  async health(): Promise<StorageHealth> {
    return { ok: true };
  }

  async close(): Promise<void> {}
}
