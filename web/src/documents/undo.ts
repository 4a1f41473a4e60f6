import * as Y from 'yjs';
import { edgesOf, nodesOf, notesOf } from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';

const managers = new WeakMap<Y.Doc, Y.UndoManager>();

/**
 * The undo history of a workflow in this browser: this person's own edits and those the
 * assistant made for them, never a collaborator's. It lives with the open document, not with
 * the canvas, so edits made while another view was showing (the chat's) can be undone too.
 * Notes are tracked down to their text: undo takes back this person's typing in a note and
 * leaves a collaborator's typing in the same note.
 */
export function workflowUndo(doc: Y.Doc): Y.UndoManager {
  let manager = managers.get(doc);
  if (!manager) {
    manager = new Y.UndoManager([nodesOf(doc), edgesOf(doc), notesOf(doc)], { trackedOrigins: new Set([ORIGIN.local, ORIGIN.assistant]) });
    managers.set(doc, manager);
  }
  return manager;
}
