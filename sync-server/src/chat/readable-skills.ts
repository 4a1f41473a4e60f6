import type { Identity } from '../../../shared/src/access';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { readSkill } from '../../../shared/src/skill/parse';
import type { Rooms } from '../rooms/rooms';
import { canAccess, searchOrder } from '../access/volumes';
import type { SkillDoc } from './retrieval';

type Described = Omit<SkillDoc, 'volume' | 'room'> | undefined;

/**
 * Skills described by id and exact source: each app tool round of a chat is a request of its own
 * and reads every readable skill again, and the text rarely changes in between. Bounded, oldest
 * first out, as the app's catalog caches its parses.
 */
const described = new Map<string, Described>();
const MAX_DESCRIBED = 5000;

/** How the chat sees a stored skill; instruction skills (no code) are exactly what it reads skills for. */
function describeSkill(skillId: string, source: string): Described {
  const key = `${skillId}\0${source}`;
  if (described.has(key)) return described.get(key);
  const read = readSkill(source, { file: `${skillId}.md`, skillId });
  let doc: Described;
  if (read.ok) {
    const { frontmatter: fm, body } = read.value;
    const kind = read.value.kind === 'instruction' ? 'instructions' : fm.type;
    doc = { skillId, name: fm.name, description: fm.description, kind, topics: `${fm.tags.join(' ')} ${fm.category}`, body, source };
  }
  described.set(key, doc);
  if (described.size > MAX_DESCRIBED) described.delete(described.keys().next().value as string);
  return doc;
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
      const skill = describeSkill(skillId, source);
      if (!skill) continue;
      seen.add(skillId);
      out.push({ ...skill, volume: ref.volume, room: index });
    }
  }
  return out;
}
