import type { Connection, Edge, EdgeChange, Node, NodeChange } from '@xyflow/react';
import type * as Y from 'yjs';
import {
  edgesOf,
  moveNode,
  nodesOf,
  putEdge,
  putNode,
  removeEdge,
  removeNode,
  setNodeInput,
  type WorkflowEdge,
  type WorkflowGraph,
  type WorkflowNode,
} from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import type { SkillFrontmatter } from '../../../shared/src/skill/schema';
import { checkConnection, type ConnectionCheck } from '../../../shared/src/workflow/connection';
import type { NodeSkillFrontmatter, SkillLookup } from '../../../shared/src/workflow/validate';

/** What a skill node shows: the node's document fields plus what the view derives for it. */
export interface SkillNodeData extends Record<string, unknown> {
  label: string;
  skillId: string;
  /** The skill's declared ports; undefined when no readable volume has the skill. */
  skill: NodeSkillFrontmatter | undefined;
  inputs: Record<string, Json>;
  /** Inputs fed by an edge, which therefore take no literal value. */
  wired: string[];
  /** Collaborators who have this node selected. */
  selectedBy: Array<{ name: string; color: string }>;
}

export type SkillFlowNode = Node<SkillNodeData, 'skill'>;

/** A node's size as React Flow measured it in the DOM. */
export interface Measured {
  width: number;
  height: number;
}

/** A collaborator's selection, from awareness. */
export interface RemoteSelection {
  name: string;
  color: string;
  nodes: string[];
}

/**
 * Turns the workflow document into React Flow nodes and edges. Node objects are reused while
 * nothing they show changed, so dragging one node in a 500-node workflow re-renders one node.
 */
export class WorkflowView {
  private nodeCache = new Map<string, { key: string; dataKey: string; node: SkillFlowNode }>();
  private edgeCache = new Map<string, { key: string; edge: Edge }>();

  nodes(
    graph: WorkflowGraph,
    lookup: SkillLookup,
    selected: ReadonlySet<string>,
    remote: readonly RemoteSelection[] = [],
    measured: ReadonlyMap<string, Measured> = new Map(),
  ): SkillFlowNode[] {
    const wired = new Map<string, string[]>();
    for (const e of graph.edges) wired.set(e.target, [...(wired.get(e.target) ?? []), e.targetHandle]);
    const next = new Map<string, { key: string; dataKey: string; node: SkillFlowNode }>();
    const out = graph.nodes.map((n) => {
      const skill = lookup(n.skillId);
      const selectedBy = remote.filter((r) => r.nodes.includes(n.id)).map(({ name, color }) => ({ name, color }));
      const nodeWired = wired.get(n.id) ?? [];
      const isSelected = selected.has(n.id);
      const size = measured.get(n.id);
      const cached = this.nodeCache.get(n.id);
      const dataKey = JSON.stringify([n.label, n.skillId, n.inputs, nodeWired, selectedBy]);
      const key = JSON.stringify([dataKey, n.position, isSelected, size]);
      const sameData = cached !== undefined && cached.dataKey === dataKey && cached.node.data.skill === skill;
      if (sameData && cached.key === key) {
        next.set(n.id, cached);
        return cached.node;
      }
      // Keep the data object when only position, size or selection changed: the node's
      // content (a memoised component) then does not re-render at all.
      const data: SkillNodeData = sameData
        ? cached.node.data
        : { label: n.label, skillId: n.skillId, skill, inputs: n.inputs, wired: nodeWired, selectedBy };
      // React Flow shows a node only once it carries its measured size, so the view keeps it.
      const node: SkillFlowNode = { id: n.id, type: 'skill', position: n.position, data, selected: isSelected, ...(size ? { measured: size } : {}) };
      next.set(n.id, { key, dataKey, node });
      return node;
    });
    this.nodeCache = next;
    return out;
  }

  edges(graph: WorkflowGraph, selected: ReadonlySet<string>): Edge[] {
    const next = new Map<string, { key: string; edge: Edge }>();
    const out = graph.edges.map((e) => {
      const isSelected = selected.has(e.id);
      const key = JSON.stringify([e.source, e.sourceHandle, e.target, e.targetHandle, isSelected]);
      const cached = this.edgeCache.get(e.id);
      const edge = cached && cached.key === key ? cached.edge : { ...toFlowEdge(e), selected: isSelected };
      next.set(e.id, { key, edge });
      return edge;
    });
    this.edgeCache = next;
    return out;
  }
}

const toFlowEdge = (e: WorkflowEdge): Edge => ({
  id: e.id,
  source: e.source,
  sourceHandle: e.sourceHandle,
  target: e.target,
  targetHandle: e.targetHandle,
});

const newId = (): string => crypto.randomUUID();

/**
 * Writes React Flow node changes into the document (moves and removals) as one local
 * transaction, and returns the selection and size changes, which are this view's own state.
 */
