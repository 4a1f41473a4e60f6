import type * as Y from 'yjs';

/**
 * Replaces a Y.Text's content by editing only the changed middle, so a concurrent edit
 * elsewhere in the text survives and the update stays small.
 */
export function replaceText(text: Y.Text, next: string): void {
  const prev = text.toString();
  if (prev === next) return;
  // One transaction, so no peer or observer ever sees the text with its middle deleted.
  if (text.doc) text.doc.transact(() => replaceChanged(text, 0, prev, next));
  else replaceChanged(text, 0, prev, next);
}

/**
 * Replaces `removed`, which stands at `at` in the text, by `added`, keeping the characters
 * both begin and end with: only the changed middle is deleted and inserted.
 */
export function replaceChanged(text: Y.Text, at: number, removed: string, added: string): void {
  const max = Math.min(removed.length, added.length);
  let start = 0;
  while (start < max && removed.charCodeAt(start) === added.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && removed.charCodeAt(removed.length - 1 - end) === added.charCodeAt(added.length - 1 - end)) end++;
  // Never cut between the halves of a surrogate pair ("😀" → "😃" share the first): Yjs would
  // store each half alone, as U+FFFD.
  if (start > 0 && isHighSurrogate(removed.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(removed.charCodeAt(removed.length - end))) end--;
  const deleted = removed.length - start - end;
  if (deleted > 0) text.delete(at + start, deleted);
  const inserted = added.slice(start, added.length - end);
  if (inserted) text.insert(at + start, inserted);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
