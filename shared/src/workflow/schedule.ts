import type { WorkflowGraph } from '../documents/workflow';

/** The ids of the nodes each node depends on directly (sources of its incoming edges). */
export function dependenciesOf(graph: WorkflowGraph): Map<string, Set<string>> {
  const deps = new Map<string, Set<string>>(graph.nodes.map((n) => [n.id, new Set<string>()]));
  for (const e of graph.edges) deps.get(e.target)?.add(e.source);
  return deps;
}

/**
 * The nodes that may start now: not finished, not running, and every dependency finished.
 * Calling it again after each completion runs independent branches in parallel.
 */
export function readyNodes(
  graph: WorkflowGraph,
  finished: ReadonlySet<string>,
  running: ReadonlySet<string> = new Set(),
): string[] {
  const ready: string[] = [];
  for (const [id, deps] of dependenciesOf(graph)) {
    if (finished.has(id) || running.has(id)) continue;
    if ([...deps].every((d) => finished.has(d))) ready.push(id);
  }
  return ready;
}

/** Groups an acyclic workflow into waves: each wave's nodes depend only on earlier waves. */
export function scheduleWaves(graph: WorkflowGraph): string[][] {
  const waves: string[][] = [];
  const finished = new Set<string>();
  for (;;) {
    const wave = readyNodes(graph, finished);
    if (wave.length === 0) break;
    waves.push(wave);
    for (const id of wave) finished.add(id);
  }
  return waves;
}

function reach(start: string, edges: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length > 0) {
    const id = todo.pop() as string;
    for (const next of edges.get(id) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

/** Every node a node needs, transitively ("run to here" runs these and the node). */
export function upstreamOf(graph: WorkflowGraph, id: string): Set<string> {
  const back = new Map<string, string[]>();
  for (const e of graph.edges) back.set(e.target, [...(back.get(e.target) ?? []), e.source]);
  return reach(id, back);
}

/** Every node that depends on a node, transitively (these go stale when it changes). */
export function downstreamOf(graph: WorkflowGraph, id: string): Set<string> {
  const fwd = new Map<string, string[]>();
  for (const e of graph.edges) fwd.set(e.source, [...(fwd.get(e.source) ?? []), e.target]);
  return reach(id, fwd);
}
