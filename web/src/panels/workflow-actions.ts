import type * as Y from 'yjs';
import {
  readWorkflowGraph,
  readWorkflowMeta,
  readWorkflowNotes,
  writeWorkflowGraph,
  writeWorkflowMeta,
  type WorkflowGraph,
  type WorkflowNote,
} from '../../../shared/src/documents/workflow';
import { trashIdOf, trashWorkflow } from '../../../shared/src/documents/trash';
import { putWorkflowListing, type WorkflowListing } from '../../../shared/src/documents/volume-index';
import { nowIso } from '../../../shared/src/json';
import { ok, type Result } from '../../../shared/src/result';
import { volumeRoom, workflowRoom } from '../../../shared/src/rooms';
import type { VolumeRef } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { afterFirstPaint } from '../documents/after-first-paint';
import { readRoom, writeRoom } from './room-access';
import { copyName, exportFileName, importedName, withFreshIds } from './workflow-transfer';

// Every workflow listed in a volume index lives in that volume: its room meta and its listing
// are written together, the room first, so an interrupted create leaves only an unlisted room.

const loadFileFormat = () => import('../../../shared/src/workflow/file');
let fileModule: ReturnType<typeof loadFileFormat> | null = null;

/** The file format (and its schema library), loaded once; a failed load is retried next time. */
function workflowFile(): ReturnType<typeof loadFileFormat> {
  fileModule ??= loadFileFormat().catch((e: unknown) => {
    fileModule = null;
    throw e;
  });
  return fileModule;
}

// Fetched right after the first render, so import and export work even if the server goes away.
afterFirstPaint(() => void workflowFile().catch(() => undefined));

const indexOf = (home: VolumeRef) => volumeRoom(home.volume, home.volumeId);
const roomOf = (home: VolumeRef, id: string) => workflowRoom(home.volume, home.volumeId, id);

/** Creates a workflow (optionally with a graph and notes already in it); returns its id. */
export async function createWorkflow(rooms: RoomSet, home: VolumeRef, name: string, description = '', graph?: WorkflowGraph & { notes?: WorkflowNote[] }): Promise<string> {
  const id = crypto.randomUUID();
  const now = nowIso();
  const fields = { name: name.trim() || 'Untitled workflow', description, created_at: now, updated_at: now };
  await writeRoom(rooms, roomOf(home, id), (doc) => {
    writeWorkflowMeta(doc, fields);
    if (graph) writeWorkflowGraph(doc, graph);
  });
  await writeRoom(rooms, indexOf(home), (doc) => putWorkflowListing(doc, id, fields));
  return id;
}

/** Renames a workflow in its room and its listing. */
export async function renameWorkflow(rooms: RoomSet, home: VolumeRef, id: string, name: string): Promise<void> {
  const fields = { name: name.trim(), updated_at: nowIso() };
  if (!fields.name) return;
  await writeRoom(rooms, roomOf(home, id), (doc) => writeWorkflowMeta(doc, fields));
  await writeRoom(rooms, indexOf(home), (doc) => putWorkflowListing(doc, id, fields));
}

/** A workflow room's metadata, and its graph with its notes. */
const readWorkflow = (doc: Y.Doc) => ({ meta: readWorkflowMeta(doc), graph: { ...readWorkflowGraph(doc), notes: readWorkflowNotes(doc) } });

/** Copies a workflow's nodes, edges and notes, with fresh ids, into a new workflow; returns its id. */
export async function duplicateWorkflow(rooms: RoomSet, home: VolumeRef, listing: WorkflowListing): Promise<string> {
  const { meta, graph } = await readRoom(rooms, roomOf(home, listing.id), readWorkflow);
  return createWorkflow(rooms, home, copyName(meta.name || listing.name), meta.description || listing.description, withFreshIds(graph));
}

/**
 * Moves a workflow to its volume's trash, `by` naming who deleted it: one transaction on the
 * index (its listing becomes a trash entry), so it works offline and everyone sees it at once.
 * The room keeps its content for a restore; only deleting it for good (the server) removes that.
 * Resolves with the trash entry's id.
 */
export async function deleteWorkflow(rooms: RoomSet, home: VolumeRef, id: string, by: string): Promise<string> {
  await writeRoom(rooms, indexOf(home), (doc) => trashWorkflow(doc, home, id, { by, at: nowIso() }));
  return trashIdOf(roomOf(home, id));
}

/**
 * Imports an `llmunix-workflow` file as a new workflow; its node and edge ids are replaced, so
 * importing a file twice never mixes the copies. Nothing is written when the file has errors.
 */
export async function importWorkflow(rooms: RoomSet, home: VolumeRef, text: string, fileName: string): Promise<Result<string, string[]>> {
  const { parseWorkflowFile } = await workflowFile();
  const parsed = parseWorkflowFile(text);
  if (!parsed.ok) return parsed;
  const file = parsed.value;
  const graph = withFreshIds({ nodes: file.nodes, edges: file.edges, notes: file.notes });
  return ok(await createWorkflow(rooms, home, importedName(file.name, fileName), file.description, graph));
}

/** A workflow as an `llmunix-workflow` file: its name and JSON text. */
export async function exportWorkflow(rooms: RoomSet, home: VolumeRef, listing: WorkflowListing): Promise<{ fileName: string; text: string }> {
  const { toWorkflowFile } = await workflowFile();
  const { meta, graph } = await readRoom(rooms, roomOf(home, listing.id), readWorkflow);
  const name = meta.name || listing.name;
  const file = toWorkflowFile({ name, description: meta.description || listing.description }, graph);
  return { fileName: exportFileName(name), text: `${JSON.stringify(file, null, 2)}\n` };
}
