import fs from 'node:fs/promises';
import path from 'node:path';
import { putSkillSource, listSkillSources, removeSkill } from '../../shared/src/documents/volume-index';
import { ORIGIN } from '../../shared/src/origins';
import { volumeRoom, SYSTEM_VOLUME_ID } from '../../shared/src/rooms';
import { formatSkillError, parseSkill, readSkill } from '../../shared/src/skill/parse';
import type { Rooms } from './rooms/rooms';

/** The system skills failed to validate; the server refuses to start with a broken catalogue. */
export class SystemSkillsError extends Error {
  override name = 'SystemSkillsError';
}

/** Loads `skills/*.md` into the system volume: `readSystemSkills`, then `writeSystemVolume`. */
export async function loadSystemVolume(rooms: Rooms, skillsDir: string): Promise<number> {
  return writeSystemVolume(rooms, await readSystemSkills(skillsDir));
}

/**
 * Writes the skills into the system volume's index room, editing only what changed, so clients
 * holding an older copy converge on the files' content. The room is persisted like any other:
 * recreating it from scratch would give its texts new ids and duplicate them. From this call
 * on, uses of the room wait until it is written (`Rooms.prepare`), so the server may listen
 * meanwhile: no client sees the volume before the files are in.
 */
export function writeSystemVolume(rooms: Rooms, skills: Map<string, string>): Promise<number> {
  return rooms.prepare(volumeRoom('system', SYSTEM_VOLUME_ID), async (use) => {
    await use((room) => {
      room.doc.transact(() => {
        for (const id of listSkillSources(room.doc).keys()) if (!skills.has(id)) removeSkill(room.doc, id);
        for (const [id, source] of skills) putSkillSource(room.doc, id, source);
      }, ORIGIN.systemLoader);
    });
    return skills.size;
  });
}

/** The sources of `skills/*.md` by skill id; a `SystemSkillsError` naming every problem when one does not validate. */
export async function readSystemSkills(skillsDir: string): Promise<Map<string, string>> {
  const files = (await fs.readdir(skillsDir)).filter((f) => f.endsWith('.md')).sort();
  const skills = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    const source = await fs.readFile(path.join(skillsDir, file), 'utf8');
    const name = path.join(path.basename(skillsDir), file);
    // A system skill runs: by its own code, or (a compound skill) as its inner nodes.
    const read = readSkill(source, { file: name });
    // An instruction skill is refused here: parseSkill says why (it has nothing to run).
    const parsed = read.ok && read.value.kind === 'instruction' ? parseSkill(source, name) : read;
    if (!parsed.ok) problems.push(...parsed.error.map(formatSkillError));
    else if (skills.has(parsed.value.frontmatter.skill_id)) problems.push(`${file}: duplicate skill_id "${parsed.value.frontmatter.skill_id}"`);
    else skills.set(parsed.value.frontmatter.skill_id, source);
  }
  if (problems.length > 0) throw new SystemSkillsError(`System skills do not validate:\n${problems.join('\n')}`);
  return skills;
}
