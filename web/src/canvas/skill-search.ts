import type { Volume } from '../../../shared/src/rooms';
import { indexSkills, rankIndexed, type RankableSkill, type SkillIndex } from '../../../shared/src/skill/rank';
import type { InputPort, OutputPort, PortType } from '../../../shared/src/skill/schema';
import { portTypesCompatible, type NodeSkillFrontmatter } from '../../../shared/src/workflow/validate';
import type { CatalogEntry } from '../documents/catalog';
import type { Runtime, SkillQuery } from './skill-query';

/** A skill the canvas can place as a node, with what the search ranks and filters it by. */
export interface SearchableSkill extends RankableSkill {
  frontmatter: NodeSkillFrontmatter;
  volume: Volume;
  runtime: Runtime;
}

/**
 * The port a new node must offer to be wired to the port a connection was dragged from: an
 * input that takes `type` (dragged from an output), or an output that feeds it (from an input).
 */
export interface PortNeed {
  side: 'input' | 'output';
  type: PortType;
}

/**
 * The skills a node can be made of, tokenized for ranking: the one each id resolves to (as
 * the catalog's `lookup`: the first readable volume), runnable and compound ones, since an
 * instruction skill has nothing to run.
 */
export function searchIndex(entries: readonly CatalogEntry[]): SkillIndex<SearchableSkill> {
  const seen = new Set<string>();
  const skills: SearchableSkill[] = [];
  for (const entry of entries) {
    if (seen.has(entry.skillId)) continue;
    seen.add(entry.skillId);
    const skill = entry.skill;
    if (skill?.kind !== 'runnable' && skill?.kind !== 'compound') continue;
    const fm = skill.frontmatter;
    skills.push({
      skillId: fm.skill_id,
      name: fm.name,
      description: fm.description,
      topics: `${fm.tags.join(' ')} ${fm.category}`,
      body: skill.body,
      frontmatter: fm,
      volume: entry.volume.volume as Volume,
      runtime: fm.type === 'qiskit' ? 'python' : fm.type,
    });
  }
  return indexSkills(skills);
}

/** The ports of a skill that fit a need, in the order the skill declares them. */
export function portsFitting(skill: NodeSkillFrontmatter, need: PortNeed): Array<InputPort | OutputPort> {
  return need.side === 'input'
    ? skill.inputs.filter((p) => portTypesCompatible(need.type, p.type))
    : skill.outputs.filter((p) => portTypesCompatible(p.type, need.type));
}

function passes(skill: SearchableSkill, query: SkillQuery, need: PortNeed | undefined): boolean {
  const fm = skill.frontmatter;
  return (
    query.inputs.every((t) => fm.inputs.some((p) => p.type === t)) &&
    query.outputs.every((t) => fm.outputs.some((p) => p.type === t)) &&
    (query.runtimes.length === 0 || query.runtimes.includes(skill.runtime)) &&
    (query.volumes.length === 0 || query.volumes.includes(skill.volume)) &&
    (need === undefined || portsFitting(fm, need).length > 0)
  );
}

/**
 * The skills a query finds, best first: ranked by its words as the chat ranks skills (those
 * sharing no word are left out), or every skill by name when it has none; filters and a port
 * need narrow either list.
 */
export function searchSkills(index: SkillIndex<SearchableSkill>, query: SkillQuery, need?: PortNeed): SearchableSkill[] {
  const found =
    query.words.trim() === ''
      ? [...index.docs].sort((a, b) => a.name.localeCompare(b.name))
      : rankIndexed(index, query.words).map((r) => r.doc);
  return found.filter((s) => passes(s, query, need));
}
