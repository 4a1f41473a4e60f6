import type { Identity } from '../../../shared/src/access';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { parseSkill } from '../../../shared/src/skill/parse';
import type { Rooms } from '../rooms/rooms';
import { canAccess, searchOrder } from '../access/volumes';
import type { SkillDoc } from './retrieval';

/** Every valid skill an identity can read, in lookup order; a user skill shadows a system one. */
export async function readableSkills(rooms: Rooms, identity: Identity): Promise<SkillDoc[]> {
  const seen = new Set<string>();
  const out: SkillDoc[] = [];
  for (const ref of searchOrder(identity, {}, true)) {
    const index = volumeRoom(ref.volume, ref.volumeId);
    if (!canAccess(identity, index, 'read')) continue;
    const sources = await rooms.use(index, (room) => listSkillSources(room.doc));
    for (const [skillId, source] of sources) {
      if (seen.has(skillId)) continue;
      const parsed = parseSkill(source, `${skillId}.md`);
      if (!parsed.ok) continue;
      seen.add(skillId);
      out.push({ skillId, volume: ref.volume, skill: parsed.value, source });
    }
  }
  return out;
}
