import { listSkillFiles, readSkillFile, utf8Text } from '../../../shared/src/documents/skill-files';
import { err, ok, type Result } from '../../../shared/src/result';
import type { Rooms } from '../rooms/rooms';
import type { SkillDoc } from './retrieval';

/** The longest text a skill read gives the model; the rest is cut with a note saying how much. */
export const MAX_READ_CHARS = 100_000;

/** Cuts a long text for the model, saying how long it was. */
export const cutForModel = (text: string): string =>
  text.length <= MAX_READ_CHARS ? text : `${text.slice(0, MAX_READ_CHARS)}\n\n[… cut here: ${text.length} characters in all]`;

/** A file's text for the model, or undefined for a binary one (not UTF-8, or holding NUL bytes). */
function asText(bytes: Uint8Array): string | undefined {
  const text = utf8Text(bytes);
  return text?.includes('\0') ? undefined : text;
}

/**
 * One file of a skill, as the model reads it: its text (UTF-8), or a note that it is binary and
 * how big. `skill` is one of the caller's readable skills; its files are read from the volume it
 * was found in.
 */
export async function readSkillFileFor(rooms: Rooms, skill: SkillDoc, path: string): Promise<Result<string, string>> {
  const { skillId } = skill;
  const wanted = path.replace(/^\.\//, '');
  return rooms.use(skill.room, (room) => {
    const bytes = readSkillFile(room.doc, skillId, wanted);
    if (!bytes) {
      const paths = listSkillFiles(room.doc, skillId).map((f) => f.path);
      const known = paths.length ? `Its files: ${paths.join(', ')}.` : 'It has no files.';
      return err(`Skill "${skillId}" has no file "${path}". ${known}`);
    }
    const text = asText(bytes);
    return ok(text === undefined ? `"${wanted}" is a binary file of ${bytes.length} bytes; it cannot be shown as text.` : cutForModel(text));
  });
}
