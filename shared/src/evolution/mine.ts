import { canonicalize, type CanonicalPattern } from './canonical';
import { forEachConnectedEdgeSet, MASK_BITS } from './edge-sets';
import { familiesOf, labelRuns, type LabelledRuns } from './families';
import { graphOf, patternOf, PatternKeys, type LabelledGraph } from './identity';
import { PatternTable } from './pattern-table';
import { readTrace, type MinedRun } from './runs';
import { surelyCovered, wholeEvidence } from './whole-runs';

/** How mining reads its traces; `now` is required so the same traces always give the same answer. */
export interface MineOptions {
  /** The end of the window (ms since the epoch, or an ISO date). */
  now: number | string;
  /** The window: runs started in the `days` before `now` count (7 by default, as the original). */
  days?: number;
  /** A pattern is offered when at least this many distinct successful runs contain it (3). */
  minSupport?: number;
  /**
   * Sub-graphs have at most this many nodes (8): the count grows fast with size. A run's whole
   * graph (when connected) is a candidate whatever its size: a workflow re-run whole is offered
   * whole, and its pieces with the same support are not (they are not maximal).
   */
  maxNodes?: number;
  /**
   * At most this many patterns are returned, the first by support then size (20): a person
   * reads suggestions, and thousands of them say nothing. `Infinity` returns them all.
   */
  limit?: number;
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
const DEFAULT_LIMIT = 20;

interface Checked {
  now: number;
  from: number;
  minSupport: number;
  maxNodes: number;
  limit: number;
}

function checked(o: MineOptions): Checked {
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
  const limit = o.limit ?? DEFAULT_LIMIT;
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) {
    throw new MineOptionsError(`the number of patterns to offer must be a whole number ≥ 1 (or Infinity for all), got ${limit}`);
  }
  return { now, from: now - days * DAY_MS, minSupport, maxNodes, limit };
}

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

/** How many nodes the chosen edges touch. */
function nodeCount(graph: LabelledGraph, chosen: readonly number[]): number {
  return new Set(chosen.flatMap((k) => [graph.edges[k]!.source, graph.edges[k]!.target])).size;
}

/** The set bits of a mask below 2^53, lowest first. */
function forEachBit(mask: number, visit: (bit: number) => void): void {
  let low = mask % 2 ** 32;
  let high = Math.floor(mask / 2 ** 32);
  for (let base = 0; base < 64; base += 32) {
    while (low !== 0) {
      const bit = 31 - Math.clz32(low & -low);
      visit(base + bit);
      low = (low & ~(1 << bit)) >>> 0;
    }
    low = high;
    high = 0;
  }
}

/**
 * Every maximal frequent pattern at `minSupport`: each family's union graph is enumerated once,
 * a pattern's runs in a family are the union over its embeddings of the groups that hold them,
 * and a pattern is dropped when a pattern one edge larger, or a run's whole graph around it,
 * has the same support. Whole graphs larger than `maxNodes` join as patterns of their own.
 */
