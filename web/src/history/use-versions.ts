import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { VersionMeta } from '../../../shared/src/history/version';
import { ok, type Result } from '../../../shared/src/result';
import { cacheContent, cachedContent, cachedList, cacheList } from './version-cache';
import { fetchVersionContent, fetchVersions, nameVersion, type VersionsFailure } from './versions-api';

/** While a list is shown, the server is asked again this often: checkpoints arrive on their own. */
const POLL_MS = 10_000;

export interface VersionList {
  /** Newest first; null until the cache or the server answered. */
  versions: VersionMeta[] | null;
  /** Asking the server now. */
  loading: boolean;
  /** Why the last ask failed (the list shown is then this browser's copy, if any). */
  failure: VersionsFailure | null;
  /** When the list shown came from this browser's copy: when the server gave it. */
  cachedAt: number | null;
  /** Asks the server again. */
  refresh: () => void;
  /** Names the subject as it is now (`POST /api/versions`); the list follows. */
  name: (name: string) => Promise<Result<VersionMeta, VersionsFailure>>;
}

/**
 * A subject's versions for as long as `active`: this browser's copy at once, then the server's
 * list (kept as the new copy), asked again every few seconds and on `refresh`.
 */
export function useVersions(subject: string, active: boolean): VersionList {
  const [versions, setVersions] = useState<VersionMeta[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<VersionsFailure | null>(null);
  const [cachedAt, setCachedAt] = useState<number | null>(null);
  // Answers for another subject (the view moved on) or older than the newest ask are dropped.
  const asked = useRef(0);

  const refresh = useCallback(() => {
    const ask = ++asked.current;
    setLoading(true);
    void fetchVersions(subject).then(async (answer) => {
      if (ask !== asked.current) return;
      setLoading(false);
      if (!answer.ok) {
        setFailure(answer.error);
        return;
      }
      setFailure(null);
      setVersions(answer.value);
      setCachedAt(null);
      await cacheList(subject, { versions: answer.value, at: Date.now() });
    });
  }, [subject]);

  useEffect(() => {
    if (!active) return;
    let live = true;
    setVersions(null);
    setFailure(null);
    setCachedAt(null);
    void cachedList(subject).then((copy) => {
      // The server's answer may have come first; it wins.
      if (!live || !copy) return;
      setVersions((shown) => shown ?? copy.versions);
      setCachedAt((at) => at ?? copy.at);
    });
    refresh();
    const timer = setInterval(() => navigator.onLine && document.visibilityState === 'visible' && refresh(), POLL_MS);
    return () => {
      live = false;
      asked.current++;
      clearInterval(timer);
    };
  }, [subject, active, refresh]);

  // Whatever the server answered, the list is asked again so it shows the version or stays as the server has it.
  const name = useCallback(
    async (label: string) => {
      const made = await nameVersion(subject, label);
      refresh();
      return made;
    },
    [subject, refresh],
  );

  return { versions, loading, failure, cachedAt, refresh, name };
}

/** A version's content: this browser's copy if it has one (a version never changes), else the server's, then kept. */
export async function versionContent(subject: string, id: string): Promise<Result<Uint8Array, VersionsFailure>> {
  const copy = await cachedContent(id);
  if (copy) return ok(copy);
  const fetched = await fetchVersionContent(subject, id);
  if (fetched.ok) await cacheContent(id, fetched.value);
  return fetched;
}
