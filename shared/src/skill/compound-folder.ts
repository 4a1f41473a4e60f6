import type { SkillFile } from '../documents/skill-files';
import { err, ok, type Result } from '../result';
import { CARRIED_DIR, carriedDir, carriedListPath, dirOf, writeSkillFolder, type StoredSkill } from './folder';
import type { SkillError } from './parse';

/** Finds a stored skill by id (the first readable volume that has it), for a compound skill's export. */
export type StoredLookup = (skillId: string) => Result<StoredSkill, SkillError[]> | undefined;

/** One skill a compound skill's folder carries, and where. */
export interface CarriedSkill {
  skillId: string;
  name: string;
  type: string;
  /** Its Markdown's path inside the compound's folder. */
  path: string;
}

/**
 * The skills a compound skill needs to run, each once in the order its inner nodes (and those of
 * the compound skills inside it) first use them; with the ids no lookup finds or that have errors.
 */
export function skillsNeeded(stored: StoredSkill, lookup: StoredLookup): { found: StoredSkill[]; missing: string[]; broken: string[] } {
  const out = { found: [] as StoredSkill[], missing: [] as string[], broken: [] as string[] };
  const seen = new Set([stored.skill.frontmatter.skill_id]);
  const visit = (skill: StoredSkill) => {
    if (skill.skill.kind !== 'compound') return;
    for (const node of skill.skill.inside.nodes) {
      if (seen.has(node.skillId)) continue;
      seen.add(node.skillId);
      const inner = lookup(node.skillId);
      if (!inner) out.missing.push(node.skillId);
      else if (!inner.ok) out.broken.push(node.skillId);
      else {
        out.found.push(inner.value);
        visit(inner.value);
      }
    }
  };
  visit(stored);
  return out;
}

/** The carried skills' list, as the compound skill's folder holds it (`skills/README.md`). */
function carriedList(name: string, skillId: string, carried: readonly CarriedSkill[]): string {
  const rows = carried.map((c) => `| ${c.skillId} | ${c.name.replace(/\|/g, '\\|')} | ${c.type} | ${c.path} |`);
  return [
    `# Skills that "${name}" uses`,
    '',
    `The compound skill "${name}" (${skillId}) runs as a workflow of inner nodes, whose skills are carried here, each as an`,
    'Agent Skills folder, so it runs where they are not installed. Importing the whole folder into LLMunix brings them in',
    'with it; a skill already in your library is reported rather than replaced.',
    '',
    '| skill id | name | type | file |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/**
 * The files of a skill's folder as `writeSkillFolder` writes them; for a compound skill, with the
 * skills it needs (nested compound skills' too) inside it as `skills/<skill-id>/SKILL.md` folders
 * and their list in `skills/README.md`. Refused, naming them, when a skill it needs is missing or
 * has errors: an archive that cannot run elsewhere is not made.
 */
export function writeSkillFolderWithInner(stored: StoredSkill, lookup: StoredLookup): Result<SkillFile[], string> {
  const own = writeSkillFolder(stored);
  if (stored.skill.kind !== 'compound') return ok(own);
  const id = stored.skill.frontmatter.skill_id;
  const { found, missing, broken } = skillsNeeded(stored, lookup);
  if (missing.length > 0) return err(`"${id}" uses ${missing.map((m) => `"${m}"`).join(', ')}, which none of your volumes has: import or make ${missing.length === 1 ? 'it' : 'them'} first, or take the node${missing.length === 1 ? '' : 's'} out of the compound skill`);
  if (broken.length > 0) return err(`"${id}" uses ${broken.map((m) => `"${m}"`).join(', ')}, whose file has errors: fix ${broken.length === 1 ? 'it' : 'them'} first`);
  const dir = dirOf(own[0]?.path ?? '');
  const base = carriedDir(dir);
  const listPath = carriedListPath(dir);
  // A list kept from an earlier import is replaced by the one made now.
  const files = own.filter((f) => f.path !== listPath);
  const carried: CarriedSkill[] = [];
  for (const inner of found) {
    const innerId = inner.skill.frontmatter.skill_id;
    const [main, ...rest] = writeSkillFolder(inner);
    if (!main) continue;
    const from = dirOf(main.path);
    const folder = `${base}/${innerId}`;
    files.push({ path: `${folder}/SKILL.md`, bytes: main.bytes });
    for (const f of rest) files.push({ path: `${folder}/${from ? f.path.slice(from.length + 1) : f.path}`, bytes: f.bytes });
    carried.push({ skillId: innerId, name: inner.skill.frontmatter.name, type: inner.skill.frontmatter.type, path: `${CARRIED_DIR}/${innerId}/SKILL.md` });
  }
  files.push({ path: listPath, bytes: new TextEncoder().encode(carriedList(stored.skill.frontmatter.name, id, carried)) });
  return ok(files);
}
