import type { VersionMeta } from './version';

/**
 * How long automatic checkpoints are kept, by age (named versions are always kept). Checkpoints
 * younger than `allFor` are all kept; then, until `hourlyFor`, the newest of each UTC hour; then,
 * until `dailyFor`, the newest of each UTC day; older ones are dropped. The newest version of a
 * subject is always kept, so a room untouched for a year still has its last state.
 */
export interface RetentionPolicy {
  allFor: number;
  hourlyFor: number;
  dailyFor: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Every checkpoint for 24 hours, hourly for 7 days, daily for 90 days. */
export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({ allFor: DAY, hourlyFor: 7 * DAY, dailyFor: 90 * DAY });

/**
 * The ids of the versions (of one subject) that `policy` no longer keeps at `now` (ms). Buckets
 * are calendar hours and days in UTC, not spans counted back from now, so a checkpoint kept as
 * the newest of its hour stays kept as time passes instead of being thinned again at every
 * pruning. A checkpoint whose time cannot be read is kept: nothing is dropped on a guess.
 */
export function expiredVersions(metas: VersionMeta[], now: number, policy: RetentionPolicy = DEFAULT_RETENTION): string[] {
  const dated = metas.map((meta) => ({ meta, at: Date.parse(meta.created_at) })).filter(({ at }) => !Number.isNaN(at));
  // Later time first, and of two taken in the same millisecond the later id (ids sort by time).
  const newer = (a: (typeof dated)[number], b: (typeof dated)[number]) => a.at > b.at || (a.at === b.at && a.meta.id > b.meta.id);
  const newest = dated.reduce<(typeof dated)[number] | undefined>((best, x) => (!best || newer(x, best) ? x : best), undefined);
  // The newest checkpoint of each UTC hour and of each UTC day.
  const newestIn = new Map<string, (typeof dated)[number]>();
  for (const x of dated) {
    if (x.meta.name !== null) continue;
    for (const bucket of [`h${Math.floor(x.at / HOUR)}`, `d${Math.floor(x.at / DAY)}`]) {
      const best = newestIn.get(bucket);
      if (!best || newer(x, best)) newestIn.set(bucket, x);
    }
  }
  const expired = ({ meta, at }: (typeof dated)[number]): boolean => {
    if (meta.name !== null || meta === newest?.meta) return false;
    const age = now - at;
    if (age <= policy.allFor) return false;
    if (age <= policy.hourlyFor) return newestIn.get(`h${Math.floor(at / HOUR)}`)?.meta !== meta;
    if (age <= policy.dailyFor) return newestIn.get(`d${Math.floor(at / DAY)}`)?.meta !== meta;
    return true;
  };
  return dated.filter(expired).map(({ meta }) => meta.id);
}
