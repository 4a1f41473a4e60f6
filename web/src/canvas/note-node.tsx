import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo } from 'preact/compat';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { NOTE_COLORS, noteText, setNoteColor } from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';
import { Markdown } from '../chat/markdown';
import { workflowUndo } from '../documents/undo';
import { NoteDoc, takeFresh, type NoteFlowNode } from './note-binding';
import { bindNoteText } from './note-text';
import { CanvasEditable } from './skill-node';
import './note-node.css';

/** The smallest a note can be resized to. */
const MIN_WIDTH = 120;
const MIN_HEIGHT = 60;

/**
 * The textarea a note is written in, bound to the note's shared text. Ctrl+Z here is the
 * workflow's per-person undo, not the textarea's own, which knows nothing of collaborators.
 */
function NoteEditor({ doc, text, onClose }: { doc: Y.Doc; text: Y.Text; onClose(): void }) {
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    // Typing in a note never merges into one undo step with the note's creation or a later move.
    workflowUndo(doc).stopCapturing();
    const binding = bindNoteText(el, text);
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    return () => {
      binding.destroy();
      workflowUndo(doc).stopCapturing();
    };
  }, [doc, text]);
  const onKeyDown = (event: KeyboardEvent) => {
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    const undo = workflowUndo(doc);
    // The note keeps the focus, so the canvas's keys (Delete, N, Ctrl+Z) work on at once.
    if (key === 'escape') (event.currentTarget as HTMLElement).closest<HTMLElement>('.react-flow__node')?.focus();
    else if (mod && key === 'z' && !event.shiftKey) undo.undo();
    else if (mod && (key === 'y' || (key === 'z' && event.shiftKey))) undo.redo();
    else return;
    event.preventDefault();
  };
  return (
    <textarea
      ref={area}
      class="note-editor nodrag nowheel"
      data-testid="note-editor"
      aria-label="Note (Markdown)"
      placeholder="Write Markdown…"
      onKeyDown={onKeyDown}
      onBlur={onClose}
    />
  );
}

/** A link in a note opens in a new tab: followed in place, it would take the canvas away. */
function openLink(event: MouseEvent) {
  const link = (event.target as Element | null)?.closest('a[href]');
  if (!(link instanceof HTMLAnchorElement)) return;
  event.preventDefault();
  window.open(link.href, '_blank', 'noopener,noreferrer');
}

/** A sticky note: Markdown shown rendered, written in place on double-click, resized when selected. */
function NoteNodeView({ id, data, selected }: NodeProps<NoteFlowNode>) {
  const doc = useContext(NoteDoc);
  const editable = useContext(CanvasEditable) && doc !== null;
  const [editing, setEditing] = useState(() => takeFresh(id));
  const text = doc && editing ? noteText(doc, id) : undefined;
  return (
    <div
      class={`note-node note-${data.color} ${selected ? 'selected' : ''}`}
      data-testid="note"
      data-note-id={id}
      onDblClick={(event) => {
        // The double-click is the note's: the pane must not zoom on it, nor the canvas take it as a node's.
        event.stopPropagation();
        if (editable) setEditing(true);
      }}
    >
      <NodeResizer isVisible={selected && editable} minWidth={MIN_WIDTH} minHeight={MIN_HEIGHT} />
      {selected && editable && !editing && doc && (
        <div class="note-colors nodrag">
          {NOTE_COLORS.map((color) => (
            <button
              type="button"
              key={color}
              class={`note-color note-${color} ${color === data.color ? 'current' : ''}`}
              title={`Make the note ${color}`}
              aria-label={`${color} note`}
              data-testid={`note-color-${color}`}
              onClick={() => {
                workflowUndo(doc).stopCapturing();
                doc.transact(() => setNoteColor(doc, id, color), ORIGIN.local);
              }}
            />
          ))}
        </div>
      )}
      {text && doc ? (
        <NoteEditor doc={doc} text={text} onClose={() => setEditing(false)} />
      ) : data.text ? (
        <div class="note-text" data-testid="note-text" onClick={openLink}>
          <Markdown text={data.text} />
        </div>
      ) : (
        <div class="note-text note-empty" data-testid="note-text">
          {editable ? 'Double-click to write (Markdown)' : 'Empty note'}
        </div>
      )}
    </div>
  );
}

export const NoteNode = memo(NoteNodeView);
