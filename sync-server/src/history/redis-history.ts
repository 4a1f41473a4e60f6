import type { Redis } from 'ioredis';
import { subjectOfVersionId, type VersionMeta } from '../../../shared/src/history/version';
import { StorageError, type StorageHealth } from '../storage/storage';
import { checkedMeta, checkedSubject, ListedHistory, newestFirst, stampOf, storedMeta, type HistoryStore, type StoredVersion } from './history-store';
import type { VersionContentStore } from './version-content';

/** One hash per subject, version id → meta as JSON. Subjects parse before they name a key. */
export const historyKey = (subject: string): string => `llmunix:history:${checkedSubject(subject)}`;

/**
 * Versions shared by every server instance: the index in Redis (a hash per subject), the content
 * in S3 or under DATA_DIR (`VersionContentStore`). `add` writes the content, then the index
 * entry, so an entry always names content that is there; `remove` does the opposite.
 */
export class RedisHistory extends ListedHistory implements HistoryStore {
  readonly kind: string;

  constructor(
    private readonly redis: Redis,
    private readonly content: VersionContentStore,
  ) {
    super();
    this.kind = `redis+${content.kind}`;
  }

  private fail(what: string, subject: string, e: unknown): never {
    if (e instanceof StorageError) throw e;
    throw new StorageError(`Redis could not ${what} of "${subject}": ${(e as Error).message}`, undefined, { cause: e });
  }

  async add(meta: VersionMeta, content: Uint8Array): Promise<void> {
    const stamp = checkedMeta(meta);
    await this.content.put(meta.room, stamp, content);
    try {
      await this.redis.hset(historyKey(meta.room), meta.id, JSON.stringify(meta));
    } catch (e) {
      this.fail('index a version', meta.room, e);
    }
  }

  async list(subject: string): Promise<VersionMeta[]> {
    let rows: Record<string, string>;
    try {
      rows = await this.redis.hgetall(historyKey(subject));
    } catch (e) {
      return this.fail('list the versions', subject, e);
    }
    // A row that does not parse is skipped, as the file index skips a torn line: one cannot hide the rest.
    return newestFirst(Object.values(rows).flatMap((row) => storedMeta(row, subject) ?? []));
  }

  async get(id: string): Promise<StoredVersion | null> {
    const subject = subjectOfVersionId(id);
    if (subject === null) return null;
    let row: string | null;
    try {
      row = await this.redis.hget(historyKey(subject), id);
    } catch (e) {
      return this.fail('read a version', subject, e);
    }
    const meta = row === null ? null : storedMeta(row, subject);
    if (meta?.id !== id) return null;
    const content = await this.content.get(subject, stampOf(subject, id));
    return content ? { meta, content } : null;
  }

  async remove(subject: string, ids: string[]): Promise<void> {
    checkedSubject(subject);
    const stamps = ids.map((id) => stampOf(subject, id));
    if (ids.length === 0) return;
    try {
      await this.redis.hdel(historyKey(subject), ...ids);
    } catch (e) {
      this.fail('remove versions', subject, e);
    }
    await this.content.remove(subject, stamps);
  }

  async removeSubject(subject: string): Promise<void> {
    try {
      await this.redis.del(historyKey(subject));
    } catch (e) {
      this.fail('remove the versions', subject, e);
    }
    await this.content.removeSubject(subject);
  }

  async health(): Promise<StorageHealth> {
    const [redis, content] = await Promise.all([
      this.redis.ping().then(
        (): { ok: boolean; detail?: string } => ({ ok: true }),
        (e: unknown) => ({ ok: false, detail: `Redis: ${(e as Error).message}` }),
      ),
      this.content.health(),
    ]);
    return { ok: redis.ok && content.ok, detail: [redis, content].map((h) => h.detail).filter(Boolean).join('; ') || undefined };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.content.close();
  }
}
