import type { Node, NodeChange } from '@xyflow/react';
import { createContext } from 'preact';
import type * as Y from 'yjs';
import {
  moveNote,
  NOTE_SIZE,
  notesOf,
  putNote,
  readWorkflowNotes,
  removeNote,
  resizeNote,
  type NoteColor,
  type WorkflowNote,
} from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';
import type { Measured } from './flow-binding';

/** What a note node shows. */
export interface NoteData extends Record<string, unknown> {
  text: string;
  color: NoteColor;
}

export type NoteFlowNode = Node<NoteData, 'note'>;

/**
 * The workflow document the canvas's notes edit their text in (React Flow node types cannot take
 * props); provided by the canvas.
 */
export const NoteDoc = createContext<Y.Doc | null>(null);

/**
 * Notes lie under skill nodes and edges. React Flow lifts a selected node by 1000, so a selected
 * note rises only to the nodes' own level, where coming first in the list keeps it beneath them.
 */
const NOTE_Z = -1000;

/**
 * Turns the workflow's notes into React Flow nodes, reusing each node object while nothing it
 * shows changed (as WorkflowView does for skill nodes), so a drag re-renders one note.
 */
export class NoteView {
  private cache = new Map<string, { key: string; node: NoteFlowNode }>();

  nodes(notes: readonly WorkflowNote[], selected: ReadonlySet<string>, measured: ReadonlyMap<string, Measured> = new Map()): NoteFlowNode[] {
    const next = new Map<string, { key: string; node: NoteFlowNode }>();
    const out = notes.map((n) => {
      const isSelected = selected.has(n.id);
      const size = measured.get(n.id);
      const key = JSON.stringify([n.text, n.color, n.position, n.size, isSelected, size]);
      const cached = this.cache.get(n.id);
      if (cached && cached.key === key) {
        next.set(n.id, cached);
        return cached.node;
      }
      const data = cached && cached.node.data.text === n.text && cached.node.data.color === n.color ? cached.node.data : { text: n.text, color: n.color };
      const node: NoteFlowNode = {
        id: n.id,
        type: 'note',
        position: n.position,
        width: n.size.width,
        height: n.size.height,
        zIndex: NOTE_Z,
        data,
        selected: isSelected,
        ...(size ? { measured: size } : {}),
      };
      next.set(n.id, { key, node });
      return node;
    });
    this.cache = next;
    return out;
  }
}

/** Notes this browser just made, which open for typing when they first show. */
const fresh = new Set<string>();

/** Whether a note was just made here (asked once, when it mounts). */
export const takeFresh = (id: string): boolean => fresh.delete(id);

/** Adds an empty note centred on a canvas position, in one local transaction; returns its id. */
export function addNote(doc: Y.Doc, at: { x: number; y: number }): string {
  const id = crypto.randomUUID();
  const position = { x: at.x - NOTE_SIZE.width / 2, y: at.y - NOTE_SIZE.height / 2 };
  doc.transact(() => putNote(doc, { id, text: '', position, size: { ...NOTE_SIZE }, color: 'yellow' }), ORIGIN.local);
  fresh.add(id);
  return id;
}

/**
 * Writes the React Flow changes that concern notes (moves, resizes, removals) into the document
 * as one local transaction, and returns the rest for the skill nodes' binding. Selection and
 * measured sizes of notes go on with the rest: they are the view's own state for every node.
 */
export function applyNoteChanges(doc: Y.Doc, changes: NodeChange[]): NodeChange[] {
  const notes = notesOf(doc);
  // Decided before writing: a removed note is no longer in the map afterwards.
  const edits = new Set(changes.filter((c) => c.type !== 'add' && notes.has(c.id)));
  if (edits.size > 0) {
    doc.transact(() => {
      for (const c of edits) {
        if (c.type === 'position' && c.position) moveNote(doc, c.id, c.position);
        // Only NodeResizer's changes say `resizing`; React Flow's own measurements do not.
        else if (c.type === 'dimensions' && c.dimensions && c.resizing !== undefined) resizeNote(doc, c.id, c.dimensions);
        else if (c.type === 'remove') removeNote(doc, c.id);
      }
    }, ORIGIN.local);
  }
  return changes.filter((c) => !(edits.has(c) && (c.type === 'position' || c.type === 'remove')));
}

/** Deletes the notes among the given ids, in one local transaction. */
export function deleteNotes(doc: Y.Doc, ids: Iterable<string>): void {
  const notes = notesOf(doc);
  doc.transact(() => {
    for (const id of ids) if (notes.has(id)) removeNote(doc, id);
  }, ORIGIN.local);
}

/** Copies the notes among the given ids (the canvas copies skill nodes beside them). */
export function copyNotes(doc: Y.Doc, ids: ReadonlySet<string>): WorkflowNote[] {
  return readWorkflowNotes(doc).filter((n) => ids.has(n.id));
}

/** Pastes notes with fresh ids, shifted by `offset`, in one local transaction; returns their ids. */
export function pasteNotes(doc: Y.Doc, notes: readonly WorkflowNote[], offset: { x: number; y: number }): string[] {
  const pasted = notes.map((n) => ({ ...n, id: crypto.randomUUID(), position: { x: n.position.x + offset.x, y: n.position.y + offset.y } }));
  doc.transact(() => {
    for (const n of pasted) putNote(doc, n);
  }, ORIGIN.local);
  return pasted.map((n) => n.id);
}
