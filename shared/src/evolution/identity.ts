import { canonicalize, type CanonicalPattern, type PatternEdge } from './canonical';
import type { EdgeLabels, Family } from './families';

/** Nodes (by skill) and edges with their label ids: a family, or a pattern read as one. */
export type LabelledGraph = Pick<Family, 'labels' | 'edges'>;

/** The pattern a set of a graph's edges forms, canonicalised. */
export function patternOf(graph: LabelledGraph, chosen: readonly number[]): CanonicalPattern {
  const index = new Map<number, number>();
  const labels: string[] = [];
  const at = (v: number) => {
    let i = index.get(v);
    if (i === undefined) {
      index.set(v, (i = labels.length));
      labels.push(graph.labels[v]!);
    }
    return i;
  };
  const edges: PatternEdge[] = chosen.map((k) => {
    const e = graph.edges[k]!;
    return { source: at(e.source), sourceHandle: e.sourceHandle, target: at(e.target), targetHandle: e.targetHandle };
  });
  return canonicalize(labels, edges);
}

/** A pattern as a labelled graph of its own, its edges' label ids taken from `labels`. */
export function graphOf(p: CanonicalPattern, labels: EdgeLabels): LabelledGraph {
  return {
    labels: p.labels,
    edges: p.edges.map((e) => ({ ...e, label: labels.id(p.labels[e.source]!, e.sourceHandle, e.targetHandle, p.labels[e.target]!) })),
  };
}

/**
 * Identity keys of edge sets: equal keys exactly when the sets form isomorphic patterns. Most
 * patterns have no two edges of one label (a label names both skills and both ports); their key
 * is their edges by label id with the nodes numbered as they first appear, which is the same for
 * every isomorphic set and far cheaper than a canonical form. Only sets that repeat a label are
 * canonicalised (the two kinds never meet: repeating a label is kept by isomorphism).
 */
export class PatternKeys {
  private readonly order: number[] = [];
  private number = new Int32Array(0).fill(-1);

  /** The identity key of the pattern `chosen` edges of `graph` form. */
  keyOf(graph: LabelledGraph, chosen: readonly number[]): string {
    const { edges } = graph;
    const order = this.order;
    order.length = 0;
    for (const k of chosen) order.push(k);
    order.sort((a, b) => edges[a]!.label - edges[b]!.label);
    for (let i = 1; i < order.length; i++) {
      if (edges[order[i]!]!.label === edges[order[i - 1]!]!.label) return `c${patternOf(graph, chosen).key}`;
    }
    if (this.number.length < graph.labels.length) this.number = new Int32Array(graph.labels.length * 2).fill(-1);
    const number = this.number;
    let next = 0;
    let code = 'q';
    for (const k of order) {
      const e = edges[k]!;
      if (number[e.source] === -1) number[e.source] = next++;
      if (number[e.target] === -1) number[e.target] = next++;
      code += `${e.label}:${number[e.source]}>${number[e.target]},`;
    }
    for (const k of order) {
      number[edges[k]!.source] = -1;
      number[edges[k]!.target] = -1;
    }
    return code;
  }
}
