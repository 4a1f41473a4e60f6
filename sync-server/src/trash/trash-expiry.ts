import { listTrash, type TrashEntry } from '../../../shared/src/documents/trash';
import { ORIGIN } from '../../../shared/src/origins';
import { parseRoomName } from '../../../shared/src/rooms';
import { storedRoomReader } from '../mirrors/stored-rooms';
import type { Storage } from '../storage/storage';
import { isStalePurge, purgeTrashEntry, type PurgeDeps } from './purge';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often the trash is swept after the sweep at start. */
export const TRASH_SWEEP_MS = 60 * 60 * 1000;

/** When an entry's time in the trash is over, in ms; NaN when its deletion time does not parse. */
const expiresAtMs = (entry: TrashEntry, days: number): number => Date.parse(entry.deleted_at) + days * DAY_MS;

/** When an entry leaves the trash for good (ISO), or null when its deletion time does not parse. */
export function trashExpiresAt(entry: TrashEntry, days: number): string | null {
  const at = expiresAtMs(entry, days);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/**
 * Whether an entry's time in the trash is over. An entry whose deletion time does not parse
 * (any client may write the index) is never purged by expiry: destroying data on a malformed
 * field would be worse than keeping it until someone deletes it forever.
 */
export const isExpired = (entry: TrashEntry, days: number, now: number): boolean => expiresAtMs(entry, days) <= now;

export interface TrashExpiryOptions {
  /** `TRASH_DAYS`. */
  days: number;
  /** The clock, for tests. */
  now?: () => number;
}

export interface SweepResult {
  /** Trash ids purged. */
  purged: string[];
  /** Trash ids whose purge failed; they stay in the trash and are tried again at the next sweep. */
  failed: string[];
}

/**
 * Purges every expired entry of every volume's trash, and retries each purge cut short (a
 * `purging` marker older than `STALE_PURGE_MS`). Each volume index is read from storage
 * (what is durable, without loading it); only a volume with an expired entry is loaded, and
 * each entry is checked again there before it is purged.
 */
export async function sweepTrash(storage: Pick<Storage, 'list' | 'read'>, deps: PurgeDeps, options: TrashExpiryOptions): Promise<SweepResult> {
  const now = options.now ?? Date.now;
  const reader = storedRoomReader(storage);
  const result: SweepResult = { purged: [], failed: [] };
  for (const index of await storage.list()) {
    const room = parseRoomName(index);
    if (!room.ok || room.value.kind !== 'volume' || room.value.volume === 'system') continue;
    const due = (e: TrashEntry) => isExpired(e, options.days, now()) || isStalePurge(e, now());
    const where = { volume: room.value.volume, volumeId: room.value.volumeId };
    const expired = await reader.read(index, (doc) => listTrash(doc, where).filter(due));
    for (const entry of expired) {
      try {
        const purged = await purgeTrashEntry(deps, index, entry.id, ORIGIN.trashExpiry, due);
        if (purged) result.purged.push(entry.id);
      } catch (e) {
        deps.log.error({ trash: entry.id, err: e }, 'purging an expired trash entry failed; it is tried again at the next sweep');
        result.failed.push(entry.id);
      }
    }
  }
  return result;
}

/** The trash expiry of a running server: a sweep at start, then one every `everyMs`. */
export interface TrashExpiry {
  /** The sweep made at start. */
  readonly started: Promise<SweepResult>;
  /** Sweeps now (after any sweep in progress). */
  sweep(): Promise<SweepResult>;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

/** Starts sweeping the trash: now, then every `everyMs` (an hour). A failed sweep is logged, not thrown. */
export function startTrashExpiry(
  storage: Pick<Storage, 'list' | 'read'>,
  deps: PurgeDeps,
  options: TrashExpiryOptions & { everyMs?: number },
): TrashExpiry {
  let last: Promise<SweepResult> = Promise.resolve({ purged: [], failed: [] });
  let stopped = false;
  const sweep = (): Promise<SweepResult> => {
    last = last.then(async () => {
      if (stopped) return { purged: [], failed: [] };
      try {
        return await sweepTrash(storage, deps, options);
      } catch (e) {
        deps.log.error({ err: e }, 'trash sweep failed; the next one tries again');
        return { purged: [], failed: [] };
      }
    });
    return last;
  };
  const started = sweep();
  const timer = setInterval(() => void sweep(), options.everyMs ?? TRASH_SWEEP_MS);
  timer.unref();
  return {
    started,
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await last;
    },
  };
}
