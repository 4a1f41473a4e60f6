import type { Evidence, Family, FamilyEdge } from './families';

/** A group's graph as a host to match patterns in: its edges by label, and each node's edges. */
interface Host {
  family: Family;
  group: number;
  edges: FamilyEdge[];
  labelCounts: Map<number, number>;
  byLabel: Map<number, FamilyEdge[]>;
  out: Map<number, FamilyEdge[]>;
  in: Map<number, FamilyEdge[]>;
}

function hostOf(family: Family, group: number): Host {
  const edges = family.groupEdges[group]!.map((k) => family.edges[k]!);
  const host: Host = { family, group, edges, labelCounts: new Map(), byLabel: new Map(), out: new Map(), in: new Map() };
  const push = (map: Map<number, FamilyEdge[]>, key: number, e: FamilyEdge) => {
    const list = map.get(key);
    if (list) list.push(e);
    else map.set(key, [e]);
  };
  for (const e of edges) {
    host.labelCounts.set(e.label, (host.labelCounts.get(e.label) ?? 0) + 1);
    push(host.byLabel, e.label, e);
    push(host.out, e.source, e);
    push(host.in, e.target, e);
  }
  return host;
}

/** The pattern's edges in an order where each after the first touches a node of an earlier one. */
function connectedOrder(edges: readonly FamilyEdge[]): FamilyEdge[] {
  const left = [...edges];
  const order = [left.shift()!];
  const seen = new Set([order[0]!.source, order[0]!.target]);
  while (left.length > 0) {
    const i = left.findIndex((e) => seen.has(e.source) || seen.has(e.target));
    const [e] = left.splice(i, 1);
    order.push(e!);
    seen.add(e!.source);
    seen.add(e!.target);
  }
  return order;
}

/**
 * Whether the host's graph contains the pattern (a connected edge list) as a sub-graph: nodes
 * mapped one to one, every pattern edge onto a host edge of its label (a label names both
 * skills and both ports, so matching labels matches skills too).
 */
function contains(host: Host, pattern: readonly FamilyEdge[]): boolean {
  const map = new Map<number, number>();
  const used = new Set<number>();
  const step = (i: number): boolean => {
    if (i === pattern.length) return true;
    const e = pattern[i]!;
    const s = map.get(e.source);
    const t = map.get(e.target);
    if (s !== undefined && t !== undefined) return (host.out.get(s) ?? []).some((h) => h.target === t && h.label === e.label) && step(i + 1);
    const options = s !== undefined ? (host.out.get(s) ?? []) : t !== undefined ? (host.in.get(t) ?? []) : (host.byLabel.get(e.label) ?? []);
    for (const h of options) {
      if (h.label !== e.label) continue;
      const fresh = [s === undefined ? [e.source, h.source] : undefined, t === undefined ? [e.target, h.target] : undefined].filter((p): p is number[] => p !== undefined);
      if (fresh.some(([, v]) => used.has(v!)) || (fresh.length === 2 && h.source === h.target)) continue;
      for (const [p, v] of fresh) {
        map.set(p!, v!);
        used.add(v!);
      }
      if (step(i + 1)) return true;
      for (const [p, v] of fresh) {
        map.delete(p!);
        used.delete(v!);
      }
    }
    return false;
  };
  return step(0);
}

/**
 * For every group whose graph is a run's whole graph (see Family.whole): what the runs that
 * contain that graph say, over all families. A run of the same workflow contains it when it
 * holds all its edges; any other is matched graph to graph, after a count of edge labels.
 */
export function wholeEvidence(families: readonly Family[]): Map<Family, Array<Evidence | undefined>> {
  const hosts = families.flatMap((f) => f.groups.map((_, g) => hostOf(f, g)));
  const withLabel = new Map<number, Host[]>();
  for (const h of hosts) {
    for (const label of h.labelCounts.keys()) {
      const list = withLabel.get(label);
      if (list) list.push(h);
      else withLabel.set(label, [h]);
    }
  }
  const out = new Map<Family, Array<Evidence | undefined>>();
  for (const family of families) {
    const own = family.groupEdges.map((edges) => new Set(edges));
    out.set(
      family,
      family.groups.map((_, g) => {
        if (!family.whole[g]) return undefined;
        const pattern = hostOf(family, g);
        let rarest: Host[] | undefined;
        for (const label of pattern.labelCounts.keys()) {
          const list = withLabel.get(label)!;
          if (!rarest || list.length < rarest.length) rarest = list;
        }
        const order = connectedOrder(pattern.edges);
        const evidence: Evidence = { support: 0, workflows: new Set(), lastRun: 0 };
        for (const h of rarest ?? []) {
          if (h.edges.length < pattern.edges.length) continue;
          const inside =
            h.family === family && family.groupEdges[g]!.every((k) => own[h.group]!.has(k))
              ? true
              : [...pattern.labelCounts].every(([label, count]) => (h.labelCounts.get(label) ?? 0) >= count) && contains(h, order);
          if (!inside) continue;
          const e = h.family.groups[h.group]!;
          evidence.support += e.support;
          for (const w of e.workflows) evidence.workflows.add(w);
          evidence.lastRun = Math.max(evidence.lastRun, e.lastRun);
        }
        return evidence;
      }),
    );
  }
  return out;
}

/**
 * A test, for one family's edge sets, of being surely covered by a run's whole graph. When no
 * other edge of the family has the label of any of the set's edges, the set is its pattern's
 * only embedding in the family; when one of those labels is in no run outside the family, every
 * run holding the pattern is the family's. Its support is then known here, and when a whole
 * graph of more edges among those runs has that same support, the pattern is not maximal and
 * need not be recorded at all (neither need the patterns it would cover: the same whole graph
 * covers them). Most of a workflow re-run whole is skipped so.
 */
export function surelyCovered(family: Family, whole: ReadonlyArray<Evidence | undefined>, labelRuns: ReadonlyMap<number, number>): (chosen: readonly number[], groups: Uint32Array) => boolean {
  const inFamily = new Map<number, number>();
  family.groupEdges.forEach((edges, g) => {
    for (const label of new Set(edges.map((k) => family.edges[k]!.label))) inFamily.set(label, (inFamily.get(label) ?? 0) + family.groups[g]!.support);
  });
  const edgesWith = new Map<number, number>();
  for (const e of family.edges) edgesWith.set(e.label, (edgesWith.get(e.label) ?? 0) + 1);
  const alone = family.edges.map((e) => edgesWith.get(e.label) === 1);
  const own = family.edges.map((e) => inFamily.get(e.label) === labelRuns.get(e.label));
  const wholes = whole.flatMap((evidence, g) => (evidence ? [{ g, evidence, edges: family.groupEdges[g]!.length }] : []));
  return (chosen, groups) => {
    if (wholes.length === 0 || !chosen.every((k) => alone[k]) || !chosen.some((k) => own[k])) return false;
    let support = 0;
    family.groups.forEach((evidence, g) => {
      if (groups[g >>> 5]! & (1 << (g & 31))) support += evidence.support;
    });
    return wholes.some(({ g, evidence, edges }) => edges > chosen.length && evidence.support === support && (groups[g >>> 5]! & (1 << (g & 31))) !== 0);
  };
}
