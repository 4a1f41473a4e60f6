import path from 'node:path';
import pino from 'pino';
import type { Identity } from '../../../shared/src/access';
import { writeSkillFiles } from '../../../shared/src/documents/skill-files';
import { putSkillSource, putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph, type WorkflowNode } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { volumeRoom, workflowRoom, type Volume } from '../../../shared/src/rooms';
import { createLibrary, type ServerLibrary } from '../../src/library/library';
import { Rooms } from '../../src/rooms/rooms';
import { MemoryStorage } from '../../src/storage/memory';
import { readSystemSkills, writeSystemVolume } from '../../src/system-volume';

/** Real rooms over memory storage, the real system skills written, and the library told of every durable change as the server tells it. */
export async function libraryRooms(): Promise<{ rooms: Rooms; library: ServerLibrary; close: () => Promise<void> }> {
  const holder: { library?: ServerLibrary } = {};
  const rooms = new Rooms(new MemoryStorage(), { idleMs: 60_000, compactAfter: 1000, groupCommitMs: 0, onDurableChange: (room) => holder.library?.roomChanged(room.name) }, pino({ level: 'silent' }));
  const library = (holder.library = createLibrary(rooms));
  await writeSystemVolume(rooms, await readSystemSkills(path.resolve(import.meta.dirname, '../../../skills')));
  return { rooms, library, close: () => rooms.closeAll() };
}

export const user = (sub: string, teams: string[] = []): Identity => ({ kind: 'user', sub, teams, team_admin: [] });
export const share = (room: string, mode: 'read' | 'write'): Identity => ({ kind: 'share', room, mode });

/** A skill's Markdown from its frontmatter lines and its code. */
export function skillMarkdown(frontmatter: string, code?: { lang: string; text: string }, body = ''): string {
  const codeSection = code ? `\n## Code\n\n\`\`\`${code.lang}\n${code.text}\n\`\`\`\n` : '';
  return `---\n${frontmatter.trim()}\n---\n\n${body}${codeSection}`;
}

/** Python: y = 2x. */
export const DOUBLE = skillMarkdown(
  `
name: Double
skill_id: double
type: python
description: Doubles a number.
inputs:
  - name: x
    type: number
    description: The number to double.
outputs:
  - name: y
    type: number
`,
  { lang: 'python', text: 'def execute(inputs):\n    return {"y": inputs["x"] * 2}' },
);

/** JavaScript: sum = a + b, b defaulting to 1. */
export const ADD = skillMarkdown(
  `
name: Add
skill_id: add
type: javascript
description: Adds two numbers.
inputs:
  - name: a
    type: number
  - name: b
    type: integer
    default: 1
    description: What is added.
outputs:
  - name: sum
    type: number
`,
  { lang: 'javascript', text: 'function execute(inputs) {\n  return { sum: inputs.a + inputs.b };\n}' },
);

export async function putSkill(rooms: Rooms, volume: Volume, volumeId: string, skillId: string, markdown: string, files?: Record<string, string>): Promise<void> {
  await rooms.use(volumeRoom(volume, volumeId), (room) => {
    putSkillSource(room.doc, skillId, markdown);
    if (files) {
      const written = writeSkillFiles(room.doc, skillId, Object.entries(files).map(([p, text]) => ({ path: p, bytes: new TextEncoder().encode(text) })));
      if (!written.ok) throw new Error(JSON.stringify(written.error));
    }
  });
}

export const node = (id: string, skillId: string, inputs: Record<string, Json> = {}, label = ''): WorkflowNode => ({ id, skillId, label, position: { x: 0, y: 0 }, inputs });
export const edge = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({ id: `${source}-${sourceHandle}-${target}-${targetHandle}`, source, sourceHandle, target, targetHandle });

/** A workflow as the app stores it: its room's metadata and graph, and its listing in its volume's index. */
export async function putWorkflow(rooms: Rooms, volume: Volume, volumeId: string, id: string, name: string, graph: WorkflowGraph, description = ''): Promise<string> {
  const room = workflowRoom(volume, volumeId, id);
  await rooms.use(room, (r) => {
    writeWorkflowMeta(r.doc, { name, description, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' });
    writeWorkflowGraph(r.doc, graph);
  });
  await rooms.use(volumeRoom(volume, volumeId), (r) => putWorkflowListing(r.doc, id, { name, description, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }));
  return room;
}

/** The three-node workflow of the tests: Python doubles x, JavaScript adds b, and another Python node doubles its own x. */
export const THREE_NODES: WorkflowGraph = {
  nodes: [node('n1', 'double', { x: 2 }, 'First'), node('n2', 'add'), node('n3', 'double')],
  edges: [edge('n1', 'y', 'n2', 'a')],
};
