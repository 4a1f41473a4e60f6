/*
 * The documented retention of versions (shared/src/history/retention.ts), against a fixed
 * clock: named versions always; every checkpoint of the last 24 hours; the newest of each UTC
 * hour for 7 days; the newest of each UTC day for 90 days; the newest version always.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION, expiredVersions } from '../src/history/retention';
import type { VersionMeta } from '../src/history/version';

const NOW = Date.parse('2026-12-07T12:30:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let serial = 0;
/** A version taken at `at` (ms), a checkpoint unless named. */
const version = (at: number, name: string | null = null, id = `v${String(serial++).padStart(6, '0')}`): VersionMeta => ({
  id,
  room: 'user/alice/workflow/w1',
  name,
  created_at: new Date(at).toISOString(),
  authors: ['alice'],
  changes: { kind: 'text', added: 0, removed: 0 },
  size: 1,
});

describe('expiredVersions with the default policy', () => {
  it('keeps every checkpoint of the last 24 hours', () => {
    const list = [version(NOW), version(NOW - 5 * MIN), version(NOW - 6 * MIN), version(NOW - 23 * HOUR), version(NOW - DAY)];
    expect(expiredVersions(list, NOW)).toEqual([]);
  });

  it('keeps the newest checkpoint of each UTC hour from 24 hours to 7 days', () => {
    const hour = Date.parse('2026-12-04T09:00:00.000Z');
    const first = version(hour + 5 * MIN);
    const middle = version(hour + 30 * MIN);
    const last = version(hour + 59 * MIN);
    const alone = version(hour + HOUR + 10 * MIN);
    const latest = version(NOW);
    expect(expiredVersions([latest, alone, last, middle, first], NOW).sort()).toEqual([first.id, middle.id].sort());
  });

  it('keeps the newest checkpoint of each UTC day from 7 to 90 days', () => {
    const day = Date.parse('2026-11-01T00:00:00.000Z');
    const morning = version(day + 8 * HOUR);
    const evening = version(day + 20 * HOUR);
    const nextDay = version(day + DAY + HOUR);
    const latest = version(NOW);
    expect(expiredVersions([morning, evening, nextDay, latest], NOW)).toEqual([morning.id]);
  });

  it('drops checkpoints older than 90 days but keeps named versions of any age', () => {
    const old = version(NOW - 91 * DAY);
    const ancientName = version(NOW - 400 * DAY, 'before the refactor');
    const namedSameHour = version(NOW - 3 * DAY, 'named');
    const checkpointSameHour = version(NOW - 3 * DAY - MIN);
    const latest = version(NOW - HOUR);
    // A named version does not count as its hour's newest checkpoint: the checkpoint stays.
    expect(expiredVersions([old, ancientName, namedSameHour, checkpointSameHour, latest], NOW)).toEqual([old.id]);
  });

  it('always keeps the newest version, however old', () => {
    const older = version(NOW - 300 * DAY);
    const newest = version(NOW - 200 * DAY);
    expect(expiredVersions([newest, older], NOW)).toEqual([older.id]);
    expect(expiredVersions([newest], NOW)).toEqual([]);
    expect(expiredVersions([], NOW)).toEqual([]);
  });

  it('breaks a tie in the same millisecond by id, which sorts by time', () => {
    const at = NOW - 3 * DAY;
    const a = version(at, null, 'x.000000001a');
    const b = version(at, null, 'x.000000001b');
    expect(expiredVersions([b, a, version(NOW)], NOW)).toEqual([a.id]);
  });

  it('keeps a version whose time cannot be read rather than guess', () => {
    const unreadable = { ...version(0), created_at: 'yesterday' };
    expect(expiredVersions([unreadable, version(NOW - 100 * DAY), version(NOW)], NOW)).toHaveLength(1);
    expect(expiredVersions([unreadable, version(NOW)], NOW)).toEqual([]);
  });

  it('prunes the same whether it runs once or after every checkpoint as time goes by', () => {
    // Checkpoints every 10 minutes for 100 days, pruned after each one as the server does.
    const start = NOW - 100 * DAY;
    let kept: VersionMeta[] = [];
    const all: VersionMeta[] = [];
    for (let at = start; at <= NOW; at += 10 * MIN) {
      const v = version(at);
      all.push(v);
      kept.push(v);
      // Pruning every hour is enough to show the buckets do not shift; every step would be slow.
      if ((at - start) % HOUR === 0 || at + 10 * MIN > NOW) {
        const expired = new Set(expiredVersions(kept, at));
        kept = kept.filter((k) => !expired.has(k.id));
      }
    }
    const once = new Set(expiredVersions(all, NOW));
    expect(kept.map((k) => k.id)).toEqual(all.filter((v) => !once.has(v.id)).map((v) => v.id));
    // What is left: 24 h of every checkpoint, then one an hour, then one a day, then nothing.
    const ages = kept.map((k) => NOW - Date.parse(k.created_at));
    expect(ages.filter((a) => a <= DAY)).toHaveLength(145);
    expect(ages.filter((a) => a > DAY && a <= 7 * DAY).length).toBeGreaterThanOrEqual(6 * 24 - 1);
    expect(ages.filter((a) => a > DAY && a <= 7 * DAY).length).toBeLessThanOrEqual(6 * 24 + 1);
    const daily = ages.filter((a) => a > 7 * DAY);
    expect(daily.length).toBeGreaterThanOrEqual(82);
    expect(daily.length).toBeLessThanOrEqual(84);
    expect(Math.max(...daily)).toBeLessThanOrEqual(90 * DAY);
    // And pruning again removes nothing more.
    expect(expiredVersions(kept, NOW)).toEqual([]);
  });
});

describe('expiredVersions with another policy', () => {
  it('uses the spans given', () => {
    const policy = { allFor: HOUR, hourlyFor: 2 * HOUR, dailyFor: 3 * HOUR };
    // Now is 12:30: all since 11:30, the newest of each hour since 10:30, the newest of each day since 9:30.
    const recent = version(Date.parse('2026-12-07T11:40:00.000Z'));
    const recentToo = version(Date.parse('2026-12-07T11:35:00.000Z'));
    const hourly = version(Date.parse('2026-12-07T10:50:00.000Z'));
    const hourlyOlder = version(Date.parse('2026-12-07T10:40:00.000Z'));
    const daily = version(Date.parse('2026-12-07T10:20:00.000Z'));
    const beyond = version(Date.parse('2026-12-07T09:20:00.000Z'));
    const expired = expiredVersions([recent, recentToo, hourly, hourlyOlder, daily, beyond], NOW, policy);
    // 10:20 is not its day's newest (11:40 is), so it goes too.
    expect(expired.sort()).toEqual([hourlyOlder.id, daily.id, beyond.id].sort());
    expect(DEFAULT_RETENTION).toEqual({ allFor: DAY, hourlyFor: 7 * DAY, dailyFor: 90 * DAY });
  });
});
