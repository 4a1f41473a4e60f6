/**
 * Runs `fn` once the page has painted, so code fetched ahead of need (the skill parser, the
 * workflow file format) never competes with what the first render needs.
 */
export function afterFirstPaint(fn: () => void): void {
  if (typeof requestAnimationFrame === 'undefined') return fn();
  requestAnimationFrame(() => setTimeout(fn, 0));
}
