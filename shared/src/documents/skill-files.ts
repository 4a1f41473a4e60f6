import * as Y from 'yjs';
import { err, ok, type Result } from '../result';
import { skillFilesOf, skillOriginsOf } from './volume-index';

/**
 * A skill's files (`scripts/`, `references/`, `assets/`, anything its folder holds beside its
 * Markdown) live in its volume index: `skillFiles` maps skill id → Y.Map of path → bytes. They
 * are data: nothing here runs them.
 */

/** One file of a skill's folder: its path relative to the folder, and its bytes. */
export interface SkillFile {
  path: string;
  bytes: Uint8Array;
}

/** Largest file a skill may hold. */
export const MAX_SKILL_FILE_BYTES = 5 * 1024 * 1024;
/** Largest total of one skill's files: with the rest of an update it stays under the server's 16 MiB message limit. */
export const MAX_SKILL_FILES_BYTES = 10 * 1024 * 1024;
/** Most files one skill may hold. */
export const MAX_SKILL_FILE_COUNT = 1000;
const MAX_PATH_LENGTH = 1024;

/** Why a skill's files were refused. */
export interface SkillFileError {
  code: 'bad_path' | 'reserved_path' | 'duplicate_path' | 'file_too_large' | 'skill_too_large' | 'too_many_files';
  /** The file concerned; absent for limits on the whole skill. */
  path?: string;
  message: string;
}

/** A path segment: letters, digits (any script), space and `. _ - + @ , = ( ) [ ] ~ #`, not `.` or `..`. */
const SEGMENT = /^[\p{L}\p{N}._\-+@,=()[\]~# ]{1,255}$/u;

const MIB = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MiB`;

/** The problem with a file path, or undefined when it is a valid path inside a skill's folder. */
export function skillFilePathProblem(path: string): SkillFileError | undefined {
  const bad = (why: string): SkillFileError => ({ code: 'bad_path', path, message: `File path "${path}" ${why}.` });
  if (path.length === 0 || path.length > MAX_PATH_LENGTH) return bad(`must be 1–${MAX_PATH_LENGTH} characters`);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return bad('must be relative to the skill\'s folder, not absolute');
  if (path.includes('\\')) return bad('must separate folders with "/", not "\\"');
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) return bad('must stay inside the skill\'s folder (no "..")');
  if (segments.some((s) => s === '' || s === '.')) return bad('has an empty or "." folder name');
  const odd = segments.find((s) => !SEGMENT.test(s) || s.trim() !== s);
  if (odd !== undefined) {
    return bad(`has a name "${odd}" outside the characters files may use: letters, digits, spaces inside a name and . _ - + @ , = ( ) [ ] ~ #`);
  }
  if (path.toLowerCase() === 'skill.md') {
    return { code: 'reserved_path', path, message: 'SKILL.md is the skill itself; it is stored as the skill\'s Markdown, not as a file' };
  }
  return undefined;
}

/** Checks a skill's whole set of files: every path, no path twice, and the size limits. */
export function checkSkillFiles(files: readonly SkillFile[]): Result<void, SkillFileError[]> {
  const problems: SkillFileError[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const file of files) {
    const problem = skillFilePathProblem(file.path);
    if (problem) problems.push(problem);
    if (seen.has(file.path)) problems.push({ code: 'duplicate_path', path: file.path, message: `File "${file.path}" is given twice.` });
    seen.add(file.path);
    total += file.bytes.byteLength;
    if (file.bytes.byteLength > MAX_SKILL_FILE_BYTES) {
      problems.push({
        code: 'file_too_large',
        path: file.path,
        message: `File "${file.path}" is ${MIB(file.bytes.byteLength)}; a skill's file may be at most ${MIB(MAX_SKILL_FILE_BYTES)}. Keep large data outside the skill.`,
      });
    }
  }
  if (files.length > MAX_SKILL_FILE_COUNT) {
    problems.push({ code: 'too_many_files', message: `The skill has ${files.length} files; a skill may hold at most ${MAX_SKILL_FILE_COUNT}.` });
  }
  if (total > MAX_SKILL_FILES_BYTES) {
    problems.push({
      code: 'skill_too_large',
      message: `The skill's files come to ${MIB(total)}; a skill's files may come to at most ${MIB(MAX_SKILL_FILES_BYTES)}. Leave out large assets.`,
    });
  }
  return problems.length > 0 ? err(problems) : ok(undefined);
}

