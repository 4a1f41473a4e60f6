import type * as Y from 'yjs';
import { edgesOf, nodesOf, putEdge, putNode, type WorkflowGraph } from '../../../shared/src/documents/workflow';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes into a workflow document what differs from `before` (what it holds) to `after`: nodes
 * and edges gone are removed, new or changed ones put, the rest left alone so collaborators'
 * views of them stay as they are. Runs inside the caller's transaction.
 */
export function writeGraphChange(doc: Y.Doc, before: WorkflowGraph, after: WorkflowGraph): void {
  const nodes = new Map(after.nodes.map((n) => [n.id, n]));
  const edges = new Map(after.edges.map((e) => [e.id, e]));
  for (const e of before.edges) if (!edges.has(e.id)) edgesOf(doc).delete(e.id);
  for (const n of before.nodes) if (!nodes.has(n.id)) nodesOf(doc).delete(n.id);
  const had = new Map(before.nodes.map((n) => [n.id, n]));
  const hadEdges = new Map(before.edges.map((e) => [e.id, e]));
  for (const n of after.nodes) if (!same(had.get(n.id), n)) putNode(doc, n);
  for (const e of after.edges) if (!same(hadEdges.get(e.id), e)) putEdge(doc, e);
}
