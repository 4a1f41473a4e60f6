import { canonicalize, type CanonicalPattern, type PatternEdge } from './canonical';
import { readTrace, type MinedRun } from './runs';

/** How mining reads its traces; `now` is required so the same traces always give the same answer. */
export interface MineOptions {
  /** The end of the window (ms since the epoch, or an ISO date). */
  now: number | string;
  /** The window: runs started in the `days` before `now` count (7 by default, as the original). */
  days?: number;
  /** A pattern is offered when at least this many distinct successful runs contain it (3). */
  minSupport?: number;
  /** Patterns have at most this many nodes (8): workflow patterns are small, and the count grows fast with size. */
  maxNodes?: number;
  /** Canonical keys of compound skills' insides already in the library: not offered again. */
  existing?: Iterable<string>;
  /** Canonical keys the user dismissed: not offered again. */
  dismissed?: Iterable<string>;
}

/** A frequent connected sub-graph of the runs, with its evidence. */
export interface MinedPattern extends CanonicalPattern {
  /** Distinct successful runs in the window that contain it. */
  support: number;
  /** The workflows those runs came from (named ones), sorted. */
  workflows: string[];
  /** ISO time of the latest of those runs. */
  lastRun: string;
}

export interface MineResult {
  patterns: MinedPattern[];
  /** Successful runs in the window that were mined. */
  runs: number;
  /** Values that are not traces at all, skipped, and why (the first few reasons). */
  skipped: number;
  problems: string[];
}

/** Options outside what mining can work with. */
export class MineOptionsError extends Error {
  override name = 'MineOptionsError';
}

const DAY_MS = 86_400_000;
/** The canonical form numbers nodes with characters: beyond this a pattern is not "small". */
const MAX_NODES_LIMIT = 16;
const MAX_PROBLEMS = 5;
const MASK_BITS = 53;

interface Evidence {
  support: number;
  workflows: Set<string>;
  lastRun: number;
}

/** Runs whose (pruned) graphs are identical: mined once, counted for all. */
interface RunGroup {
  /** The workflow when all its runs are of one (groups are mined in workflow order). */
  workflow?: string;
  skills: Map<string, string>;
  edges: Array<{ source: string; sourceHandle: string; target: string; targetHandle: string }>;
  evidence: Evidence;
}

function checked(o: MineOptions): { now: number; from: number; minSupport: number; maxNodes: number } {
  const now = typeof o.now === 'number' ? o.now : Date.parse(o.now);
  if (!Number.isFinite(now)) throw new MineOptionsError(`"now" must be a time (ms or an ISO date), got ${String(o.now)}`);
  const days = o.days ?? 7;
  if (!(days > 0 && Number.isFinite(days))) throw new MineOptionsError(`the window must be a positive number of days, got ${days}`);
  const minSupport = o.minSupport ?? 3;
  if (!(Number.isInteger(minSupport) && minSupport >= 1)) throw new MineOptionsError(`the minimum support must be a whole number ≥ 1, got ${minSupport}`);
  const maxNodes = o.maxNodes ?? 8;
  if (!(Number.isInteger(maxNodes) && maxNodes >= 2 && maxNodes <= MAX_NODES_LIMIT)) {
    throw new MineOptionsError(`patterns must be allowed 2 to ${MAX_NODES_LIMIT} nodes, got ${maxNodes}`);
  }
  return { now, from: now - days * DAY_MS, minSupport, maxNodes };
}

const edgeLabel = (skills: Map<string, string>, e: RunGroup['edges'][number]): string =>
  JSON.stringify([skills.get(e.source), e.sourceHandle, e.targetHandle, skills.get(e.target)]);

/** Successful runs in the window, each id once (the latest copy when a trace was stored twice). */
function runsIn(traces: Iterable<unknown>, from: number, now: number, result: MineResult): MinedRun[] {
  const byId = new Map<string, MinedRun>();
  for (const value of traces) {
    const read = readTrace(value);
    if (!read.ok) {
      result.skipped++;
      if (result.problems.length < MAX_PROBLEMS) result.problems.push(read.reason);
      continue;
    }
    const run = read.run;
    if (!run || run.startedAt < from || run.startedAt > now) continue;
    byId.set(run.id, run);
  }
  return [...byId.values()];
}

