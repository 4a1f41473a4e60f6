import { parse as parseYaml } from 'yaml';
import type { Identity } from '../../../shared/src/access';
import { listSkillSources } from '../../../shared/src/documents/volume-index';
import { volumeRoom } from '../../../shared/src/rooms';
import { parseSkill } from '../../../shared/src/skill/parse';
import type { Rooms } from '../rooms/rooms';
import { canAccess, searchOrder } from '../access/volumes';
import type { SkillDoc } from './retrieval';

const FRONTMATTER = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;

/**
 * A skill with no `## Code` section is read as instructions for the assistant, by its
 * frontmatter's name and description, even where the skill parser wants code: instructions are
 * exactly what the chat reads skills for. A file with code that fails to parse stays out.
 */
function instructionSkill(skillId: string, source: string): Omit<SkillDoc, 'volume' | 'room'> | undefined {
  const match = FRONTMATTER.exec(source);
  if (!match || /^##\s+Code\s*$/im.test(source)) return undefined;
  let fields: unknown;
  try {
    fields = parseYaml(match[1] ?? '');
  } catch {
    return undefined;
  }
  if (fields === null || typeof fields !== 'object') return undefined;
  const { name, description } = fields as Record<string, unknown>;
  if (typeof name !== 'string' || !name.trim()) return undefined;
  return { skillId, name, description: typeof description === 'string' ? description : '', kind: 'instructions', topics: '', body: source.slice(match[0].length), source };
}

function describeSkill(skillId: string, source: string): Omit<SkillDoc, 'volume' | 'room'> | undefined {
  const parsed = parseSkill(source, `${skillId}.md`);
  if (!parsed.ok) return instructionSkill(skillId, source);
  const fm = parsed.value.frontmatter;
  return { skillId, name: fm.name, description: fm.description, kind: fm.type, topics: `${fm.tags.join(' ')} ${fm.category}`, body: parsed.value.body, source };
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
