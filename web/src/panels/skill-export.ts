import type * as Y from 'yjs';
import { zipSkillFiles } from '../../../shared/src/skill/archive';
import { writeSkillFolder } from '../../../shared/src/skill/folder';
import { formatSkillError } from '../../../shared/src/skill/parse';
import { storedSkill } from '../../../shared/src/skill/stored-skill';
import { err, ok, type Result } from '../../../shared/src/result';

/**
 * A skill's folder as a zip: an imported skill exactly as it came in (its Markdown and files byte
 * for byte), a skill made here as an Agent Skills folder. Loaded on first export (zip and parser).
 */
export function exportSkillZip(doc: Y.Doc, skillId: string, file: string): Result<Uint8Array, string> {
  const stored = storedSkill(doc, skillId, file);
  if (!stored) return err(`there is no skill "${skillId}" here any more`);
  if (!stored.ok) return err(`the skill's file has errors, fix them first (${stored.error.map(formatSkillError).join('; ')})`);
  return ok(zipSkillFiles(writeSkillFolder(stored.value)));
}