/**
 * Groups runs by their graph after dropping edges whose label (skill, ports, skill) is in fewer
 * than `minSupport` runs: no frequent pattern contains such an edge.
 */
function groupRuns(runs: MinedRun[], minSupport: number): RunGroup[] {
  const labelRuns = new Map<string, number>();
  for (const run of runs) {
    for (const label of new Set(run.edges.map((e) => edgeLabel(run.skills, e)))) labelRuns.set(label, (labelRuns.get(label) ?? 0) + 1);
  }
  const groups = new Map<string, RunGroup>();
  for (const run of runs) {
    const edges = run.edges.filter((e) => (labelRuns.get(edgeLabel(run.skills, e)) ?? 0) >= minSupport);
    if (edges.length === 0) continue;
    const ends = new Set(edges.flatMap((e) => [e.source, e.target]));
    const skills = new Map([...run.skills].filter(([id]) => ends.has(id)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const signature = JSON.stringify([[...skills], edges.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle]).sort()]);
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { skills, edges, evidence: { support: 0, workflows: new Set(), lastRun: 0 } }));
    group.evidence.support++;
    if (run.workflow) group.evidence.workflows.add(run.workflow);
    group.evidence.lastRun = Math.max(group.evidence.lastRun, run.startedAt);
  }
  const list = [...groups.values()];
  for (const g of list) if (g.evidence.workflows.size === 1) g.workflow = [...g.evidence.workflows][0];
  const order = (g: RunGroup) => g.workflow ?? '';
  return list.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/**
 * Every connected set of edges with at most `maxNodes` end nodes, each once: ESU enumeration
 * over the line graph (edges adjacent when they share a node).
 */
function forEachConnectedEdgeSet(group: RunGroup, maxNodes: number, visit: (edges: number[], mask: number) => void): void {
  const { edges } = group;
  const m = edges.length;
  const neighbours: number[][] = edges.map((e, i) =>
    edges.flatMap((f, j) => (j !== i && (f.source === e.source || f.source === e.target || f.target === e.source || f.target === e.target) ? [j] : [])),
  );
  const inSet = new Uint8Array(m);
  /** How many chosen edges touch or neighbour each edge: the exclusive neighbourhood test. */
  const near = new Uint16Array(m);
  const nodeCount = new Map<string, number>();
  const chosen: number[] = [];
  let mask = 0;
  const add = (i: number) => {
    chosen.push(i);
    mask += 2 ** i;
    inSet[i] = 1;
    for (const j of neighbours[i]!) near[j]!++;
    for (const v of [edges[i]!.source, edges[i]!.target]) nodeCount.set(v, (nodeCount.get(v) ?? 0) + 1);
  };
  const remove = (i: number) => {
    chosen.pop();
    mask -= 2 ** i;
    inSet[i] = 0;
    for (const j of neighbours[i]!) near[j]!--;
    for (const v of [edges[i]!.source, edges[i]!.target]) {
      const c = nodeCount.get(v)! - 1;
      if (c === 0) nodeCount.delete(v);
      else nodeCount.set(v, c);
    }
  };
  const newNodes = (i: number) => (nodeCount.has(edges[i]!.source) ? 0 : 1) + (nodeCount.has(edges[i]!.target) ? 0 : 1);
  const extend = (root: number, extension: number[]): void => {
    visit(chosen, mask);
    const ext = [...extension];
    while (ext.length > 0) {
      const w = ext.pop()!;
      if (nodeCount.size + newNodes(w) > maxNodes) continue;
      // Edges new to the neighbourhood through w (neither chosen nor next to a chosen edge).
      const exclusive = neighbours[w]!.filter((u) => u > root && !inSet[u] && near[u] === 0);
      add(w);
      extend(root, [...ext, ...exclusive]);
      remove(w);
    }
  };
  for (let r = 0; r < m; r++) {
    add(r);
    extend(
      r,
      neighbours[r]!.filter((u) => u > r),
    );
    remove(r);
  }
}

