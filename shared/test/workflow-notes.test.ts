// Notes in the workflow document (shared/src/documents/workflow.ts): their own root map, read
// apart from the graph the executor runs, their text a Y.Text that collaborators edit together.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { replaceText } from '../src/documents/text';
import {
  clearWorkflow,
  moveNote,
  NOTE_SIZE,
  notesOf,
  noteText,
  putNode,
  putNote,
  readWorkflowGraph,
  readWorkflowNotes,
  removeNote,
  resizeNote,
  setNoteColor,
  writeWorkflowGraph,
  type WorkflowNote,
} from '../src/documents/workflow';
import { scheduleWaves } from '../src/workflow/schedule';
import { validateWorkflow } from '../src/workflow/validate';
import { sync } from './y-peers';

const note = (id: string, text = 'hello'): WorkflowNote => ({ id, text, position: { x: 10, y: 20 }, size: { width: 240, height: 120 }, color: 'green' });

describe('workflow notes', () => {
  it('are put, moved, resized, recoloured and removed', () => {
    const doc = new Y.Doc();
    putNote(doc, note('n'));
    expect(readWorkflowNotes(doc)).toEqual([note('n')]);
    expect(noteText(doc, 'n')).toBeInstanceOf(Y.Text);
    moveNote(doc, 'n', { x: -5, y: 7 });
    resizeNote(doc, 'n', { width: 300, height: 90 });
    setNoteColor(doc, 'n', 'pink');
    expect(readWorkflowNotes(doc)).toEqual([{ ...note('n'), position: { x: -5, y: 7 }, size: { width: 300, height: 90 }, color: 'pink' }]);
    removeNote(doc, 'n');
    expect(readWorkflowNotes(doc)).toEqual([]);
    expect(noteText(doc, 'n')).toBeUndefined();
  });

  it('never reach the graph the executor validates and schedules', () => {
    const doc = new Y.Doc();
    putNode(doc, { id: 'a', skillId: 'quantum-vqe', label: 'VQE', position: { x: 0, y: 0 }, inputs: {} });
    putNote(doc, note('n'));
    const graph = readWorkflowGraph(doc);
    expect(graph).toEqual({ nodes: [expect.objectContaining({ id: 'a' })], edges: [] });
    expect(scheduleWaves(graph)).toEqual([['a']]);
    expect(validateWorkflow(graph, () => undefined).flatMap((i) => i.nodes)).not.toContain('n');
  });

  it('read what another client wrote badly as something sensible', () => {
    const doc = new Y.Doc();
    const m = new Y.Map<unknown>();
    notesOf(doc).set('odd', m);
    m.set('text', 'plain string');
    m.set('size', { width: -3, height: 'tall' });
    m.set('color', 'mauve');
    expect(readWorkflowNotes(doc)).toEqual([{ id: 'odd', text: 'plain string', position: { x: 0, y: 0 }, size: { ...NOTE_SIZE }, color: 'yellow' }]);
  });

  it('keep both people’s words when two type in one note at once', () => {
    const alice = new Y.Doc();
    const bob = new Y.Doc();
    putNote(alice, note('n', 'shared line'));
    sync(alice, bob);
    replaceText(noteText(alice, 'n')!, 'Alice: shared line');
    replaceText(noteText(bob, 'n')!, 'shared line, said Bob');
    sync(alice, bob);
    expect(readWorkflowNotes(alice)[0]?.text).toBe('Alice: shared line, said Bob');
    expect(readWorkflowNotes(bob)).toEqual(readWorkflowNotes(alice));
  });

  it('are written with a graph and cleared with the workflow', () => {
    const doc = new Y.Doc();
    let updates = 0;
    doc.on('update', () => updates++);
    writeWorkflowGraph(doc, { nodes: [], edges: [], notes: [note('a'), note('b', '')] });
    expect(updates).toBe(1);
    expect(readWorkflowNotes(doc).map((n) => [n.id, n.text])).toEqual([
      ['a', 'hello'],
      ['b', ''],
    ]);
    clearWorkflow(doc);
    expect(readWorkflowNotes(doc)).toEqual([]);
  });
});
