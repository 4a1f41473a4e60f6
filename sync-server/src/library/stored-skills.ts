import { readSkill, type ParsedSkill } from '../../../shared/src/skill/parse';
import { skillFile } from '../rest/skill-lookup';
import type { VolumeRef } from '../access/volumes';

/**
 * Stored skills parsed once per exact source: every tools/list, chat round and run reads every
 * readable skill again, and the text rarely changes in between. Named by where they are stored
 * (`volumes/<volume>/<id>/skills/<skill>.md`), so a traceback or an error points at that file.
 * Bounded, oldest first out.
 */
const parsed = new Map<string, ParsedSkill | undefined>();
const MAX_PARSED = 5000;

/** A stored skill, parsed; undefined when its source does not validate (the app shows it as broken). */
export function storedSkill(ref: VolumeRef, skillId: string, source: string): ParsedSkill | undefined {
  const file = skillFile(ref, skillId);
  const key = `${file}\0${source}`;
  if (parsed.has(key)) return parsed.get(key);
  const read = readSkill(source, { file, skillId });
  const skill = read.ok ? read.value : undefined;
  parsed.set(key, skill);
  if (parsed.size > MAX_PARSED) parsed.delete(parsed.keys().next().value as string);
  return skill;
}
