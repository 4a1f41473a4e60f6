import type { TrashVolume } from '../../../shared/src/documents/trash';
import { putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import { ORIGIN } from '../../../shared/src/origins';
import { workflowRoom } from '../../../shared/src/rooms';
import type { Rooms } from '../../src/rooms/rooms';

/** The graph every seeded workflow holds: two nodes and the edge between them. */
export const SEEDED_GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'square', skillId: 'square', label: 'Square', position: { x: 0, y: 0 }, inputs: { x: 3 } },
    { id: 'offset', skillId: 'offset', label: 'Offset', position: { x: 200, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e1', source: 'square', sourceHandle: 'y', target: 'offset', targetHandle: 'x' }],
};

/** Writes a workflow as the app makes one: its room's meta and graph, then its listing in the volume index. */
export async function seedWorkflow(rooms: Rooms, where: TrashVolume, id: string, name = `Workflow ${id}`): Promise<void> {
  const at = '2026-01-01T00:00:00.000Z';
  await rooms.use(workflowRoom(where.volume, where.volumeId, id), (room) =>
    room.doc.transact(() => {
      writeWorkflowMeta(room.doc, { name, description: 'seeded', created_at: at, updated_at: at });
      writeWorkflowGraph(room.doc, SEEDED_GRAPH);
    }, ORIGIN.rest),
  );
  await rooms.use(`${where.volume}/${where.volumeId}`, (room) =>
    room.doc.transact(() => putWorkflowListing(room.doc, id, { name, description: 'seeded', created_at: at, updated_at: at }), ORIGIN.rest),
  );
}
