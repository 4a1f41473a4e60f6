import { diffLines } from 'diff';
import type * as Y from 'yjs';
import { replaceChanged, replaceText } from '../documents/text';

/** Beyond this many changed lines a line diff costs more than it saves: the changed middle is replaced whole. */
const MAX_LINE_EDITS = 2000;

/**
 * Edits a Y.Text into `next` touching only what differs: line by line, and within a changed run
 * of lines only the characters that differ. Every character kept stays the same Yjs item, so a
 * collaborator's concurrent edit anywhere in the text survives, and undo restores exactly.
 */
export function spliceText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  const parts = diffLines(prev, next, { maxEditLength: MAX_LINE_EDITS });
  if (!parts) {
    replaceText(text, next);
    return;
  }
  const edit = () => {
    let at = 0;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (!part.added && !part.removed) {
        at += part.value.length;
        continue;
      }
      let removed = '';
      let added = '';
      for (; i < parts.length && (parts[i]!.added || parts[i]!.removed); i++) {
        if (parts[i]!.added) added += parts[i]!.value;
        else removed += parts[i]!.value;
      }
      i--;
      replaceChanged(text, at, removed, added);
      at += added.length;
    }
  };
  // One transaction, so no peer or observer sees a half-edited text.
  if (text.doc) text.doc.transact(edit);
  else edit();
}
