import * as Y from 'yjs';
import { asRecord, asString, type Json } from '../json';

/** A workflow's metadata. */
export interface WorkflowMeta {
  name: string;
  description: string;
  created_at: string;
  updated_at: string;
}

/** A node as plain data: a skill placed on the canvas with its literal inputs. */
export interface WorkflowNode {
  id: string;
  skillId: string;
  label: string;
  position: { x: number; y: number };
  inputs: Record<string, Json>;
}

/** An edge carries one output of `source` to one input of `target`. */
export interface WorkflowEdge {
  id: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** A workflow as plain data, the form graph logic and file formats work on. */
export interface WorkflowGraph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** The colours a note can have. */
export const NOTE_COLORS = ['yellow', 'blue', 'green', 'pink', 'grey'] as const;
export type NoteColor = (typeof NOTE_COLORS)[number];

/** A note's size when nothing (or nothing valid) says otherwise. */
export const NOTE_SIZE = { width: 220, height: 160 } as const;

/** A sticky note on the canvas as plain data: Markdown in a box. Notes are never run. */
export interface WorkflowNote {
  id: string;
  text: string;
  position: { x: number; y: number };
  size: { width: number; height: number };
  color: NoteColor;
}

/** A workflow with its notes: what a workflow file holds besides the metadata. */
export interface WorkflowContent extends WorkflowGraph {
  notes: WorkflowNote[];
}

const metaOf = (doc: Y.Doc) => doc.getMap<unknown>('meta');
/** The workflow's nodes: node id → Y.Map. */
export const nodesOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('nodes');
/** The workflow's edges: edge id → Y.Map. */
export const edgesOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('edges');
/** The workflow's notes: note id → Y.Map (`text` Y.Text, `position`, `size`, `color`), apart from the nodes so nothing runs them. */
export const notesOf = (doc: Y.Doc): Y.Map<Y.Map<unknown>> => doc.getMap<Y.Map<unknown>>('notes');

/** Reads a workflow's metadata. */
export function readWorkflowMeta(doc: Y.Doc): WorkflowMeta {
  const m = metaOf(doc);
  return {
    name: asString(m.get('name')),
    description: asString(m.get('description')),
    created_at: asString(m.get('created_at')),
    updated_at: asString(m.get('updated_at')),
  };
}

/** Sets metadata fields of a workflow. */
export function writeWorkflowMeta(doc: Y.Doc, fields: Partial<WorkflowMeta>): void {
  const m = metaOf(doc);
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) m.set(key, value);
  });
}

function readPosition(value: unknown): { x: number; y: number } {
  const p = asRecord(value);
  return { x: typeof p.x === 'number' ? p.x : 0, y: typeof p.y === 'number' ? p.y : 0 };
}

function readNode(id: string, m: Y.Map<unknown>): WorkflowNode {
  const yInputs = m.get('inputs');
  // fromEntries defines own properties, so a key like "__proto__" from another client stays data.
  const inputs: Record<string, Json> = yInputs instanceof Y.Map ? Object.fromEntries(yInputs.entries()) : {};
  return {
    id,
    skillId: asString(m.get('skillId')),
    label: asString(m.get('label')),
    position: readPosition(m.get('position')),
    inputs,
  };
}

function readEdge(id: string, m: Y.Map<unknown>): WorkflowEdge {
  return {
    id,
    source: asString(m.get('source')),
    sourceHandle: asString(m.get('sourceHandle')),
    target: asString(m.get('target')),
    targetHandle: asString(m.get('targetHandle')),
  };
}

/** Reads a workflow document as a plain graph. */
export function readWorkflowGraph(doc: Y.Doc): WorkflowGraph {
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  nodesOf(doc).forEach((m, id) => m instanceof Y.Map && nodes.push(readNode(id, m)));
  edgesOf(doc).forEach((m, id) => m instanceof Y.Map && edges.push(readEdge(id, m)));
  return { nodes, edges };
}

/** Adds or replaces a node. */
export function putNode(doc: Y.Doc, node: WorkflowNode): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('skillId', node.skillId);
    m.set('label', node.label);
    m.set('position', { x: node.position.x, y: node.position.y });
    const inputs = new Y.Map<unknown>();
    for (const [k, v] of Object.entries(node.inputs)) inputs.set(k, v);
    m.set('inputs', inputs);
    nodesOf(doc).set(node.id, m);
  });
}

/** Moves a node. */
export function moveNode(doc: Y.Doc, id: string, position: { x: number; y: number }): void {
  nodesOf(doc).get(id)?.set('position', { x: position.x, y: position.y });
}

