import fs from 'node:fs/promises';
import path from 'node:path';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { expandCompounds } from '../../../shared/src/execution/expand-compound';
import { parseWorkflowFile } from '../../../shared/src/workflow/file';
import { librarySkill, loadVolumes, TEMPLATES_DIR } from '../../src/headless/skills';
import type { PreparedRun, ToolOutput } from '../../src/library/types';
import { skillSource } from '../headless/helpers';

/**
 * Runs as the library prepares them, built here from the real system skills (and a user folder
 * of skills written by the test), for the run service's own tests.
 */
export async function preparer(userDir?: string): Promise<(graph: WorkflowGraph, o: { name: string; workflowRoom?: string; outputs?: ToolOutput[] }) => PreparedRun> {
  const volumes = await loadVolumes(userDir);
  return (graph, o) => ({
    name: o.name,
    kind: 'workflow',
    graph,
    resolve: (id) => volumes.skills.get(id),
    library: (id) => librarySkill(volumes, id),
    compounds: (id) => volumes.compounds.get(id),
    ...(o.workflowRoom ? { workflowRoom: o.workflowRoom } : {}),
    outputs: o.outputs ?? [],
    total: expandCompounds(graph, (id) => volumes.compounds.get(id)).graph.nodes.length,
  });
}

/** A workflow template of the system volume (`skills/templates/<name>.workflow.json`). */
export async function template(name: string): Promise<WorkflowGraph> {
  const parsed = parseWorkflowFile(await fs.readFile(path.join(TEMPLATES_DIR, `${name}.workflow.json`), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return { nodes: parsed.value.nodes, edges: parsed.value.edges };
}

/** A JavaScript skill that loops until it is stopped. */
export const SPIN = skillSource({ name: 'Spin', skill_id: 'spin', type: 'javascript', outputs: [{ name: 'x', type: 'number' }] }, 'javascript', 'function execute() {\n  for (;;) {}\n}');

/** A JavaScript skill whose code throws on a known line. */
export const BOOM = skillSource(
  { name: 'Boom', skill_id: 'boom', type: 'javascript', deterministic: true, inputs: [{ name: 'n', type: 'number', default: 1 }], outputs: [{ name: 'x', type: 'number' }] },
  'javascript',
  'function execute({ n }) {\n  if (n > 0) throw new Error("boom at " + n);\n  return { x: n };\n}',
);

/** Writes the test's skills into a user folder as `<id>.md`. */
export async function writeSkills(dir: string, skills: Record<string, string>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [id, text] of Object.entries(skills)) await fs.writeFile(path.join(dir, `${id}.md`), text);
}
