import * as Y from 'yjs';
import { skillFilesOf } from '../../../shared/src/documents/volume-index';
import { countAsLocalEdits } from '../documents/rooms';

/**
 * The origin of one skill restored to one of its versions by this person: part of their undo of
 * that skill (its text and its files), and counted as their own edit while offline. One per
 * skill, so a restore of one skill never lands in the undo of another skill's editor. (Saves
 * and renames write with `ORIGIN.local` and stay out of that undo.)
 */
const restoreOrigins = new Map<string, object>();

export function skillRestoreOrigin(skillId: string): object {
  let origin = restoreOrigins.get(skillId);
  if (!origin) {
    origin = { skillRestore: skillId };
    countAsLocalEdits(origin);
    restoreOrigins.set(skillId, origin);
  }
  return origin;
}

/** Each person's undo history of a skill: only the edits they made in this browser's editors, and their restores. */
const undoHistories = new WeakMap<Y.Text, Y.UndoManager>();

export function skillUndo(ytext: Y.Text): Y.UndoManager {
  let manager = undoHistories.get(ytext);
  if (!manager) {
    // A skill's text is its id's entry in the index's `skills` map.
    const skillId = ytext._item?.parentSub ?? null;
    const doc = ytext.doc;
    // A restore also sets the skill's files (possibly making or deleting its entry in the files
    // root), so the root is in scope; only this skill's restore origin writes through it here.
    const scope = doc && skillId !== null ? [ytext, skillFilesOf(doc)] : [ytext];
    // Each editor adds its own sync origin (y-codemirror.next), so collaborators' edits, saves
    // and renames are never part of this person's undo.
    manager = new Y.UndoManager(scope, { trackedOrigins: new Set<unknown>(skillId !== null ? [skillRestoreOrigin(skillId)] : []) });
    undoHistories.set(ytext, manager);
  }
  return manager;
}
