import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { formatSkillError, parseSkill } from '../../../shared/src/skill/parse';

/** The system volume: the repository's `skills/`. */
export const SYSTEM_SKILLS_DIR = fileURLToPath(new URL('../../../skills/', import.meta.url));

export interface LoadedSkills {
  skills: Map<string, ResolvedSkill>;
  /** Files that did not parse, duplicates, shadowed ids: worth saying, not fatal. */
  warnings: string[];
}

/**
 * Parses every `.md` file of a directory. `label` is how files are named in messages and
 * tracebacks (e.g. `skills/quantum-vqe.md`). A file that does not parse is skipped with its
 * precise error: a workflow using it then fails validation as an unknown skill.
 */
export async function loadSkillDir(dir: string, label = dir): Promise<LoadedSkills> {
  const skills = new Map<string, ResolvedSkill>();
  const warnings: string[] = [];
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.md')).sort();
  for (const file of files) {
    const name = path.join(label, file);
    const source = await fs.readFile(path.join(dir, file), 'utf8');
    const parsed = parseSkill(source, name);
    if (!parsed.ok) {
      warnings.push(...parsed.error.map((e) => `skipped: ${formatSkillError(e)}`));
      continue;
    }
    const id = parsed.value.frontmatter.skill_id;
    const first = skills.get(id);
    if (first) warnings.push(`skipped: ${name} has skill_id "${id}", already used by ${first.skill.file}`);
    else skills.set(id, { skill: parsed.value, source });
  }
  return { skills, warnings };
}

/** The system volume and, when given, the user's: the user's skills shadow system ones by id. */
export async function loadVolumes(userDir?: string): Promise<LoadedSkills> {
  const system = await loadSkillDir(SYSTEM_SKILLS_DIR, 'skills');
  if (!userDir) return system;
  const user = await loadSkillDir(userDir);
  const skills = new Map(system.skills);
  const warnings = [...system.warnings, ...user.warnings];
  for (const [id, skill] of user.skills) {
    if (skills.has(id)) warnings.push(`${skill.skill.file} shadows the system skill "${id}"`);
    skills.set(id, skill);
  }
  return { skills, warnings };
}
