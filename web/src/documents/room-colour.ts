import { COLORS } from './identity';

/** Someone in a room, as far as their colour goes. */
export interface ColouredPeer {
  clientId: number;
  color: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * The colour a person shows in a room: their own, unless someone ranked before them (lower
 * awareness client id) shows it already; then the first default colour nobody before them
 * shows. Everyone applies the same rule, so two people never keep one colour and the one
 * ranked first never changes.
 */
export function colourInRoom(own: string, clientId: number, others: readonly ColouredPeer[]): string {
  const taken = others.filter((p) => p.clientId < clientId).map((p) => p.color);
  if (!taken.some((c) => same(c, own))) return own;
  return COLORS.find((c) => !taken.some((t) => same(t, c))) ?? own;
}
