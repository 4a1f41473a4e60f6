import { isRequiredInput } from '../../../shared/src/skill/ports';
import { inputsSchema, outputsSchema } from '../../../shared/src/skill/json-schema';
import type { CompoundSkill, Skill } from '../../../shared/src/skill/parse';
import { validateExpanded, expandCompounds } from '../../../shared/src/execution/expand-compound';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { SKILL_NODE, type LibraryTool } from './types';
import { HEADLESS_TYPES, headlessProblem, type CallerLibrary, type CallerSkill } from './resolve-for';

/** A tool before the library has settled its name (names depend on the whole library). */
export type UnnamedTool = Omit<LibraryTool, 'name'>;

/** The one-node workflow a skill runs as, with `inputs` as the node's literals. */
export function skillGraph(skillId: string, label: string, inputs: Record<string, Json> = {}): WorkflowGraph {
  return { nodes: [{ id: SKILL_NODE, skillId, label, position: { x: 0, y: 0 }, inputs }], edges: [] };
}

/**
 * Whether a skill can be a tool: a runnable skill of a type the server runs, or a compound skill
 * that validates and whose inner skills (nested too) all are. Missing inputs do not count: the
 * caller passes them.
 */
function runsHeadless(skill: Skill | CompoundSkill, lib: CallerLibrary, skillId: string): boolean {
  if (skill.kind === 'runnable') return HEADLESS_TYPES.has(skill.frontmatter.type);
  const graph = skillGraph(skillId, skill.frontmatter.name);
  const expanded = expandCompounds(graph, lib.compounds).graph;
  const issues = validateExpanded(graph, expanded, lib.library, lib.compounds).filter((i) => i.code !== 'missing_input');
  return issues.length === 0 && headlessProblem(graph, lib) === undefined;
}

/** A skill as a tool, or undefined when it is not one (instruction, broken, or not runnable here). */
export function skillTool(entry: CallerSkill, lib: CallerLibrary): UnnamedTool | undefined {
  const skill = entry.skill;
  if (!skill || skill.kind === 'instruction' || !runsHeadless(skill, lib, entry.skillId)) return undefined;
  const fm = skill.frontmatter;
  return {
    kind: 'skill',
    title: fm.name,
    description: fm.description.trim() || fm.name,
    volume: entry.ref,
    id: entry.skillId,
    inputs: fm.inputs.map((p) => ({ key: p.name, node: SKILL_NODE, port: p.name, type: p.type, required: isRequiredInput(p) })),
    outputs: fm.outputs.map((p) => ({ key: p.name, node: SKILL_NODE, port: p.name, type: p.type })),
    inputSchema: inputsSchema(fm.inputs),
    outputSchema: outputsSchema(fm.outputs),
  };
}
