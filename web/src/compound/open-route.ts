/**
 * Opening a compound node is a place in the URL (`#/workflow/…/open/<node>/<node>`), so the
 * browser's back button, a reload and a link all lead back to the same inside.
 */

const OPEN = '/open/';

/** Opens a compound node of the canvas now shown: one level deeper than where the URL is. */
export function openCompound(nodeId: string): void {
  const hash = location.hash.replace(/\/+$/, '');
  location.hash = hash.includes(OPEN) ? `${hash}/${nodeId}` : `${hash}${OPEN}${nodeId}`;
}

/** The URL hash `levels` levels up from an open compound (0 is where the URL is). */
export function hashUp(hash: string, levels: number): string {
  const at = hash.indexOf(OPEN);
  if (at < 0 || levels <= 0) return hash;
  const nodes = hash.slice(at + OPEN.length).split('/');
  const kept = nodes.slice(0, Math.max(0, nodes.length - levels));
  return kept.length > 0 ? `${hash.slice(0, at)}${OPEN}${kept.join('/')}` : hash.slice(0, at);
}

/** Goes back out of the compound open now, if one is: false when the canvas is a workflow's own. */
export function leaveCompound(): boolean {
  if (!location.hash.includes(OPEN)) return false;
  location.hash = hashUp(location.hash, 1);
  return true;
}