/** The pattern a set of a group's edges forms, canonicalised. */
function patternOf(group: RunGroup, chosen: readonly number[]): CanonicalPattern {
  const index = new Map<string, number>();
  const labels: string[] = [];
  const at = (id: string) => {
    let i = index.get(id);
    if (i === undefined) {
      index.set(id, (i = labels.length));
      labels.push(group.skills.get(id)!);
    }
    return i;
  };
  const edges: PatternEdge[] = chosen.map((k) => {
    const e = group.edges[k]!;
    return { source: at(e.source), sourceHandle: e.sourceHandle, target: at(e.target), targetHandle: e.targetHandle };
  });
  return canonicalize(labels, edges);
}

/** The connected patterns one edge smaller than `p` (an edge removed, with a node left bare). */
export function oneEdgeSmaller(p: CanonicalPattern): CanonicalPattern[] {
  const out: CanonicalPattern[] = [];
  for (let skip = 0; skip < p.edges.length; skip++) {
    const rest = p.edges.filter((_, i) => i !== skip);
    if (rest.length === 0) continue;
    const used = [...new Set(rest.flatMap((e) => [e.source, e.target]))].sort((a, b) => a - b);
    // Connected: every used node reached from the first through the remaining edges.
    const reached = new Set([used[0]!]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const e of rest) {
        if (reached.has(e.source) !== reached.has(e.target)) {
          reached.add(e.source);
          reached.add(e.target);
          grew = true;
        }
      }
    }
    if (reached.size !== used.length) continue;
    const renumber = new Map(used.map((v, i) => [v, i]));
    out.push(
      canonicalize(
        used.map((v) => p.labels[v]!),
        rest.map((e) => ({ ...e, source: renumber.get(e.source)!, target: renumber.get(e.target)! })),
      ),
    );
  }
  return out;
}

/** The canonical key of a graph given by nodes (id, skill id) and port-to-port edges, as mining keys patterns. */
export function patternKey(
  nodes: ReadonlyArray<{ id: string; skillId: string }>,
  edges: ReadonlyArray<{ source: string; sourceHandle: string; target: string; targetHandle: string }>,
): string {
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  return canonicalize(
    nodes.map((n) => n.skillId),
    edges.flatMap((e) => {
      const s = index.get(e.source);
      const t = index.get(e.target);
      return s === undefined || t === undefined ? [] : [{ source: s, sourceHandle: e.sourceHandle, target: t, targetHandle: e.targetHandle }];
    }),
  ).key;
}

const bySupportThenSize = (a: MinedPattern, b: MinedPattern): number =>
  b.support - a.support || b.labels.length - a.labels.length || b.edges.length - a.edges.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Mines run traces for frequent connected sub-graphs (at least 2 nodes, at most `maxNodes`),
 * labelled by skill id and by ports on edges: each counted once per distinct successful run in
 * the window, kept at `minSupport` or more, only the maximal ones (none with a larger pattern
 * of the same support around it), less those already compound skills or dismissed; ranked by
 * support, then size, then key. Deterministic: the same traces and options give the same answer.
 */
