const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;

/**
 * "just now", "5 minutes ago", "3 hours ago", "2 days ago": how long before `now` an ISO time was.
 * With `dateAfterADay`, a time more than a day ago is its date and time instead (a list of
 * versions, where "12 days ago" would not tell two apart). The app's one relative time.
 */
export function timeAgo(iso: string, now: number = Date.now(), options: { dateAfterADay?: boolean } = {}): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'at an unknown time';
  const past = Math.max(0, now - then);
  if (past < MINUTE) return 'just now';
  if (past < HOUR) return count(Math.floor(past / MINUTE), 'minute');
  if (past < DAY) return count(Math.floor(past / HOUR), 'hour');
  if (options.dateAfterADay) return new Date(then).toLocaleString();
  return count(Math.floor(past / DAY), 'day');
}