/** The paths and sizes of a skill's files, sorted by path. */
export function listSkillFiles(doc: Y.Doc, skillId: string): Array<{ path: string; size: number }> {
  const files = skillFilesOf(doc).get(skillId);
  if (!(files instanceof Y.Map)) return [];
  const out: Array<{ path: string; size: number }> = [];
  files.forEach((bytes, path) => {
    if (bytes instanceof Uint8Array) out.push({ path, size: bytes.byteLength });
  });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A file's text when its bytes are UTF-8 (a BOM kept, so the text gives the same bytes back), else undefined. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** One file of a skill, or undefined when it has none at that path. */
export function readSkillFile(doc: Y.Doc, skillId: string, path: string): Uint8Array | undefined {
  // Another client may have written anything under the key: only a map of bytes is read.
  const files = skillFilesOf(doc).get(skillId);
  const bytes = files instanceof Y.Map ? files.get(path) : undefined;
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/** Every file of a skill, sorted by path. */
export function readSkillFiles(doc: Y.Doc, skillId: string): SkillFile[] {
  return listSkillFiles(doc, skillId).flatMap(({ path }) => {
    const bytes = readSkillFile(doc, skillId, path);
    return bytes ? [{ path, bytes }] : [];
  });
}

/**
 * Sets a skill's files to exactly `files` (others are removed), in one transaction, after checking
 * paths and limits: nothing is written when any check fails.
 */
export function writeSkillFiles(doc: Y.Doc, skillId: string, files: readonly SkillFile[]): Result<void, SkillFileError[]> {
  const checked = checkSkillFiles(files);
  if (!checked.ok) return checked;
  doc.transact(() => {
    const all = skillFilesOf(doc);
    if (files.length === 0) {
      all.delete(skillId);
      return;
    }
    let map = all.get(skillId);
    if (!(map instanceof Y.Map)) {
      map = new Y.Map<Uint8Array>();
      all.set(skillId, map);
    }
    const keep = new Set(files.map((f) => f.path));
    for (const path of [...map.keys()]) if (!keep.has(path)) map.delete(path);
    for (const file of files) {
      const old = map.get(file.path);
      if (!(old instanceof Uint8Array) || !sameBytes(old, file.bytes)) map.set(file.path, file.bytes.slice());
    }
  });
  return ok(undefined);
}

/** Deletes a skill's files (all of them, or those at `paths`); returns how many were deleted. */
export function deleteSkillFiles(doc: Y.Doc, skillId: string, paths?: readonly string[]): number {
  const all = skillFilesOf(doc);
  const map = all.get(skillId);
  if (!(map instanceof Y.Map)) return 0;
  let deleted = 0;
  doc.transact(() => {
    for (const path of paths ?? [...map.keys()]) {
      if (map.has(path)) {
        map.delete(path);
        deleted++;
      }
    }
    if (map.size === 0) all.delete(skillId);
  });
  return deleted;
}

/** Where an imported skill's Markdown came from (`pdf/SKILL.md`, `x.md`), or undefined for a skill made here. */
export function getSkillOrigin(doc: Y.Doc, skillId: string): string | undefined {
  const origin = skillOriginsOf(doc).get(skillId);
  return typeof origin === 'string' ? origin : undefined;
}

/** Records where an imported skill's Markdown came from, so it is exported the same. */
export function putSkillOrigin(doc: Y.Doc, skillId: string, file: string): void {
  if (skillOriginsOf(doc).get(skillId) !== file) skillOriginsOf(doc).set(skillId, file);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