function maximalPatterns(labelled: LabelledRuns, minSupport: number, maxNodes: number): { table: PatternTable; maximal: number[] } {
  const table = new PatternTable();
  const keys = new PatternKeys();
  /** Pairs (smaller, larger) of pattern ids one edge apart, seen in some run. */
  const smallerIds: number[] = [];
  const largerIds: number[] = [];
  /** Patterns seen in a family too large for edge-set masks: their one-edge-smaller patterns are derived instead. */
  const unlinked = new Set<number>();
  const families = familiesOf(labelled, minSupport);
  const wholes = wholeEvidence(families);
  let pool = new Uint32Array(1024);
  for (const family of families) {
    const { words } = family;
    const whole = wholes.get(family)!;
    /** Pattern id → where in `pool` the family's groups holding it (any embedding) are. */
    const held = new Map<number, number>();
    const masks = family.edges.length <= MASK_BITS ? new Map<number, number>() : undefined;
    const covers = surelyCovered(family, whole, labelled.labelRuns);
    forEachConnectedEdgeSet(family, maxNodes, ({ chosen, groups, mask }) => {
      if (covers(chosen, groups)) return;
      const id = table.idOf(keys.keyOf(family, chosen), family, chosen);
      if (masks) masks.set(mask, id);
      else unlinked.add(id);
      let at = held.get(id);
      if (at === undefined) {
        at = held.size * words;
        held.set(id, at);
        if (at + words > pool.length) {
          const grown = new Uint32Array(pool.length * 2);
          grown.set(pool);
          pool = grown;
        }
        pool.fill(0, at, at + words);
      }
      for (let w = 0; w < words; w++) pool[at + w]! |= groups[w]!;
    });
    for (const [id, at] of held) {
      family.groups.forEach((g, i) => {
        if ((pool[at + (i >>> 5)]! & (1 << (i & 31))) === 0) return;
        table.add(id, family, g);
        if (whole[i] && family.groupEdges[i]!.length > table.edges(id)) table.wholeAround[id] = Math.max(table.wholeAround[id]!, whole[i].support);
      });
    }
    // Whole graphs too large to be enumerated are candidates of their own.
    whole.forEach((evidence, i) => {
      const chosen = family.groupEdges[i]!;
      if (!evidence || evidence.support < minSupport || nodeCount(family, chosen) <= maxNodes) return;
      const id = table.idOf(keys.keyOf(family, chosen), family, chosen);
      if (table.support[id] === 0) table.setCounted(id, evidence);
    });
    // Linked once all are known: the enumeration does not visit smaller sets first.
    for (const [mask, id] of masks ?? []) {
      forEachBit(mask, (bit) => {
        const smaller = masks!.get(mask - 2 ** bit);
        if (smaller === undefined) return;
        smallerIds.push(smaller);
        largerIds.push(id);
      });
    }
  }

  // A pattern with a larger one of the same support around it has one exactly an edge larger
  // (support only falls as patterns grow), so checking one-edge extensions is enough.
  for (const id of unlinked) {
    const { family, chosen } = table.sample(id);
    for (const smaller of oneEdgeSmaller(patternOf(family, chosen))) {
      const graph = graphOf(smaller, labelled.labels);
      const s = table.find(keys.keyOf(graph, graph.edges.map((_, k) => k)));
      if (s === undefined) continue;
      smallerIds.push(s);
      largerIds.push(id);
    }
  }
  const { support, wholeAround } = table;
  const covered = new Uint8Array(table.size);
  for (let k = 0; k < smallerIds.length; k++) {
    const small = smallerIds[k]!;
    if (support[small] === support[largerIds[k]!]) covered[small] = 1;
  }
  const maximal: number[] = [];
  for (let id = 0; id < table.size; id++) if (support[id]! >= minSupport && !covered[id] && wholeAround[id] !== support[id]) maximal.push(id);
  return { table, maximal };
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
 * Mines run traces for frequent connected sub-graphs (at least 2 nodes, at most `maxNodes`, and
 * any run's whole connected graph whatever its size), labelled by skill id and by ports on
 * edges: each counted once per distinct successful run in the window, kept at `minSupport` or
 * more, only the maximal ones (none with a larger candidate of the same support around it),
 * less those already compound skills or dismissed; ranked by support, then size, then key, and
 * the first `limit` returned. Deterministic: the same traces and options give the same answer.
 *
 * Only the first `limit` are wanted, so mining starts at a high support threshold and lowers it
 * (halving, down to `minSupport`) until that many are offered: the maximal patterns of support
 * ≥ t do not depend on any pattern of lower support, so the first `limit` found at t are the
 * first `limit` of all, and a high threshold leaves few edges to enumerate.
 */
export function minePatterns(traces: Iterable<unknown>, options: MineOptions): MineResult {
  const { now, from, minSupport, maxNodes, limit } = checked(options);
  const result: MineResult = { patterns: [], runs: 0, skipped: 0, problems: [] };
  const runs = runsIn(traces, from, now, result);
  result.runs = runs.length;
  const excluded = new Set([...(options.existing ?? []), ...(options.dismissed ?? [])]);
  const labelled = labelRuns(runs);
  const offered = (threshold: number): MinedPattern[] => {
    const { table, maximal } = maximalPatterns(labelled, threshold, maxNodes);
    return maximal.flatMap((id) => {
      const { family, chosen } = table.sample(id);
      const pattern = patternOf(family, chosen);
      if (excluded.has(pattern.key)) return [];
      const evidence = table.evidence(id);
      return [{ ...pattern, support: evidence.support, workflows: [...evidence.workflows].sort(), lastRun: new Date(evidence.lastRun).toISOString() }];
    });
  };
  let threshold = limit === Infinity ? minSupport : Math.max(minSupport, Math.ceil(runs.length / 2));
  let patterns = offered(threshold);
  while (patterns.length < limit && threshold > minSupport) {
    threshold = Math.max(minSupport, Math.floor(threshold / 2));
    patterns = offered(threshold);
  }
  result.patterns = patterns.sort(bySupportThenSize).slice(0, limit);
  return result;
}
