import { freeSkillId } from '../panels/skill-save';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { buildCompoundMarkdown } from '../../../shared/src/skill/compound';
import { readSkill } from '../../../shared/src/skill/parse';

/** A suggestion's file could not be read back: a bug in the miner, not something the person did. */
export class SuggestionFileError extends Error {
  override name = 'SuggestionFileError';
}

/**
 * The suggestion's compound skill file under the name (and description) chosen, keeping its
 * inside and provenance; a new id when the volume already has one with the suggested id.
 */
export function compoundFileOf(s: Suggestion, name: string, description: string | undefined, taken: ReadonlySet<string>): { skillId: string; markdown: string } {
  const read = readSkill(s.markdown, { skillId: s.skill_id });
  if (!read.ok || read.value.kind !== 'compound') throw new SuggestionFileError(`The suggested skill "${s.skill_id}" does not read back as a compound skill; mine again after reloading the app.`);
  const { frontmatter: fm, inside } = read.value;
  const skillId = freeSkillId(s.skill_id, taken);
  const markdown = buildCompoundMarkdown({
    name: name.trim() || fm.name,
    skillId,
    description: description?.trim() || fm.description,
    category: fm.category,
    tags: fm.tags,
    inputs: fm.inputs,
    outputs: fm.outputs,
    derivedFrom: fm.derived_from,
    inside,
  });
  return { skillId, markdown };
}
