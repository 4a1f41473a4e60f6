import type * as Y from 'yjs';
import { replaceText } from '../../../shared/src/documents/text';
import { ORIGIN } from '../../../shared/src/origins';

/** One step of a Y.Text change, as a YTextEvent's delta lists them. */
type DeltaStep = { insert?: unknown; retain?: number; delete?: number };

/**
 * Where a caret at `index` of the old text lands after a change: text inserted or deleted before
 * it moves it; an insert exactly at the caret goes after it, so a collaborator typing at the same
 * place does not push this person's caret along.
 */
export function caretAfter(index: number, delta: readonly DeltaStep[]): number {
  let old = 0;
  let shift = 0;
  for (const step of delta) {
    if (old > index || (old === index && step.insert === undefined)) break;
    if (step.retain !== undefined) old += step.retain;
    else if (step.delete !== undefined) {
      shift -= Math.min(step.delete, index - old);
      old += step.delete;
    } else if (typeof step.insert === 'string' && old < index) shift += step.insert.length;
  }
  return index + shift;
}

/**
 * Binds a textarea to a note's Y.Text both ways: what the person types goes into the text as
 * the changed middle only (replaceText), so two people typing in one note both keep their
 * words; collaborators' edits and undo land in the textarea with the caret kept in place.
 */
export function bindNoteText(area: HTMLTextAreaElement, text: Y.Text): { destroy(): void } {
  area.value = text.toString();
  const onInput = () => {
    const doc = text.doc;
    if (doc) doc.transact(() => replaceText(text, area.value), ORIGIN.local);
  };
  const onChange = (event: Y.YTextEvent) => {
    const next = text.toString();
    if (area.value === next) return;
    const start = caretAfter(area.selectionStart, event.delta);
    const end = caretAfter(area.selectionEnd, event.delta);
    area.value = next;
    area.setSelectionRange(start, end);
  };
  area.addEventListener('input', onInput);
  text.observe(onChange);
  return {
    destroy() {
      area.removeEventListener('input', onInput);
      text.unobserve(onChange);
    },
  };
}
