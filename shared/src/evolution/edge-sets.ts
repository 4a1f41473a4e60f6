import type { Family } from './families';

/** Edge sets as bit masks are exact in a double up to this many edges. */
export const MASK_BITS = 53;

/** One connected edge set of a family, as the enumeration hands it over (valid during the call only). */
export interface EdgeSetVisit {
  /** The chosen edges' indices. */
  chosen: readonly number[];
  /** The groups whose runs contain every chosen edge (the family's `words` words; never empty). */
  groups: Uint32Array;
  /** The chosen edges as a bit mask, when the family has at most MASK_BITS edges. */
  mask: number;
}

/**
 * Every connected set of a family's edges with at most `maxNodes` end nodes that some run
 * contains, each once: ESU enumeration over the line graph (edges adjacent when they share a
 * node). A set no run contains is not extended: no run contains a larger one either.
 */
export function forEachConnectedEdgeSet(family: Family, maxNodes: number, visit: (set: EdgeSetVisit) => void): void {
  const { edges, words, groupBits } = family;
  const m = edges.length;
  const n = family.labels.length;
  const incident: number[][] = Array.from({ length: n }, () => []);
  edges.forEach((e, k) => {
    incident[e.source]!.push(k);
    incident[e.target]!.push(k);
  });
  const neighbours: number[][] = edges.map((e, k) => [...new Set([...incident[e.source]!, ...incident[e.target]!])].filter((j) => j !== k));
  const masks = m <= MASK_BITS;

  const inSet = new Uint8Array(m);
  /** How many chosen edges touch or neighbour each edge: the exclusive neighbourhood test. */
  const near = new Uint16Array(m);
  const nodeUse = new Uint16Array(n);
  let nodes = 0;
  const chosen: number[] = [];
  /** The groups AND per depth: depth d at `d * words`. */
  let and = new Uint32Array((maxNodes * 4 + 1) * words);
  const state: EdgeSetVisit = { chosen, groups: and.subarray(0, words), mask: 0 };

  const enter = (v: number, delta: 1 | -1) => {
    const before = nodeUse[v]!;
    nodeUse[v] = before + delta;
    if (before === 0 || before + delta === 0) nodes += delta;
  };
  /** Adds edge i when some group still holds the set; false (nothing changed) when none does. */
  const add = (i: number): boolean => {
    const d = chosen.length;
    if ((d + 2) * words > and.length) {
      const grown = new Uint32Array(and.length * 2);
      grown.set(and);
      and = grown;
    }
    let any = 0;
    for (let w = 0; w < words; w++) {
      const bits = (d === 0 ? 0xffffffff : and[(d - 1) * words + w]!) & groupBits[i * words + w]!;
      and[d * words + w] = bits;
      any |= bits;
    }
    if (any === 0) return false;
    chosen.push(i);
    if (masks) state.mask += 2 ** i;
    inSet[i] = 1;
    for (const j of neighbours[i]!) near[j]!++;
    enter(edges[i]!.source, 1);
    enter(edges[i]!.target, 1);
    return true;
  };
  const remove = (i: number) => {
    chosen.pop();
    if (masks) state.mask -= 2 ** i;
    inSet[i] = 0;
    for (const j of neighbours[i]!) near[j]!--;
    enter(edges[i]!.source, -1);
    enter(edges[i]!.target, -1);
  };
  const newNodes = (i: number) => (nodeUse[edges[i]!.source] ? 0 : 1) + (nodeUse[edges[i]!.target] ? 0 : 1);
  const extend = (root: number, extension: number[]): void => {
    const d = chosen.length - 1;
    state.groups = and.subarray(d * words, (d + 1) * words);
    visit(state);
    const ext = [...extension];
    while (ext.length > 0) {
      const w = ext.pop()!;
      if (nodes + newNodes(w) > maxNodes) continue;
      // Edges new to the neighbourhood through w (neither chosen nor next to a chosen edge).
      const exclusive = neighbours[w]!.filter((u) => u > root && !inSet[u] && near[u] === 0);
      if (!add(w)) continue;
      extend(root, exclusive.length === 0 ? ext : [...ext, ...exclusive]);
      remove(w);
    }
  };
  for (let r = 0; r < m; r++) {
    if (!add(r)) continue;
    extend(
      r,
      neighbours[r]!.filter((u) => u > r),
    );
    remove(r);
  }
}
