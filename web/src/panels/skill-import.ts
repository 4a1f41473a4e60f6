import type * as Y from 'yjs';
import type { SkillFile } from '../../../shared/src/documents/skill-files';
import { unzipSkillArchive } from '../../../shared/src/skill/archive';
import { readSkillFolder, type FolderContents, type FolderSkill } from '../../../shared/src/skill/folder';
import { canonicalJson } from '../../../shared/src/execution/hash';
import { formatSkillError, type ParsedSkill } from '../../../shared/src/skill/parse';
import { saveFolderSkill } from '../../../shared/src/skill/stored-skill';
import type { CatalogEntry } from '../documents/catalog';
import type { VolumeRef } from '../documents/identity';
import { freeSkillId } from './skill-save';

/**
 * What a drop or a pick brings in, before anything is saved: the skills found, those refused
 * (with line and field), files that belong to no skill, and archives that could not be read.
 * Loaded on first import, as it carries the skill parser and the zip reader.
 */
export interface ImportPreview extends FolderContents {
  /** An archive that could not be opened, and why. */
  unreadable: Array<{ path: string; reason: string }>;
}

const ARCHIVE = /\.(zip|skill)$/i;

/**
 * Reads dropped or picked files into skills: loose files (a folder, `SKILL.md`, `.md` files) are
 * read together, each `.zip`/`.skill` archive on its own. A skill id found twice is refused the
 * second time, as within one folder. Nothing is run.
 */
export function previewImport(files: readonly SkillFile[]): ImportPreview {
  const out: ImportPreview = { skills: [], refused: [], skipped: [], unreadable: [] };
  const merge = (found: FolderContents) => {
    for (const skill of found.skills) {
      const first = out.skills.find((s) => s.skillId === skill.skillId);
      if (!first) out.skills.push(skill);
      else out.refused.push({ origin: skill.origin, errors: [{ file: skill.origin, line: 1, message: `skill id "${skill.skillId}" is already used by ${first.origin}; bring them in one at a time to keep both` }] });
    }
    out.refused.push(...found.refused);
    out.skipped.push(...found.skipped);
  };
  const loose = files.filter((f) => !ARCHIVE.test(f.path));
  if (loose.length > 0) merge(readSkillFolder(loose));
  for (const archive of files.filter((f) => ARCHIVE.test(f.path))) {
    const opened = unzipSkillArchive(archive.bytes);
    if (opened.ok) merge(readSkillFolder(opened.value));
    else out.unreadable.push({ path: archive.path, reason: opened.error });
  }
  return out;
}

/** A refusal's error as one line: a skill file's `file:line: field: message`, or a file's problem. */
export function refusalText(error: FolderContents['refused'][number]['errors'][number]): string {
  return 'line' in error ? formatSkillError(error) : `${error.file}: ${error.message}`;
}

/** The frontmatter's own `skill_id:` line, if it has one (the closing `---` ends the search). */
const SKILL_ID_LINE = /^skill_id:[^\r\n]*$/m;

/**
 * The skill saved under another id, to keep it beside an existing one: the `skill_id` its file
 * states (if any) is changed to match, so the copy is not read as the original.
 */
export function renamedSkill(skill: FolderSkill, skillId: string): FolderSkill {
  const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(skill.source.slice(3));
  const end = close ? close.index + 3 : skill.source.length;
  const head = skill.source.slice(0, end).replace(SKILL_ID_LINE, `skill_id: ${skillId}`);
  return { ...skill, skillId, source: head + skill.source.slice(end) };
}

/** What to do with a skill whose id the volume already has. */
export type Conflict = 'replace' | 'keep-both';

/**
 * The skills to save: each under its own id, or, when the volume has that id and the person
 * chose to keep both, under the next free one (`pdf-2`). Undecided conflicts are left out.
 */
export function skillsToSave(skills: readonly FolderSkill[], existing: ReadonlySet<string>, choices: ReadonlyMap<string, Conflict>): FolderSkill[] {
  const taken = new Set([...existing, ...skills.map((s) => s.skillId)]);
  return skills.flatMap((skill) => {
    if (!existing.has(skill.skillId)) return [skill];
    const choice = choices.get(skill.skillId);
    if (choice === 'replace') return [skill];
    if (choice !== 'keep-both') return [];
    const id = freeSkillId(skill.skillId, taken);
    taken.add(id);
    return [renamedSkill(skill, id)];
  });
}

/** Saves skills into a volume index (call inside one transaction: one undo step for the whole import). */
export function saveImported(doc: Y.Doc, skills: readonly FolderSkill[]): void {
  for (const skill of skills) {
    const saved = saveFolderSkill(doc, skill);
    // The files were checked when the preview read them, so this is a bug if it happens.
    if (!saved.ok) throw new Error(`${skill.origin}: ${saved.error.map((e) => e.message).join(' ')}`);
  }
}

/** A carried skill the person's library already has in another volume than the one imported into. */
export interface PresentSkill {
  volume: VolumeRef;
  /** It is the carried copy's skill: the same fields and body (an export may write its fields another way). */
  same: boolean;
}

const sameSkill = (a: ParsedSkill, b: ParsedSkill): boolean => a.body === b.body && canonicalJson(a.frontmatter) === canonicalJson(b.frontmatter);

/**
 * The skills a compound skill's folder carries that the library already has in a volume other
 * than `target` (the system's, a team's): the compound's nodes find that one, so the copy is left
 * out unless the person keeps it (it would then take that one's place in their workflows). Those
 * the target volume has already are the conflicts every import reports.
 */
export function carriedPresent(skills: readonly FolderSkill[], entries: readonly CatalogEntry[], target: VolumeRef | undefined): Map<string, PresentSkill> {
  const present = new Map<string, PresentSkill>();
  for (const skill of skills) {
    if (!skill.carriedBy) continue;
    const there = entries.filter((e) => e.skillId === skill.skillId);
    if (there.some((e) => e.volume.volume === target?.volume && e.volume.volumeId === target.volumeId)) continue;
    const first = there[0];
    if (first) present.set(skill.skillId, { volume: first.volume, same: first.skill !== null && sameSkill(first.skill, skill.skill) });
  }
  return present;
}
