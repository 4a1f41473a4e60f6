import { checkSkillFiles, utf8Text, type SkillFile, type SkillFileError } from '../documents/skill-files';
import { exportAgentSkill } from './agent-skill';
import { readSkill, type ParsedSkill, type SkillError, type SkillWarning } from './parse';

/** A skill found in a folder, a zip or a directory walk, ready to be saved whole. */
export interface FolderSkill {
  skillId: string;
  /** Where its Markdown was (`pdf/SKILL.md`, `x.md`): kept as its origin, so it is exported the same. */
  origin: string;
  /** The Markdown exactly as written (byte order mark and CRLF line ends included). */
  source: string;
  skill: ParsedSkill;
  /** The other files of its folder, with paths relative to that folder. */
  files: SkillFile[];
  warnings: SkillWarning[];
  /**
   * The compound skill whose folder carried this one (under its `skills/`), as an inner skill
   * it needs; absent for a skill brought in on its own.
   */
  carriedBy?: string;
}

/** A skill that was found but cannot be brought in, and why. */
export interface RefusedSkill {
  origin: string;
  errors: Array<SkillError | (SkillFileError & { file: string })>;
}

/** What a set of files holds: skills, skills refused, and files that belong to no skill. */
export interface FolderContents {
  skills: FolderSkill[];
  refused: RefusedSkill[];
  skipped: Array<{ path: string; reason: string }>;
}

const SKILL_FILE = 'SKILL.md';

/** Where a compound skill's folder carries the skills its inner nodes use: `skills/<skill-id>/SKILL.md`. */
export const CARRIED_DIR = 'skills';
/** The list of carried skills in a compound skill's folder, written on export and made again each time. */
export const CARRIED_LIST = `${CARRIED_DIR}/README.md`;
const SYSTEM_FILE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/;

/** The folder a path is in ('' at the top). */
export const dirOf = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const within = (dir: string, path: string): boolean => dir === '' || path.startsWith(`${dir}/`);
const relative = (dir: string, path: string): string => (dir === '' ? path : path.slice(dir.length + 1));

/**
 * Reads skills from files given by path (a dropped folder, a zip, a directory walk): each
 * `SKILL.md` makes its folder a skill with every file under it (a nested `SKILL.md` starts a skill
 * of its own), and each other `.md` file outside skill folders is a skill file of the original's
 * format. Nothing is run: files are data.
 */
export function readSkillFolder(entries: readonly SkillFile[]): FolderContents {
  const out: FolderContents = { skills: [], refused: [], skipped: [] };
  const files: SkillFile[] = [];
  for (const entry of entries) {
    const path = entry.path.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');
    if (path === '' || path.endsWith('/')) continue;
    if (SYSTEM_FILE.test(path)) out.skipped.push({ path, reason: 'a file the operating system adds, not part of any skill' });
    else files.push({ path, bytes: entry.bytes });
  }
  const roots = files.filter((f) => f.path.split('/').at(-1) === SKILL_FILE).map((f) => dirOf(f.path));
  // The deepest skill folder holding a path owns it.
  const ownerOf = (path: string): string | undefined =>
    roots.filter((dir) => within(dir, path)).sort((a, b) => b.length - a.length)[0];
  const members = new Map<string, SkillFile[]>(roots.map((dir) => [dir, []]));
  const singles: SkillFile[] = [];
  for (const file of files) {
    const owner = ownerOf(file.path);
    if (owner !== undefined && file.path !== (owner ? `${owner}/${SKILL_FILE}` : SKILL_FILE)) members.get(owner)?.push(file);
    else if (owner === undefined && /\.md$/i.test(file.path)) singles.push(file);
    else if (owner === undefined) out.skipped.push({ path: file.path, reason: 'not inside a skill folder (no SKILL.md above it) and not a .md skill file' });
  }
  const byPath = new Map(files.map((f) => [f.path, f]));
  for (const dir of roots) {
    const origin = dir ? `${dir}/${SKILL_FILE}` : SKILL_FILE;
    const own = (members.get(dir) ?? []).map((f) => ({ path: relative(dir, f.path), bytes: f.bytes }));
    addSkill(out, origin, byPath.get(origin)?.bytes ?? new Uint8Array(), own);
  }
  for (const single of singles) addSkill(out, single.path, single.bytes, [], true);
  markCarried(out);
  return out;
}

