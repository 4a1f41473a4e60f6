import * as Y from 'yjs';
import { countAsLocalEdits } from '../documents/rooms';

/**
 * The origin of a skill restored to one of its versions by this person: part of their undo of
 * the skill's text, and counted as their own edit while offline. (Saves and renames write with
 * `ORIGIN.local` and stay out of that undo.)
 */
export const SKILL_RESTORE = { skillRestore: true } as const;
countAsLocalEdits(SKILL_RESTORE);

/** Each person's undo history of a skill's text: only the edits they made in this browser's editors, and their restores. */
const undoHistories = new WeakMap<Y.Text, Y.UndoManager>();

export function skillUndo(ytext: Y.Text): Y.UndoManager {
  let manager = undoHistories.get(ytext);
  if (!manager) {
    // Each editor adds its own sync origin (y-codemirror.next), so collaborators' edits, saves
    // and renames are never part of this person's undo.
    manager = new Y.UndoManager(ytext, { trackedOrigins: new Set<unknown>([SKILL_RESTORE]) });
    undoHistories.set(ytext, manager);
  }
  return manager;
}
