import { diffLines } from 'diff';
import type * as Y from 'yjs';
import { replaceText } from '../documents/text';

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
      spliceRun(text, at, removed, added);
      at += added.length;
    }
  };
  // One transaction, so no peer or observer sees a half-edited text.
  if (text.doc) text.doc.transact(edit);
  else edit();
}

/** Replaces `removed` (at `at`) by `added`, keeping the characters both begin and end with. */
function spliceRun(text: Y.Text, at: number, removed: string, added: string): void {
  const max = Math.min(removed.length, added.length);
  let start = 0;
  while (start < max && removed.charCodeAt(start) === added.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && removed.charCodeAt(removed.length - 1 - end) === added.charCodeAt(added.length - 1 - end)) end++;
  // Never cut between the two halves of a surrogate pair: back off to whole characters.
  if (start > 0 && isHighSurrogate(removed.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(removed.charCodeAt(removed.length - end))) end--;
  const deleted = removed.length - start - end;
  if (deleted > 0) text.delete(at + start, deleted);
  const inserted = added.slice(start, added.length - end);
  if (inserted) text.insert(at + start, inserted);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
