// How long ago something was deleted, as the trash and its banner say it.
import { describe, expect, it } from 'vitest';
import { timeAgo } from '../src/panels/time-ago';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const before = (ms: number) => new Date(NOW - ms).toISOString();

describe('timeAgo', () => {
  it('says "just now" under a minute, then minutes, hours and days, in the singular for one', () => {
    expect(timeAgo(before(59_000), NOW)).toBe('just now');
    expect(timeAgo(before(60_000), NOW)).toBe('1 minute ago');
    expect(timeAgo(before(59 * 60_000), NOW)).toBe('59 minutes ago');
    expect(timeAgo(before(3_600_000), NOW)).toBe('1 hour ago');
    expect(timeAgo(before(23.9 * 3_600_000), NOW)).toBe('23 hours ago');
    expect(timeAgo(before(30 * 86_400_000), NOW)).toBe('30 days ago');
  });

  it('takes a time a little ahead (another device’s clock) as just now, and says when a time cannot be read', () => {
    expect(timeAgo(new Date(NOW + 5_000).toISOString(), NOW)).toBe('just now');
    expect(timeAgo('not a time', NOW)).toBe('at an unknown time');
  });
});
