import { z } from 'zod';
import { checkSkillFiles, MAX_SKILL_FILES_BYTES, type SkillFile } from '../../../shared/src/documents/skill-files';
import type { FolderSkill } from '../../../shared/src/skill/folder';
import { readSkill, type ParsedSkill, type SkillError } from '../../../shared/src/skill/parse';
import { HttpError } from '../http/errors';

/**
 * The largest JSON body `POST /api/skills` takes: a skill whose files reach the per-skill limit,
 * sent as base64 (4 bytes for every 3), plus its Markdown and the JSON around them.
 */
export const SKILL_IMPORT_BODY_BYTES = Math.ceil((MAX_SKILL_FILES_BYTES * 4) / 3) + 4 * 1024 * 1024;

/** One file of the skill's folder in a `POST /api/skills` body. */
export const ImportFileSchema = z.strictObject({
  path: z.string(),
  content: z.string(),
  encoding: z.enum(['utf8', 'base64']).default('utf8'),
});

type ImportFile = z.infer<typeof ImportFileSchema>;

// No groups: a repeated group would make the regex engine recurse once per 4 characters of a 7 MB string.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (text: string): boolean => text.length % 4 === 0 && BASE64.test(text);

export function invalidSkill(errors: SkillError[]): HttpError {
  const lines = errors.map((e) => `line ${e.line}${e.field ? ` (${e.field})` : ''}: ${e.message}`);
  return new HttpError('invalid_skill', `Invalid skill file: ${lines.join('; ')}`, errors);
}

/** The files of a body as bytes, checked for paths and limits; a 400 names each file refused. */
function filesOf(files: readonly ImportFile[]): SkillFile[] {
  const decoded = files.map((file, i) => {
    if (file.encoding === 'utf8') return { path: file.path, bytes: new TextEncoder().encode(file.content) };
    if (!isBase64(file.content)) {
      throw new HttpError('bad_request', `File "${file.path}" (files.${i}) is not valid base64; send standard base64 with padding and no line breaks, or "encoding": "utf8" for text.`, [
        { field: `files.${i}.content`, path: file.path, message: 'is not valid base64' },
      ]);
    }
    return { path: file.path, bytes: new Uint8Array(Buffer.from(file.content, 'base64')) };
  });
  const checked = checkSkillFiles(decoded);
  if (!checked.ok) {
    // Each problem named by its field in the body, as every other 400 is.
    const details = checked.error.map((e) => {
      const at = e.path === undefined ? -1 : files.findIndex((f) => f.path === e.path);
      return { field: at < 0 ? 'files' : `files.${at}.path`, ...e };
    });
    throw new HttpError('bad_request', `The skill's files were refused: ${checked.error.map((e) => e.message).join(' ')}`, details);
  }
  return decoded;
}

/**
 * A skill sent as its Markdown and files, ready to save whole. Its id is the body's `skill_id`,
 * else the file's, else its `name` made into one; it is kept as the Agent Skills folder
 * `<id>/SKILL.md`, so an export gives back the same Markdown and files.
 */
export function folderSkillOf(body: { content: string; files?: ImportFile[]; skill_id?: string }): FolderSkill {
  const first = readSkill(body.content, { skillId: body.skill_id });
  if (!first.ok) throw invalidSkill(first.error);
  const skillId = first.value.frontmatter.skill_id;
  if (body.skill_id !== undefined && skillId !== body.skill_id) {
    throw new HttpError('bad_request', `The body's skill_id "${body.skill_id}" differs from the file's skill_id "${skillId}"; leave one out or make them the same.`, [
      { field: 'skill_id', message: `differs from the file's "${skillId}"` },
    ]);
  }
  const origin = `${skillId}/SKILL.md`;
  // Read again under its folder's name, for the warnings an Agent Skills file gets.
  const read = readSkill(body.content, { file: origin, skillId });
  if (!read.ok) throw invalidSkill(read.error);
  const skill: ParsedSkill = read.value;
  return { skillId, origin, source: body.content, skill, files: filesOf(body.files ?? []), warnings: skill.warnings };
}