/**
 * Marks the skills a compound skill's folder carries (those under its `skills/`), and leaves out
 * its list of them, which its export writes again from what it carries then.
 */
function markCarried(out: FolderContents): void {
  const compounds = out.skills.filter((s) => s.skill.kind === 'compound').map((s) => ({ skill: s, dir: dirOf(s.origin) }));
  for (const { skill, dir } of compounds) {
    const list = skill.files.find((f) => f.path === CARRIED_LIST);
    if (!list) continue;
    skill.files = skill.files.filter((f) => f !== list);
    out.skipped.push({ path: carriedListPath(dir), reason: `the list of the skills "${skill.skillId}" carries, made again when it is exported` });
  }
  for (const skill of out.skills) {
    const carrier = compounds
      .filter((c) => c.skill !== skill && within(carriedDir(c.dir), skill.origin))
      .sort((a, b) => b.dir.length - a.dir.length)[0];
    if (carrier) skill.carriedBy = carrier.skill.skillId;
  }
}

/** The folder of a compound skill's carried skills, for the compound's folder `compoundDir`. */
export const carriedDir = (compoundDir: string): string => (compoundDir ? `${compoundDir}/${CARRIED_DIR}` : CARRIED_DIR);

/** Where a compound skill's folder keeps the list of the skills it carries. */
export const carriedListPath = (compoundDir: string): string => (compoundDir ? `${compoundDir}/${CARRIED_LIST}` : CARRIED_LIST);

function addSkill(out: FolderContents, origin: string, bytes: Uint8Array, files: SkillFile[], single = false): void {
  const source = utf8Text(bytes);
  if (source === undefined) {
    out.refused.push({ origin, errors: [{ file: origin, line: 1, message: 'the file is not UTF-8 text; save it as UTF-8' }] });
    return;
  }
  const read = readSkill(source, { file: origin });
  if (!read.ok) {
    const noFrontmatter = read.error.length === 1 && read.error[0]?.line === 1 && read.error[0].message.includes('must start with YAML frontmatter');
    if (single && noFrontmatter) out.skipped.push({ path: origin, reason: 'a Markdown file without frontmatter, so not a skill' });
    else out.refused.push({ origin, errors: read.error });
    return;
  }
  const checked = checkSkillFiles(files);
  if (!checked.ok) {
    out.refused.push({ origin, errors: checked.error.map((e) => ({ ...e, file: origin })) });
    return;
  }
  const skillId = read.value.frontmatter.skill_id;
  const first = out.skills.find((s) => s.skillId === skillId);
  if (first) {
    out.refused.push({ origin, errors: [{ file: origin, line: 1, message: `skill id "${skillId}" is already used by ${first.origin}; give one of them another skill_id` }] });
    return;
  }
  out.skills.push({ skillId, origin, source, skill: read.value, files, warnings: read.value.warnings });
}

/** What `writeSkillFolder` needs of a stored skill. */
export interface StoredSkill {
  source: string;
  files: readonly SkillFile[];
  /** Where an imported skill came from; absent for a skill made here. */
  origin?: string;
  skill: ParsedSkill;
}

/**
 * The files of a skill's folder, for a zip or a directory: an imported skill comes back exactly as
 * it came in (its Markdown at its origin, byte for byte, and its files beside it); a skill made
 * here becomes an Agent Skills folder `<name>/SKILL.md` with our fields under `metadata`.
 */
export function writeSkillFolder(stored: StoredSkill): SkillFile[] {
  const encode = (text: string) => new TextEncoder().encode(text);
  const exported = stored.origin ? undefined : exportAgentSkill(stored.skill);
  const main = stored.origin ?? `${exported?.folder}/${SKILL_FILE}`;
  const content = exported?.content ?? stored.source;
  const dir = dirOf(main);
  return [{ path: main, bytes: encode(content) }, ...stored.files.map((f) => ({ path: dir ? `${dir}/${f.path}` : f.path, bytes: f.bytes }))];
}