export function applyNodeChanges(
  doc: Y.Doc,
  changes: NodeChange[],
): { selection: Array<{ id: string; selected: boolean }>; measured: Array<{ id: string; size: Measured }> } {
  const selection: Array<{ id: string; selected: boolean }> = [];
  const measured: Array<{ id: string; size: Measured }> = [];
  const edits = changes.filter((c) => (c.type === 'position' && c.position) || c.type === 'remove');
  for (const change of changes) {
    if (change.type === 'select') selection.push({ id: change.id, selected: change.selected });
    else if (change.type === 'dimensions' && change.dimensions) measured.push({ id: change.id, size: change.dimensions });
  }
  if (edits.length > 0) {
    doc.transact(() => {
      for (const change of edits) {
        if (change.type === 'position' && change.position) moveNode(doc, change.id, change.position);
        else if (change.type === 'remove') removeNode(doc, change.id);
      }
    }, ORIGIN.local);
  }
  return { selection, measured };
}

/** Writes React Flow edge removals into the document; returns the selection changes. */
export function applyEdgeChanges(doc: Y.Doc, changes: EdgeChange[]): Array<{ id: string; selected: boolean }> {
  const selection: Array<{ id: string; selected: boolean }> = [];
  doc.transact(() => {
    for (const change of changes) {
      if (change.type === 'remove') removeEdge(doc, change.id);
      else if (change.type === 'select') selection.push({ id: change.id, selected: change.selected });
    }
  }, ORIGIN.local);
  return selection;
}

/** Adds an edge if the connection is allowed (rewiring a fed input), in one local transaction. */
export function connect(doc: Y.Doc, graph: WorkflowGraph, c: Connection, lookup: SkillLookup): ConnectionCheck {
  const check = checkConnection(graph, c, lookup);
  if (!check.ok) return check;
  doc.transact(() => {
    if (check.replaces) removeEdge(doc, check.replaces);
    putEdge(doc, { id: newId(), source: c.source, sourceHandle: c.sourceHandle ?? '', target: c.target, targetHandle: c.targetHandle ?? '' });
  }, ORIGIN.local);
  return check;
}

/** Adds a node for a skill at a canvas position; returns its id. */
export function addSkillNode(doc: Y.Doc, skill: Pick<SkillFrontmatter, 'skill_id' | 'name'>, position: { x: number; y: number }): string {
  const id = newId();
  doc.transact(() => putNode(doc, { id, skillId: skill.skill_id, label: skill.name, position, inputs: {} }), ORIGIN.local);
  return id;
}

/** Renames a node: the label it shows, kept in the workflow document. */
export function renameNode(doc: Y.Doc, nodeId: string, label: string): void {
  doc.transact(() => nodesOf(doc).get(nodeId)?.set('label', label), ORIGIN.local);
}

/** Moves nodes by an offset, in one local transaction (the keyboard's nudge). */
export function moveNodesBy(doc: Y.Doc, graph: WorkflowGraph, ids: ReadonlySet<string>, by: { x: number; y: number }): void {
  doc.transact(() => {
    for (const n of graph.nodes) if (ids.has(n.id)) moveNode(doc, n.id, { x: n.position.x + by.x, y: n.position.y + by.y });
  }, ORIGIN.local);
}

/** Sets or clears one literal input of a node. */
export function setLiteralInput(doc: Y.Doc, nodeId: string, input: string, value: Json | undefined): void {
  doc.transact(() => setNodeInput(doc, nodeId, input, value), ORIGIN.local);
}

/** What copy puts on the clipboard: some nodes and the edges among them. */
export interface Clip {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** Copies the given nodes and the edges that run between them. */
export function copyNodes(graph: WorkflowGraph, ids: ReadonlySet<string>): Clip {
  return {
    nodes: graph.nodes.filter((n) => ids.has(n.id)),
    edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
  };
}

/** Pastes a clip with fresh ids, shifted by `offset`, in one local transaction; returns the new node ids. */
export function pasteClip(doc: Y.Doc, clip: Clip, offset: { x: number; y: number }): string[] {
  const ids = new Map(clip.nodes.map((n) => [n.id, newId()]));
  doc.transact(() => {
    for (const n of clip.nodes) {
      putNode(doc, { ...n, id: ids.get(n.id) as string, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } });
    }
    for (const e of clip.edges) {
      putEdge(doc, { ...e, id: newId(), source: ids.get(e.source) as string, target: ids.get(e.target) as string });
    }
  }, ORIGIN.local);
  return [...ids.values()];
}

/** Deletes nodes (and their edges) and edges, in one local transaction. */
export function deleteSelection(doc: Y.Doc, nodeIds: Iterable<string>, edgeIds: Iterable<string>): void {
  doc.transact(() => {
    for (const id of edgeIds) edgesOf(doc).delete(id);
    for (const id of nodeIds) removeNode(doc, id);
  }, ORIGIN.local);
}
