import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { dismissPattern, listSkillSources, putSkillSource } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { buildCompoundMarkdown } from '../../../shared/src/skill/compound';
import { readSkill } from '../../../shared/src/skill/parse';
import { homeVolume, type VolumeRef } from '../documents/identity';
import type { RoomSet } from '../documents/rooms';
import { writeRoom } from '../panels/room-access';

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
  let skillId = s.skill_id;
  for (let k = 2; taken.has(skillId); k++) skillId = `${s.skill_id}-${k}`;
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

/** Saves an accepted suggestion as a compound skill in `volume`; resolves to its skill id. */
export async function acceptSuggestion(rooms: RoomSet, volume: VolumeRef, s: Suggestion, name: string, description?: string): Promise<string> {
  let saved = '';
  await writeRoom(rooms, volumeRoom(volume.volume, volume.volumeId), (doc) => {
    const file = compoundFileOf(s, name, description, new Set(listSkillSources(doc).keys()));
    putSkillSource(doc, file.skillId, file.markdown);
    saved = file.skillId;
  });
  return saved;
}

/** Records a suggestion as dismissed in this person's own volume (it syncs to their other devices). */
export function dismissSuggestion(rooms: RoomSet, s: Suggestion): Promise<void> {
  const home = homeVolume();
  return writeRoom(rooms, volumeRoom(home.volume, home.volumeId), (doc) => dismissPattern(doc, s.key, new Date().toISOString()));
}
