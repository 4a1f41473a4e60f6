/**
 * Canonical form of a small labelled directed multigraph (a mined pattern): nodes labelled by
 * skill id, edges by (output port → input port). Colour refinement orders the nodes by
 * isomorphism-invariant classes; only nodes left tied (the same skill in the same position)
 * are permuted, keeping the smallest encoding. Workflow patterns are small and their skills
 * mostly distinct, so the permutations stay few.
 */

/** An edge between pattern nodes, by index. */
export interface PatternEdge {
  source: number;
  sourceHandle: string;
  target: number;
  targetHandle: string;
}

/** A pattern in canonical order: equal keys mean isomorphic patterns. */
export interface CanonicalPattern {
  key: string;
  /** Skill id of each node, in canonical order. */
  labels: string[];
  /** Edges by canonical node index, sorted as in the key. */
  edges: PatternEdge[];
}

/** Ranks of strings: equal strings share a rank, ranks follow sorted order. */
function ranksOf(values: string[]): number[] {
  const sorted = [...new Set(values)].sort();
  const rank = new Map(sorted.map((v, i) => [v, i]));
  return values.map((v) => rank.get(v)!);
}

const edgeCode = (pos: readonly number[], e: PatternEdge, ports: string): string =>
  `${String.fromCharCode(48 + pos[e.source]!)}${String.fromCharCode(48 + pos[e.target]!)}${ports}`;

/** The canonical form of a pattern given by its node labels and edges (indices into `labels`). */
export function canonicalize(labels: readonly string[], edges: readonly PatternEdge[]): CanonicalPattern {
  const n = labels.length;
  const ports = edges.map((e) => JSON.stringify(e.sourceHandle) + JSON.stringify(e.targetHandle));
  let rank = ranksOf(labels.map((l) => l));
  let classes = new Set(rank).size;
  // Distinct skills (the common case) order the nodes outright; refinement only splits ties.
  while (classes < n) {
    const sig = labels.map((_, v) => {
      const around: string[] = [];
      edges.forEach((e, k) => {
        if (e.source === v) around.push(`o${rank[e.target]}${ports[k]}`);
        if (e.target === v) around.push(`i${rank[e.source]}${ports[k]}`);
      });
      return `${String(rank[v]).padStart(4, '0')}|${around.sort().join(',')}`;
    });
    const next = ranksOf(sig);
    const count = new Set(next).size;
    rank = next;
    if (count === classes) break;
    classes = count;
  }
  // Nodes grouped by class in rank order; every ordering within the classes is a candidate,
  // except that twins (nodes with the very same neighbours through the same ports: swapping
  // them changes nothing) keep their index order, or a hub's k alike leaves would cost k! tries.
  const groups: number[][] = [];
  for (let v = 0; v < n; v++) (groups[rank[v]!] ??= []).push(v);
  const neighbourhood = classes === n ? [] : labels.map((_, v) => {
    const around: string[] = [];
    edges.forEach((e, k) => {
      if (e.source === v) around.push(`o${e.target}${ports[k]}`);
      if (e.target === v) around.push(`i${e.source}${ports[k]}`);
    });
    return around.sort().join(',');
  });
  /** The twin placed before v, if any: v may only be placed once it is. */
  const twinBefore = labels.map((_, v) => {
    if (classes === n) return -1;
    for (let u = v - 1; u >= 0; u--) if (rank[u] === rank[v] && neighbourhood[u] === neighbourhood[v]) return u;
    return -1;
  });
  const order: number[] = [];
  const pos = new Array<number>(n).fill(0);
  let best: string | undefined;
  let bestPos: number[] = [];
  const encode = () => edges.map((e, k) => edgeCode(pos, e, ports[k]!)).sort().join('\n');
  const place = (g: number, rest: number[]): void => {
    if (g >= groups.length) {
      const code = encode();
      if (best === undefined || code < best) {
        best = code;
        bestPos = [...pos];
      }
      return;
    }
    if (rest.length === 0) return place(g + 1, groups[g + 1] ?? []);
    for (let i = 0; i < rest.length; i++) {
      const v = rest[i]!;
      if (twinBefore[v] !== -1 && rest.includes(twinBefore[v]!)) continue;
      pos[v] = order.length;
      order.push(v);
      place(g, [...rest.slice(0, i), ...rest.slice(i + 1)]);
      order.pop();
    }
  };
  place(0, groups[0] ?? []);
  const ordered = new Array<string>(n);
  for (let v = 0; v < n; v++) ordered[bestPos[v]!] = labels[v]!;
  const canonicalEdges = edges
    .map((e, k) => ({ code: edgeCode(bestPos, e, ports[k]!), edge: { ...e, source: bestPos[e.source]!, target: bestPos[e.target]! } }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    .map((x) => x.edge);
  return { key: `${JSON.stringify(ordered)}\n${best ?? ''}`, labels: ordered, edges: canonicalEdges };
}