/** Sets (or, with undefined, clears) one literal input of a node. */
export function setNodeInput(doc: Y.Doc, id: string, input: string, value: Json | undefined): void {
  const inputs = nodesOf(doc).get(id)?.get('inputs');
  if (!(inputs instanceof Y.Map)) return;
  if (value === undefined) inputs.delete(input);
  else inputs.set(input, value);
}

/** Removes a node and every edge touching it, in one transaction. */
export function removeNode(doc: Y.Doc, id: string): void {
  doc.transact(() => {
    nodesOf(doc).delete(id);
    edgesOf(doc).forEach((m, edgeId) => {
      if (m.get('source') === id || m.get('target') === id) edgesOf(doc).delete(edgeId);
    });
  });
}

/** Adds or replaces an edge. */
export function putEdge(doc: Y.Doc, edge: WorkflowEdge): void {
  const m = new Y.Map<unknown>();
  m.set('source', edge.source);
  m.set('sourceHandle', edge.sourceHandle);
  m.set('target', edge.target);
  m.set('targetHandle', edge.targetHandle);
  edgesOf(doc).set(edge.id, m);
}

/** Removes an edge. */
export function removeEdge(doc: Y.Doc, id: string): void {
  edgesOf(doc).delete(id);
}

/** Empties a deleted workflow's document (metadata, nodes, edges, notes), so nothing of it syncs on. */
export function clearWorkflow(doc: Y.Doc): void {
  doc.transact(() => {
    for (const map of [metaOf(doc), nodesOf(doc), edgesOf(doc), notesOf(doc)] as Y.Map<unknown>[]) for (const key of [...map.keys()]) map.delete(key);
  });
}

/** Writes a whole plain graph (and its notes, when given) into an empty workflow document, in one transaction. */
export function writeWorkflowGraph(doc: Y.Doc, graph: WorkflowGraph & { notes?: WorkflowNote[] }): void {
  doc.transact(() => {
    for (const node of graph.nodes) putNode(doc, node);
    for (const edge of graph.edges) putEdge(doc, edge);
    for (const note of graph.notes ?? []) putNote(doc, note);
  });
}

function readSize(value: unknown): { width: number; height: number } {
  const s = asRecord(value);
  const side = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);
  return { width: side(s.width, NOTE_SIZE.width), height: side(s.height, NOTE_SIZE.height) };
}

const isNoteColor = (value: unknown): value is NoteColor => (NOTE_COLORS as readonly unknown[]).includes(value);

function readNote(id: string, m: Y.Map<unknown>): WorkflowNote {
  const text = m.get('text');
  const color = m.get('color');
  return {
    id,
    text: text instanceof Y.Text ? text.toString() : asString(text),
    position: readPosition(m.get('position')),
    size: readSize(m.get('size')),
    color: isNoteColor(color) ? color : 'yellow',
  };
}

/** Reads a workflow's notes (kept out of `readWorkflowGraph`, which the executor reads). */
export function readWorkflowNotes(doc: Y.Doc): WorkflowNote[] {
  const notes: WorkflowNote[] = [];
  notesOf(doc).forEach((m, id) => m instanceof Y.Map && notes.push(readNote(id, m)));
  return notes;
}

/** Adds or replaces a note; its text becomes a Y.Text that collaborators edit together. */
export function putNote(doc: Y.Doc, note: WorkflowNote): void {
  doc.transact(() => {
    const m = new Y.Map<unknown>();
    m.set('text', new Y.Text(note.text));
    m.set('position', { x: note.position.x, y: note.position.y });
    m.set('size', { width: note.size.width, height: note.size.height });
    m.set('color', note.color);
    notesOf(doc).set(note.id, m);
  });
}

/** A note's shared text, or undefined when there is no such note. */
export function noteText(doc: Y.Doc, id: string): Y.Text | undefined {
  const text = notesOf(doc).get(id)?.get('text');
  return text instanceof Y.Text ? text : undefined;
}

/** Moves a note. */
export function moveNote(doc: Y.Doc, id: string, position: { x: number; y: number }): void {
  notesOf(doc).get(id)?.set('position', { x: position.x, y: position.y });
}

/** Resizes a note. */
export function resizeNote(doc: Y.Doc, id: string, size: { width: number; height: number }): void {
  notesOf(doc).get(id)?.set('size', { width: size.width, height: size.height });
}

/** Sets a note's colour. */
export function setNoteColor(doc: Y.Doc, id: string, color: NoteColor): void {
  notesOf(doc).get(id)?.set('color', color);
}

/** Removes a note. */
export function removeNote(doc: Y.Doc, id: string): void {
  notesOf(doc).delete(id);
}
