import { z } from 'zod';
import { NOTE_COLORS, type WorkflowContent, type WorkflowGraph, type WorkflowMeta, type WorkflowNote } from '../documents/workflow';
import { err, ok, type Result } from '../result';
import { ID_PATTERN } from '../rooms';

/** The `llmunix-workflow` file format: a workflow as one JSON file, versioned. */
export const WORKFLOW_FORMAT = 'llmunix-workflow';
/** 2 added `notes`; a version-1 file reads as a workflow without notes. */
export const WORKFLOW_FORMAT_VERSION = 2;

const Json: z.ZodType<unknown> = z.unknown();

const WorkflowFileSchema = z.object({
  format: z.literal(WORKFLOW_FORMAT),
  version: z.number().int().positive(),
  name: z.string().max(200).default(''),
  description: z.string().max(5000).default(''),
  nodes: z
    .array(
      z.strictObject({
        id: z.string().regex(ID_PATTERN, 'node ids are letters, digits, "-" or "_"'),
        skillId: z.string().regex(ID_PATTERN, 'skill ids are letters, digits, "-" or "_"'),
        label: z.string().max(200).default(''),
        position: z.strictObject({ x: z.number(), y: z.number() }),
        inputs: z.record(z.string(), Json).default({}),
      }),
    )
    .max(10_000),
  edges: z
    .array(
      z.strictObject({
        id: z.string().regex(ID_PATTERN, 'edge ids are letters, digits, "-" or "_"'),
        source: z.string(),
        sourceHandle: z.string(),
        target: z.string(),
        targetHandle: z.string(),
      }),
    )
    .max(50_000),
  notes: z
    .array(
      z.strictObject({
        id: z.string().regex(ID_PATTERN, 'note ids are letters, digits, "-" or "_"'),
        text: z.string().max(100_000, 'a note holds at most 100,000 characters').default(''),
        position: z.strictObject({ x: z.number(), y: z.number() }),
        size: z.strictObject({
          width: z.number().positive('a note is wider than 0').max(20_000),
          height: z.number().positive('a note is taller than 0').max(20_000),
        }),
        color: z.enum(NOTE_COLORS, { error: `a note's colour is one of ${NOTE_COLORS.join(', ')}` }).default('yellow'),
      }),
    )
    .max(10_000)
    .default([]),
});

/** A workflow file's contents. */
export interface WorkflowFile extends WorkflowContent {
  format: typeof WORKFLOW_FORMAT;
  version: number;
  name: string;
  description: string;
}

/** Builds the file for a workflow and its notes (none when not given). */
export function toWorkflowFile(meta: Pick<WorkflowMeta, 'name' | 'description'>, content: WorkflowGraph & { notes?: WorkflowNote[] }): WorkflowFile {
  const { nodes, edges, notes = [] } = content;
  return { format: WORKFLOW_FORMAT, version: WORKFLOW_FORMAT_VERSION, name: meta.name, description: meta.description, nodes, edges, notes };
}

/** Parses a workflow file's text; every problem is reported with where it is. */
export function parseWorkflowFile(text: string): Result<WorkflowFile, string[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return err([`The file is not JSON: ${(e as Error).message}`]);
  }
  const format = (data as { format?: unknown } | null)?.format;
  if (format !== WORKFLOW_FORMAT) return err([`This is not an ${WORKFLOW_FORMAT} file (its "format" is ${JSON.stringify(format ?? null)}).`]);
  const version = (data as { version?: unknown }).version;
  if (typeof version === 'number' && version > WORKFLOW_FORMAT_VERSION) {
    return err([`The file is version ${version}, made by a newer LLMunix; this one reads up to version ${WORKFLOW_FORMAT_VERSION}. Update the app.`]);
  }
  const parsed = WorkflowFileSchema.safeParse(data);
  if (!parsed.success) return err(parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
  const file = parsed.data;
  const ids = new Set(file.nodes.map((n) => n.id));
  /** Ids used more than once, each named once, in one pass (files may hold 50,000 edges). */
  const repeated = (list: Array<{ id: string }>) => {
    const seen = new Set<string>();
    const again = new Set<string>();
    for (const { id } of list) (seen.has(id) ? again : seen).add(id);
    return [...again];
  };
  const dupes = [
    ...repeated(file.nodes).map((id) => `nodes: id "${id}" is used by more than one node`),
    ...repeated(file.edges).map((id) => `edges: id "${id}" is used by more than one edge`),
    ...repeated(file.notes).map((id) => `notes: id "${id}" is used by more than one note`),
    // Notes and nodes share the canvas, where an id names one thing.
    ...file.notes.filter((n) => ids.has(n.id)).map((n) => `notes: id "${n.id}" is also a node's id; give the note another`),
  ];
  if (dupes.length > 0) return err(dupes);
  const dangling = file.edges.filter((e) => !ids.has(e.source) || !ids.has(e.target)).map((e) => `edges: ${e.id} connects a node that is not in the file`);
  if (dangling.length > 0) return err(dangling);
  return ok({ ...file, format: WORKFLOW_FORMAT, nodes: file.nodes.map((n) => ({ ...n, inputs: n.inputs as WorkflowGraph['nodes'][number]['inputs'] })) });
}
