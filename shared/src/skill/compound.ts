import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { WorkflowEdge, WorkflowNode } from '../documents/workflow';
import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import { ID_PATTERN } from '../rooms';
import { FieldLocator, type FieldPath } from './locate';
import { COMPOUND_TYPE, type CompoundFrontmatter, type InputPort, type OutputPort } from './schema';
import { serializeSkill } from './serialize';

const id = (what: string) => z.string().regex(ID_PATTERN, `${what} ids are letters, digits, "-" or "_"`);

const InnerNodeSchema = z.strictObject({
  id: id('node'),
  skillId: id('skill'),
  label: z.string().max(200).default(''),
  position: z.strictObject({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 }),
  inputs: z.record(z.string(), z.unknown()).default({}),
});

const InnerEdgeSchema = z.strictObject({
  id: id('edge'),
  source: z.string(),
  sourceHandle: z.string(),
  target: z.string(),
  targetHandle: z.string(),
});

const PortRefSchema = z.strictObject({ node: z.string(), port: z.string() });

/** A compound skill's `## Code` block: its inner workflow and how its ports map onto inner ports. */
export const CompoundInsideSchema = z.strictObject({
  nodes: z.array(InnerNodeSchema).min(1, 'a compound skill holds at least one inner node').max(10_000),
  edges: z.array(InnerEdgeSchema).max(50_000).default([]),
  inputs: z.array(z.strictObject({ name: z.string(), targets: z.array(PortRefSchema).min(1, 'an input feeds at least one inner port') })).default([]),
  outputs: z.array(z.strictObject({ name: z.string(), node: z.string(), port: z.string() })).default([]),
});

/** Where a compound input goes: inner input ports it feeds. */
export interface CompoundInputMapping {
  name: string;
  targets: Array<{ node: string; port: string }>;
}

/** Where a compound output comes from: one inner output port. */
export interface CompoundOutputMapping {
  name: string;
  node: string;
  port: string;
}

/** The inside of a compound skill, as its code block holds it. */
export interface CompoundInside {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  inputs: CompoundInputMapping[];
  outputs: CompoundOutputMapping[];
}

/** A problem in a compound skill's code block, at a 1-based file line (the field is always `code`). */
export interface CompoundCodeError {
  line: number;
  field: 'code';
  message: string;
}

const pathText = (path: ReadonlyArray<PropertyKey>): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');

/**
 * Where and why a code block is not JSON: the position JSON.parse names or, when its message
 * names none, the first error the YAML reader (JSON is YAML) finds; the quoted excerpt some
 * engines add is left out.
 */
