import type * as Y from 'yjs';

/**
 * Replaces a Y.Text's content by editing only the changed middle, so a concurrent edit
 * elsewhere in the text survives and the update stays small.
 */
export function replaceText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)
  ) {
    end++;
  }
  const edit = () => {
    text.delete(start, prev.length - start - end);
    text.insert(start, next.slice(start, next.length - end));
  };
  // One transaction, so no peer or observer ever sees the text with its middle deleted.
  if (text.doc) text.doc.transact(edit);
  else edit();
}
