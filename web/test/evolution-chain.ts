// The evolution e2e tests' chain, Square (Python) → Offset (JavaScript) → Half (Python), the headless
// evolution tests' skills, and workflows of it stored in the local user's volume as the app makes them.
import path from 'node:path';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { ROOT, type App } from './harness';

export const SKILLS_DIR = path.join(ROOT, 'sync-server/test/headless/fixtures/evolve-skills');
export const CHAIN = ['py-square', 'js-offset', 'py-half'];

/** The chain with Square's x set. */
export const chain = (x: number): WorkflowGraph => ({
  nodes: [
    { id: 'sq', skillId: 'py-square', label: 'Square', position: { x: 0, y: 0 }, inputs: { x } },
    { id: 'off', skillId: 'js-offset', label: 'Offset', position: { x: 340, y: 0 }, inputs: {} },
    { id: 'half', skillId: 'py-half', label: 'Half', position: { x: 680, y: 0 }, inputs: {} },
  ],
  edges: [
    { id: 'e1', source: 'sq', sourceHandle: 'y', target: 'off', targetHandle: 'y' },
    { id: 'e2', source: 'off', sourceHandle: 'z', target: 'half', targetHandle: 'z' },
  ],
});

/** A workflow in the user's volume, named in its listing as the workflows panel makes one. */
export async function storeWorkflow(app: App, id: string, name: string, graph: WorkflowGraph): Promise<void> {
  const now = new Date().toISOString();
  const fields = { name, description: '', created_at: now, updated_at: now };
  const room = await app.connect(`user/default/workflow/${id}`);
  writeWorkflowMeta(room.doc, fields);
  writeWorkflowGraph(room.doc, graph);
  const index = await app.connect('user/default');
  putWorkflowListing(index.doc, id, fields);
  await new Promise((r) => setTimeout(r, 300));
  room.destroy();
  index.destroy();
}