function jsonError(code: string, message: string, codeLine: number): CompoundCodeError {
  const at = /position (\d+)/.exec(message);
  const counter = new LineCounter();
  const offset = at ? Number(at[1]) : parseDocument(code, { lineCounter: counter }).errors[0]?.pos[0];
  const line = offset === undefined ? codeLine : codeLine + (code.slice(0, offset).match(/\n/g)?.length ?? 0);
  const reason = message.replace(/, (\.\.\.)?".*$/s, '');
  return { line, field: 'code', message: `the code block is not JSON: ${reason}` };
}

/** Cross-checks of a well-formed inside: ids, references, and the ports against the frontmatter. */
function insideProblems(inside: CompoundInside, fm: Pick<CompoundFrontmatter, 'inputs' | 'outputs'>): Array<{ path: FieldPath; message: string }> {
  const out: Array<{ path: FieldPath; message: string }> = [];
  const nodes = new Set<string>();
  inside.nodes.forEach((n, i) => {
    if (nodes.has(n.id)) out.push({ path: ['nodes', i, 'id'], message: `id "${n.id}" is used by more than one inner node` });
    nodes.add(n.id);
  });
  const edges = new Set<string>();
  inside.edges.forEach((e, i) => {
    if (edges.has(e.id)) out.push({ path: ['edges', i, 'id'], message: `id "${e.id}" is used by more than one inner edge` });
    edges.add(e.id);
    for (const end of ['source', 'target'] as const) {
      if (!nodes.has(e[end])) out.push({ path: ['edges', i, end], message: `"${e[end]}" is not an inner node` });
    }
  });
  const wired = new Set(inside.edges.map((e) => `${e.target}\u0000${e.targetHandle}`));
  inside.inputs.forEach((input, i) =>
    input.targets.forEach((t, j) => {
      if (!nodes.has(t.node)) out.push({ path: ['inputs', i, 'targets', j, 'node'], message: `"${t.node}" is not an inner node` });
      else if (wired.has(`${t.node}\u0000${t.port}`)) {
        out.push({ path: ['inputs', i, 'targets', j, 'port'], message: `input "${t.port}" of inner node "${t.node}" is already fed by an inner edge; map the compound input elsewhere or remove the edge` });
      }
    }),
  );
  inside.outputs.forEach((o, i) => {
    if (!nodes.has(o.node)) out.push({ path: ['outputs', i, 'node'], message: `"${o.node}" is not an inner node` });
  });
  for (const key of ['inputs', 'outputs'] as const) {
    const declared = new Set(fm[key].map((p) => p.name));
    const mapped = new Set<string>();
    inside[key].forEach((m, i) => {
      if (mapped.has(m.name)) out.push({ path: [key, i, 'name'], message: `${key.slice(0, -1)} "${m.name}" is mapped more than once` });
      else if (!declared.has(m.name)) out.push({ path: [key, i, 'name'], message: `${key.slice(0, -1)} "${m.name}" is not in the frontmatter's ${key}; declare it there or remove it here` });
      mapped.add(m.name);
    });
    for (const name of declared) {
      if (!mapped.has(name)) out.push({ path: [key], message: `the frontmatter's ${key.slice(0, -1)} "${name}" is not mapped to an inner port; add it to "${key}"` });
    }
  }
  return out;
}

/**
 * Reads a compound skill's `json` code block (starting at file line `codeLine`) and checks it
 * against the skill's frontmatter ports; each error has the file line of the field at fault.
 */
export function readCompoundCode(code: string, codeLine: number, fm: Pick<CompoundFrontmatter, 'inputs' | 'outputs'>): Result<CompoundInside, CompoundCodeError[]> {
  let data: unknown;
  try {
    data = JSON.parse(code);
  } catch (e) {
    return err([jsonError(code, (e as Error).message, codeLine)]);
  }
  // Lines are only needed for errors: the YAML reader (JSON is YAML) maps fields to them then.
  let at: FieldLocator | undefined;
  const locator = (): FieldLocator => {
    const counter = new LineCounter();
    return (at ??= new FieldLocator(parseDocument(code, { lineCounter: counter }), counter, codeLine - 1));
  };
  // `inputs[0].targets[0].node "hamx" is not an inner node`; a schema message after a colon.
  const located = (path: FieldPath, message: string): CompoundCodeError => ({
    line: locator().line(path),
    field: 'code',
    message: `${pathText(path) || '(block)'}${message.startsWith('"') ? ' ' : ': '}${message}`,
  });
  const parsed = CompoundInsideSchema.safeParse(data);
  if (!parsed.success) {
    return err(parsed.error.issues.map((i) => located(i.path.filter((p): p is string | number => typeof p !== 'symbol'), i.message)));
  }
  const inside: CompoundInside = { ...parsed.data, nodes: parsed.data.nodes.map((n) => ({ ...n, inputs: n.inputs as Record<string, Json> })) };
  const problems = insideProblems(inside, fm);
  if (problems.length > 0) return err(problems.map((p) => located(p.path, p.message)));
  return ok(inside);
}

/** What `buildCompoundMarkdown` needs to write a compound skill file. */
export interface CompoundSkillParts {
  name: string;
  skillId: string;
  description?: string;
  version?: string;
  category?: string;
  tags?: string[];
  inside: CompoundInside;
  inputs: InputPort[];
  outputs: OutputPort[];
  /** Where a mined skill came from (its skills, support, window, when). */
  derivedFrom?: CompoundFrontmatter['derived_from'];
  /** A "When to Use" section, if any. */
  whenToUse?: string;
}

/**
 * Writes a compound skill file (`type: compound`, the inside as a `json` `## Code` block) that
 * `readSkill` reads back to the same frontmatter and inside. The ports must match the inside's
 * mappings; `readSkill` says which do not.
 */
export function buildCompoundMarkdown(parts: CompoundSkillParts): string {
  const fm: CompoundFrontmatter = {
    name: parts.name,
    skill_id: parts.skillId,
    type: COMPOUND_TYPE,
    category: parts.category ?? 'general',
    execution_mode: 'browser-wasm',
    description: parts.description ?? '',
    tags: parts.tags ?? [],
    version: parts.version ?? '1.0.0',
    inputs: parts.inputs,
    outputs: parts.outputs,
    deterministic: true,
    ...(parts.derivedFrom ? { derived_from: parts.derivedFrom } : {}),
  };
  const { nodes, edges, inputs, outputs } = parts.inside;
  const code = JSON.stringify({ nodes, edges, inputs, outputs }, null, 2);
  const sections = [`# Skill: ${fm.name}`, fm.description];
  if (parts.whenToUse) sections.push(`## When to Use\n${parts.whenToUse}`);
  sections.push(`## Code\n\n\`\`\`json\n${code}\n\`\`\``);
  return serializeSkill({ frontmatter: fm, body: `\n${sections.filter(Boolean).join('\n\n')}\n` });
}
