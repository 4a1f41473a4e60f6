import type { Identity } from '../../../shared/src/access';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Rooms } from '../rooms/rooms';
import { canAccess, searchOrder, type VolumeRef } from '../access/volumes';
import { storedSkill } from '../library/stored-skills';
import type { SkillDoc } from './retrieval';

type Described = Omit<SkillDoc, 'volume' | 'room'> | undefined;

/** How the chat sees a stored skill (parsed once per source, `storedSkill`); instruction skills (no code) are exactly what it reads skills for. */
function describeSkill(ref: VolumeRef, skillId: string, source: string): Described {
  const skill = storedSkill(ref, skillId, source);
  if (!skill) return undefined;
  const { frontmatter: fm, body } = skill;
  const kind = skill.kind === 'instruction' ? 'instructions' : fm.type;
  return { skillId, name: fm.name, description: fm.description, kind, topics: `${fm.tags.join(' ')} ${fm.category}`, body, source };
}

/** Every skill an identity can read, in lookup order; a user skill shadows a system one. */
export async function readableSkills(rooms: Rooms, identity: Identity): Promise<SkillDoc[]> {
  const seen = new Set<string>();
  const out: SkillDoc[] = [];
  for (const ref of searchOrder(identity, {}, true)) {
    const index = volumeRoom(ref.volume, ref.volumeId);
    if (!canAccess(identity, index, 'read')) continue;
    const sources = await rooms.use(index, (room) => listSkillSources(room.doc));
    for (const [skillId, source] of sources) {
      if (seen.has(skillId)) continue;
      const skill = describeSkill(ref, skillId, source);
      if (!skill) continue;
      seen.add(skillId);
      out.push({ ...skill, volume: ref.volume, room: index });
    }
  }
  return out;
}
