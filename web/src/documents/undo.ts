import * as Y from 'yjs';
import { roomRoots } from '../../../shared/src/history/room-roots';
import { ORIGIN } from '../../../shared/src/origins';

const managers = new WeakMap<Y.Doc, Y.UndoManager>();

/**
 * The undo history of a workflow in this browser: this person's own edits and those the
 * assistant made for them, never a collaborator's. It lives with the open document, not with
 * the canvas, so edits made while another view was showing (the chat's) can be undone too.
 * Notes are tracked down to their text: undo takes back this person's typing in a note and
 * leaves a collaborator's typing in the same note.
 *
 * It covers every root a restore of a version writes (nodes, edges, notes, the name and
 * description in `meta`, a compound draft's `compound`), so undo takes back a whole restore;
 * a rename is then undoable too (workflow-history.tsx keeps the listing following the name).
 */
export function workflowUndo(doc: Y.Doc): Y.UndoManager {
  let manager = managers.get(doc);
  if (!manager) {
    const scope = roomRoots(doc, 'workflow').map(([, root]) => root);
    manager = new Y.UndoManager(scope, { trackedOrigins: new Set([ORIGIN.local, ORIGIN.assistant]) });
    managers.set(doc, manager);
  }
  return manager;
}