export function minePatterns(traces: Iterable<unknown>, options: MineOptions): MineResult {
  const { now, from, minSupport, maxNodes } = checked(options);
  const result: MineResult = { patterns: [], runs: 0, skipped: 0, problems: [] };
  const runs = runsIn(traces, from, now, result);
  result.runs = runs.length;

  const found = new Map<string, { pattern: CanonicalPattern; evidence: Evidence; id: number }>();
  const entries: Array<{ pattern: CanonicalPattern; evidence: Evidence; id: number }> = [];
  /** Pairs (smaller, larger) of pattern ids one edge apart, seen in some run. */
  const smallerIds: number[] = [];
  const largerIds: number[] = [];
  /** Patterns seen in a run too large for edge-set masks: their one-edge-smaller patterns are derived instead. */
  const unlinked = new Set<number>();
  // Runs of one workflow share most edge sets (a partial run's are all its full run's): each set
  // is canonicalised once per workflow, looked up by its edges' ids after that.
  const edgeIds = new Map<string, number>();
  let cacheFor: string | undefined;
  let known = new Map<string, number>();
  for (const group of groupRuns(runs, minSupport)) {
    const workflow = group.workflow;
    if (workflow !== cacheFor) {
      cacheFor = workflow;
      known = new Map();
    }
    const gid = group.edges.map((e) => {
      const code = JSON.stringify([e.source, e.sourceHandle, e.target, e.targetHandle, group.skills.get(e.source), group.skills.get(e.target)]);
      let id = edgeIds.get(code);
      if (id === undefined) edgeIds.set(code, (id = edgeIds.size));
      return id;
    });
    const counted = new Set<number>();
    // Edge sets as bit masks (exact in a double up to 53 edges) → pattern id, to link each set to its one-edge-smaller sets.
    const masks = group.edges.length <= MASK_BITS ? new Map<number, number>() : undefined;
    forEachConnectedEdgeSet(group, maxNodes, (chosen, mask) => {
      const signature = workflow === undefined ? undefined : chosen.map((i) => gid[i]!).sort((a, b) => a - b).join(',');
      let id = signature === undefined ? undefined : known.get(signature);
      if (id === undefined) {
        const pattern = patternOf(group, chosen);
        let entry = found.get(pattern.key);
        if (!entry) {
          entry = { pattern, evidence: { support: 0, workflows: new Set(), lastRun: 0 }, id: entries.length };
          found.set(pattern.key, entry);
          entries.push(entry);
        }
        id = entry.id;
        if (signature !== undefined) known.set(signature, id);
      }
      if (masks) masks.set(mask, id);
      else unlinked.add(id);
      if (counted.has(id)) return;
      counted.add(id);
      const evidence = entries[id]!.evidence;
      evidence.support += group.evidence.support;
      for (const w of group.evidence.workflows) evidence.workflows.add(w);
      evidence.lastRun = Math.max(evidence.lastRun, group.evidence.lastRun);
    });
    // Linked once all are known: the enumeration does not visit smaller sets first.
    for (const [mask, id] of masks ?? []) {
      for (let i = 0, bit = 1; i < group.edges.length; i++, bit *= 2) {
        if (Math.floor(mask / bit) % 2 === 0) continue;
        const smaller = masks!.get(mask - bit);
        if (smaller === undefined) continue;
        smallerIds.push(smaller);
        largerIds.push(id);
      }
    }
  }

  // A pattern with a larger one of the same support around it has one exactly an edge larger
  // (support only falls as patterns grow), so checking one-edge extensions is enough.
  for (const id of unlinked) {
    for (const smaller of oneEdgeSmaller(entries[id]!.pattern)) {
      const s = found.get(smaller.key);
      if (!s) continue;
      smallerIds.push(s.id);
      largerIds.push(id);
    }
  }
  const covered = new Uint8Array(entries.length);
  for (let k = 0; k < smallerIds.length; k++) {
    const small = smallerIds[k]!;
    if (entries[small]!.evidence.support === entries[largerIds[k]!]!.evidence.support) covered[small] = 1;
  }
  const frequent = entries.filter((f) => f.evidence.support >= minSupport && !covered[f.id]);
  const excluded = new Set([...(options.existing ?? []), ...(options.dismissed ?? [])]);
  result.patterns = frequent
    .filter((f) => !excluded.has(f.pattern.key))
    .map((f) => ({
      ...f.pattern,
      support: f.evidence.support,
      workflows: [...f.evidence.workflows].sort(),
      lastRun: new Date(f.evidence.lastRun).toISOString(),
    }))
    .sort(bySupportThenSize);
  return result;
}
