// The canvas's notes (web/src/canvas/note-binding.ts, note-text.ts): flow nodes built from the
// document and reused while unchanged, React Flow changes routed to the notes, the caret kept
// through collaborators' edits, and undo per person down to a note's text.
import type { NodeChange } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replaceText } from '../../shared/src/documents/text';
import { NOTE_SIZE, noteText, putNode, putNote, readWorkflowGraph, readWorkflowNotes, type WorkflowNote } from '../../shared/src/documents/workflow';
import { ORIGIN } from '../../shared/src/origins';
import { applyNodeChanges } from '../src/canvas/flow-binding';
import { addNote, applyNoteChanges, copyNotes, deleteNotes, NoteView, pasteNotes, takeFresh } from '../src/canvas/note-binding';
import { caretAfter } from '../src/canvas/note-text';
import { workflowUndo } from '../src/documents/undo';

const note = (id: string, x = 0): WorkflowNote => ({ id, text: `note ${id}`, position: { x, y: 0 }, size: { width: 200, height: 100 }, color: 'yellow' });

function workflow(): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    putNode(doc, { id: 'a', skillId: 'vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} });
    putNote(doc, note('n1'));
    putNote(doc, note('n2', 300));
  });
  return doc;
}

describe('NoteView', () => {
  it('draws notes as sized nodes under the skill nodes, and reuses the ones that did not change', () => {
    const doc = workflow();
    const view = new NoteView();
    const first = view.nodes(readWorkflowNotes(doc), new Set(['n2']));
    expect(first[0]).toEqual({ id: 'n1', type: 'note', position: { x: 0, y: 0 }, width: 200, height: 100, zIndex: -1000, data: { text: 'note n1', color: 'yellow' }, selected: false });
    expect(first[1]?.selected).toBe(true);
    doc.transact(() => replaceText(noteText(doc, 'n2')!, 'changed'));
    const second = view.nodes(readWorkflowNotes(doc), new Set(['n2']));
    expect(second[0]).toBe(first[0]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1]?.data.text).toBe('changed');
    // Moving keeps the data object, so the note's content does not render again.
    doc.transact(() => applyNoteChanges(doc, [{ id: 'n2', type: 'position', position: { x: 9, y: 9 } }]));
    const third = view.nodes(readWorkflowNotes(doc), new Set(['n2']), new Map([['n2', { width: 200, height: 100 }]]));
    expect(third[1]?.data).toBe(second[1]?.data);
    expect(third[1]).toMatchObject({ position: { x: 9, y: 9 }, measured: { width: 200, height: 100 } });
  });
});

describe('note changes', () => {
  it('writes moves, resizes and removals of notes as one local transaction and passes the rest on', () => {
    const doc = workflow();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (t: Y.Transaction) => origins.push(t.origin));
    const changes: NodeChange[] = [
      { id: 'n1', type: 'position', position: { x: 50, y: 60 } },
      { id: 'n1', type: 'dimensions', dimensions: { width: 320, height: 140 }, resizing: true, setAttributes: true },
      { id: 'n2', type: 'dimensions', dimensions: { width: 1, height: 1 } },
      { id: 'n2', type: 'select', selected: true },
      { id: 'n2', type: 'remove' },
      { id: 'a', type: 'position', position: { x: 7, y: 7 } },
    ];
    const rest = applyNoteChanges(doc, changes);
    expect(origins).toEqual([ORIGIN.local]);
    expect(readWorkflowNotes(doc)).toEqual([{ ...note('n1'), position: { x: 50, y: 60 }, size: { width: 320, height: 140 } }]);
    // A measurement is not a resize: it goes to the view's measured sizes, as do selections.
    expect(rest).toEqual([changes[1], changes[2], changes[3], changes[5]]);
    const { selection } = applyNodeChanges(doc, rest);
    expect(selection).toEqual([{ id: 'n2', selected: true }]);
    expect(readWorkflowGraph(doc).nodes[0]?.position).toEqual({ x: 7, y: 7 });
  });

  it('adds a note centred where asked, opening for typing once; deletes only notes among ids', () => {
    const doc = workflow();
    const id = addNote(doc, { x: 500, y: 500 });
    expect(readWorkflowNotes(doc).find((n) => n.id === id)).toEqual({
      id,
      text: '',
      position: { x: 500 - NOTE_SIZE.width / 2, y: 500 - NOTE_SIZE.height / 2 },
      size: NOTE_SIZE,
      color: 'yellow',
    });
    expect(takeFresh(id)).toBe(true);
    expect(takeFresh(id)).toBe(false);
    deleteNotes(doc, ['a', 'n1', id]);
    expect(readWorkflowNotes(doc).map((n) => n.id)).toEqual(['n2']);
    expect(readWorkflowGraph(doc).nodes.map((n) => n.id)).toEqual(['a']);
  });
});

describe('copy and paste', () => {
  it('copies the selected notes and pastes them under fresh ids, shifted, with their text and look', () => {
    const doc = workflow();
    const clip = copyNotes(doc, new Set(['a', 'n2']));
    expect(clip.map((n) => n.id)).toEqual(['n2']);
    const [id] = pasteNotes(doc, clip, { x: 40, y: 40 });
    expect(id).not.toBe('n2');
    expect(readWorkflowNotes(doc).find((n) => n.id === id)).toEqual({ ...note('n2', 340), id, position: { x: 340, y: 40 } });
    // The copy's text is its own: editing it leaves the original alone.
    replaceText(noteText(doc, id!)!, 'copy');
    expect(readWorkflowNotes(doc).find((n) => n.id === 'n2')?.text).toBe('note n2');
  });
});

describe('caretAfter', () => {
  it('moves a caret by what was inserted or deleted before it, and not by what came after', () => {
    expect(caretAfter(5, [{ insert: 'abc' }])).toBe(8);
    expect(caretAfter(5, [{ retain: 5 }, { insert: 'abc' }])).toBe(5);
    expect(caretAfter(5, [{ retain: 2 }, { delete: 2 }])).toBe(3);
    expect(caretAfter(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
    expect(caretAfter(5, [{ retain: 7 }, { delete: 1 }])).toBe(5);
    expect(caretAfter(5, [{ retain: 1 }, { insert: 'xy' }, { retain: 1 }, { delete: 1 }])).toBe(6);
  });
});

describe('undo with notes', () => {
  it('takes back this person’s typing in a note and keeps a collaborator’s', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    const relay = (from: Y.Doc, to: Y.Doc) => from.on('update', (u: Uint8Array, origin: unknown) => origin !== 'relay' && Y.applyUpdate(to, u, 'relay'));
    relay(alice, bob);
    relay(bob, alice);
    const undo = workflowUndo(alice);
    const id = addNote(alice, { x: 0, y: 0 });
    undo.stopCapturing();
    alice.transact(() => replaceText(noteText(alice, id)!, 'Plan'), ORIGIN.local);
    undo.stopCapturing();
    bob.transact(() => replaceText(noteText(bob, id)!, 'Plan\nBob was here'), ORIGIN.local);
    alice.transact(() => replaceText(noteText(alice, id)!, 'Alice says hi\nPlan\nBob was here'), ORIGIN.local);
    undo.undo();
    expect(readWorkflowNotes(bob)[0]?.text).toBe('Plan\nBob was here');
    undo.undo();
    expect(readWorkflowNotes(bob)[0]?.text).toBe('\nBob was here');
    undo.undo();
    expect(readWorkflowNotes(bob)).toEqual([]);
  });
});
