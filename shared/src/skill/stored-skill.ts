import type * as Y from 'yjs';
import { checkSkillFiles, getSkillOrigin, putSkillOrigin, readSkillFiles, writeSkillFiles, type SkillFileError } from '../documents/skill-files';
import { getSkillSource, putSkillSource } from '../documents/volume-index';
import { err, ok, type Result } from '../result';
import type { FolderSkill, StoredSkill } from './folder';
import { readSkill, type SkillError } from './parse';

/**
 * Saves a skill brought in from a folder, a zip or a file into a volume index, whole: its
 * Markdown as written, its files and its origin, in one transaction (wrap it in one with your
 * origin tag). An existing skill with that id is replaced, files included; its text is edited in
 * place, so a peer editing it at the same time keeps a consistent text. Nothing is written when
 * a file is refused.
 */
export function saveFolderSkill(doc: Y.Doc, skill: FolderSkill): Result<void, SkillFileError[]> {
  const checked = checkSkillFiles(skill.files);
  if (!checked.ok) return checked;
  doc.transact(() => {
    writeSkillFiles(doc, skill.skillId, skill.files);
    putSkillSource(doc, skill.skillId, skill.source);
    putSkillOrigin(doc, skill.skillId, skill.origin);
  });
  return ok(undefined);
}

/**
 * A skill of a volume index with its files and origin, parsed, as `writeSkillFolder` takes it;
 * undefined when the index has no such skill. `file` names it in errors.
 */
export function storedSkill(doc: Y.Doc, skillId: string, file = `${skillId}.md`): Result<StoredSkill, SkillError[]> | undefined {
  const source = getSkillSource(doc, skillId);
  if (source === undefined) return undefined;
  const origin = getSkillOrigin(doc, skillId);
  const read = readSkill(source, { file, skillId });
  if (!read.ok) return err(read.error);
  return ok({ source, files: readSkillFiles(doc, skillId), skill: read.value, ...(origin === undefined ? {} : { origin }) });
}
