import { parseSubject, subjectOfVersionId, type VersionMeta } from '../../../shared/src/history/version';
import { InvalidNameError, type StorageHealth } from '../storage/storage';

/**
 * Where versions live (DESIGN §11): beside the rooms, never in their load path. Every backend
 * (memory, file, Redis index with S3 or file content) passes the one contract suite in
 * `sync-server/test/history-contract.ts`.
 */
export interface HistoryStore {
  /** The backend's name, as shown by /readyz. */
  readonly kind: string;
  /** Stores a version; durable when it resolves: the content is written first, then the index entry that names it. */
  add(meta: VersionMeta, content: Uint8Array): Promise<void>;
  /** A subject's versions, newest first. */
  list(subject: string): Promise<VersionMeta[]>;
  /** A subject's newest version, or null when it has none. */
  latest(subject: string): Promise<VersionMeta | null>;
  /** One version with its content, or null when there is no such version. */
  get(id: string): Promise<StoredVersion | null>;
  /** Forgets some of a subject's versions; ids it does not hold are ignored. */
  remove(subject: string, ids: string[]): Promise<void>;
  /** Forgets every version of a subject (a room purged from the trash). */
  removeSubject(subject: string): Promise<void>;
  health(): Promise<StorageHealth>;
  /** Waits for writes in flight and closes; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** The `latest` of every backend: the head of its list, which each keeps newest first. */
export abstract class ListedHistory {
  abstract list(subject: string): Promise<VersionMeta[]>;

  async latest(subject: string): Promise<VersionMeta | null> {
    return (await this.list(subject))[0] ?? null;
  }
}

export interface StoredVersion {
  meta: VersionMeta;
  content: Uint8Array;
}

/** The subject name, when it parses; an `InvalidNameError` otherwise. Backends call it before building a path or key. */
export function checkedSubject(subject: string): string {
  const parsed = parseSubject(subject);
  if (!parsed.ok) throw new InvalidNameError(parsed.error.message);
  return subject;
}

/**
 * The stamp of a version id (its last part, which sorts by time), checked to belong to `subject`:
 * it names the content's file or object, so an id of another subject must never reach it.
 */
export function stampOf(subject: string, id: string): string {
  if (subjectOfVersionId(id) !== checkedSubject(subject)) {
    throw new InvalidNameError(`Version id ${JSON.stringify(String(id).slice(0, 200))} is not a version of "${subject}".`);
  }
  return id.slice(id.lastIndexOf('.') + 1);
}

/** Checks a version about to be stored: its id belongs to its subject. Returns the stamp. */
export function checkedMeta(meta: VersionMeta): string {
  return stampOf(meta.room, meta.id);
}

/**
 * One stored line or row of a subject's index, or null when it does not parse or names another
 * subject (a line torn by a crash, a row someone corrupted): listing skips it rather than fail.
 */
export function storedMeta(text: string, subject: string): VersionMeta | null {
  try {
    const meta = JSON.parse(text) as VersionMeta;
    return meta?.room === subject && subjectOfVersionId(meta.id) === subject ? meta : null;
  } catch {
    return null;
  }
}

/** Newest first: ids sort by their stamp within a subject (`versionIdOf`). */
export const newestFirst = (metas: VersionMeta[]): VersionMeta[] => metas.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
