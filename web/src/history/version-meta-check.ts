import type { VersionMeta } from '../../../shared/src/history/version';

/**
 * Whether a server's answer is a version as listed, with the fields the History reads. A 2xx
 * may still be something else: a server of another release (or a proxy) answering the app's
 * index.html, or a body cut short.
 */
export function isVersionMeta(value: unknown): value is VersionMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === 'string' &&
    typeof v.room === 'string' &&
    (v.name === null || typeof v.name === 'string') &&
    typeof v.created_at === 'string' &&
    Array.isArray(v.authors) &&
    v.authors.every((a) => typeof a === 'string') &&
    typeof v.changes === 'object' &&
    v.changes !== null
  );
}
