import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SkillFile } from '../../../shared/src/documents/skill-files';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { unzipSkillArchive } from '../../../shared/src/skill/archive';
import { readSkillFolder, type FolderContents } from '../../../shared/src/skill/folder';
import { formatSkillError, type CompoundSkill, type InstructionSkill } from '../../../shared/src/skill/parse';
import type { AnySkillFrontmatter } from '../../../shared/src/skill/schema';

/** The system volume: the repository's `skills/`. */
export const SYSTEM_SKILLS_DIR = fileURLToPath(new URL('../../../skills/', import.meta.url));
/** The system volume's folder of workflow templates, which holds no skills. */
export const TEMPLATES_DIR = path.join(SYSTEM_SKILLS_DIR, 'templates');

export interface LoadedSkills {
  /** The skills that run. */
  skills: Map<string, ResolvedSkill>;
  /** Skills with nothing to run: in the library, so a workflow naming one is told so, never run. */
  instructions: Map<string, InstructionSkill>;
  /** Skills whose code is a workflow: their nodes run as their inner nodes. */
  compounds: Map<string, CompoundSkill>;
  /** Files skipped and why, duplicates, shadowed ids: worth saying, not fatal. */
  warnings: string[];
}

/** The frontmatter of any skill loaded, for validation (which refuses instruction skills as nodes). */
export const librarySkill = (loaded: LoadedSkills, id: string): AnySkillFrontmatter | undefined =>
  loaded.skills.get(id)?.skill.frontmatter ?? loaded.instructions.get(id)?.frontmatter ?? loaded.compounds.get(id)?.frontmatter;

const ARCHIVE = /\.(zip|skill)$/i;
const ACCEPTED = 'only .md files, folders with a SKILL.md and .zip/.skill archives are read';

async function walk(dir: string, prefix: string): Promise<SkillFile[]> {
  const out: SkillFile[] = [];
  for (const entry of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    const rel = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(full, rel)));
    else if (entry.isFile()) out.push({ path: rel, bytes: new Uint8Array(await fs.readFile(full)) });
  }
  return out;
}

const exists = (file: string): Promise<boolean> =>
  fs.stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/** One set of files `readSkillFolder` reads (the directory's, or an archive's), and where it is. */
interface Source {
  /** Prefix of the paths of its files in messages and tracebacks. */
  label: string;
  contents: FolderContents;
}

/** Reads a directory's skills: its `*.md` files and `<name>/SKILL.md` folders at once, each archive apart. */
async function sourcesOf(dir: string, label: string, warnings: string[]): Promise<Source[]> {
  const files: SkillFile[] = [];
  const sources: Source[] = [];
  for (const entry of (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (full === TEMPLATES_DIR) continue;
    const named = path.join(label, entry.name);
    const stat = await fs.stat(full).catch(() => undefined);
    if (stat?.isDirectory()) {
      if (await exists(path.join(full, 'SKILL.md'))) files.push(...(await walk(full, entry.name)));
      else warnings.push(`skipped: ${named}/: a folder with no SKILL.md; ${ACCEPTED}`);
    } else if (stat?.isFile() && entry.name.toLowerCase().endsWith('.md')) {
      files.push({ path: entry.name, bytes: new Uint8Array(await fs.readFile(full)) });
    } else if (stat?.isFile() && ARCHIVE.test(entry.name)) {
      const unzipped = unzipSkillArchive(new Uint8Array(await fs.readFile(full)));
      if (unzipped.ok) sources.push({ label: named, contents: readSkillFolder(unzipped.value) });
      else warnings.push(`skipped: ${named}: ${unzipped.error}`);
    } else {
      warnings.push(`skipped: ${named}: not a skill; ${ACCEPTED}`);
    }
  }
  return [{ label, contents: readSkillFolder(files) }, ...sources];
}

/**
 * Reads a skills directory: `*.md` files (LLMunix's or the original's format), `<name>/SKILL.md`
 * folders with their files, and `.zip`/`.skill` archives. `label` is how files are named in
 * messages and tracebacks (e.g. `skills/quantum-vqe.md`). Whatever is not read is named with why:
 * a workflow using a skill that did not load then fails validation as an unknown skill.
 */
export async function loadSkillDir(dir: string, label = dir): Promise<LoadedSkills> {
  const loaded: LoadedSkills = { skills: new Map(), instructions: new Map(), compounds: new Map(), warnings: [] };
  const { warnings } = loaded;
  const firstFile = new Map<string, string>();
  for (const { label: base, contents } of await sourcesOf(dir, label, warnings)) {
    for (const s of contents.skipped) warnings.push(`skipped: ${path.join(base, s.path)}: ${s.reason}`);
    for (const r of contents.refused) {
      for (const e of r.errors) {
        warnings.push(`skipped: ${'line' in e ? formatSkillError({ ...e, file: path.join(base, e.file) }) : `${path.join(base, r.origin)}: ${e.message}`}`);
      }
    }
    for (const found of contents.skills) {
      const file = path.join(base, found.origin);
      const first = firstFile.get(found.skillId);
      if (first) {
        warnings.push(`skipped: ${file} has skill_id "${found.skillId}", already used by ${first}`);
        continue;
      }
      firstFile.set(found.skillId, file);
      // Named as messages and tracebacks give it: the folder's reading named it within the folder.
      const relabel = <T extends { file: string }>(x: T): T => ({ ...x, file: path.join(base, x.file) });
      const skill = { ...found.skill, file, warnings: found.skill.warnings.map(relabel) };
      if (skill.kind === 'runnable') loaded.skills.set(found.skillId, { skill, source: found.source });
      else if (skill.kind === 'compound') loaded.compounds.set(found.skillId, skill);
      else loaded.instructions.set(found.skillId, skill);
    }
  }
  return loaded;
}

/** The system volume and, when given, the user's: the user's skills shadow system ones by id. */
export async function loadVolumes(userDir?: string): Promise<LoadedSkills> {
  const system = await loadSkillDir(SYSTEM_SKILLS_DIR, 'skills');
  if (!userDir) return system;
  const user = await loadSkillDir(userDir);
  const skills = new Map(system.skills);
  const instructions = new Map(system.instructions);
  const compounds = new Map(system.compounds);
  const warnings = [...system.warnings, ...user.warnings];
  const shadow = (id: string, file: string) => {
    if (skills.delete(id) || instructions.delete(id) || compounds.delete(id)) warnings.push(`${file} shadows the system skill "${id}"`);
  };
  for (const [id, skill] of user.skills) {
    shadow(id, skill.skill.file);
    skills.set(id, skill);
  }
  for (const [id, skill] of user.instructions) {
    shadow(id, skill.file);
    instructions.set(id, skill);
  }
  for (const [id, skill] of user.compounds) {
    shadow(id, skill.file);
    compounds.set(id, skill);
  }
  return { skills, instructions, compounds, warnings };
}
