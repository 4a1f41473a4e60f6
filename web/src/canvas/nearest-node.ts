/** A direction the arrow keys move the selection in. */
export type Direction = 'up' | 'down' | 'left' | 'right';

const ARROWS: Readonly<Record<string, Direction>> = { ArrowUp: 'up', ArrowDown: 'down', ArrowLeft: 'left', ArrowRight: 'right' };

/** The direction an arrow key names, if the key is one. */
export const arrowDirection = (key: string): Direction | undefined => ARROWS[key];

interface Placed {
  id: string;
  position: { x: number; y: number };
}

/**
 * The node the selection moves to from `from` in a direction: among those lying that way
 * (within 45° of it), the nearest, with a sideways step weighing double so that a node straight
 * ahead wins over a closer one off to the side. From no node, the top-left one.
 */
export function nearestNode(nodes: readonly Placed[], from: Placed | undefined, direction: Direction): string | undefined {
  if (!from) {
    const sorted = [...nodes].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
    return sorted[0]?.id;
  }
  let best: { id: string; cost: number } | undefined;
  for (const n of nodes) {
    if (n.id === from.id) continue;
    const dx = n.position.x - from.position.x;
    const dy = n.position.y - from.position.y;
    const ahead = direction === 'left' ? -dx : direction === 'right' ? dx : direction === 'up' ? -dy : dy;
    const aside = Math.abs(direction === 'left' || direction === 'right' ? dy : dx);
    if (ahead <= 0 || aside > ahead) continue;
    const cost = ahead + 2 * aside;
    if (!best || cost < best.cost) best = { id: n.id, cost };
  }
  return best?.id;
}
