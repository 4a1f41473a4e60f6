import type * as Y from 'yjs';
import { readSessionMeta, writeSessionMeta } from '../../../shared/src/documents/session';
import { ORIGIN } from '../../../shared/src/origins';
import { parseRoomName, volumeRoom, workflowRoom } from '../../../shared/src/rooms';
import type { Catalog } from '../documents/catalog';
import { homeVolume } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { workflowUndo } from '../documents/undo';
import { createWorkflow } from '../panels/workflow-actions';
import { skillFormat } from './skill-format';
import type { ToolTarget } from './tools';

/** The workflow a session's assistant works on (its room name), kept in the session's metadata. */
export function linkedWorkflow(session: Y.Doc): string | undefined {
  const room = readSessionMeta(session).metadata.workflow;
  return typeof room === 'string' && parseRoomName(room).ok ? room : undefined;
}

/** Links a session to a workflow room. */
export function linkWorkflow(session: Y.Doc, room: string): void {
  const meta = readSessionMeta(session);
  session.transact(() => writeSessionMeta(session, { metadata: { ...meta.metadata, workflow: room } }), ORIGIN.local);
}

/** How long the tools' rooms stay open after a turn, so follow-up calls find them warm. */
const HOLD_MS = 60_000;

/**
 * Where the assistant's tools act for a session: its linked workflow (created and linked the
 * first time a tool needs one) and the person's own skills volume.
 */
export async function toolTargetFor(rooms: RoomSet, session: Y.Doc, catalog: Catalog): Promise<ToolTarget> {
  const home = homeVolume();
  let room = linkedWorkflow(session);
  if (!room) {
    const name = readSessionMeta(session).name || 'Chat';
    const id = await createWorkflow(rooms, home, `${name} (assistant)`);
    room = workflowRoom(home.volume, home.volumeId, id);
    linkWorkflow(session, room);
  }
  const workflow = rooms.acquire(room);
  const skills = rooms.acquire(volumeRoom(home.volume, home.volumeId));
  await Promise.all([workflow.whenLocal, skills.whenLocal]);
  setTimeout(() => {
    rooms.release(workflow);
    rooms.release(skills);
  }, HOLD_MS);
  const name = room;
  return {
    workflow: workflow.doc,
    skills: skills.doc,
    lookup: catalog.lookup,
    library: catalog.library,
    skillFormat,
    undo: workflowUndo(workflow.doc),
    // The runtimes (Pyodide, ngspice…) load only when the model first asks for a run.
    run: async (nodeId) => (await import('./run-tool')).runForAssistant(rooms, name, workflow.doc, catalog, nodeId),
    suggestions: async () => (await import('../evolution/suggestions')).suggestionsForAssistant(rooms, catalog),
  };
}
