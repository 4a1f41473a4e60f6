/*
 * A skill's files in its volume index (`skillFiles`: skill id → path → bytes): paths stay inside
 * the skill's folder, sizes within the documented limits, bytes sync exactly, and deleting the
 * skill deletes its files and origin.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  checkSkillFiles,
  deleteSkillFiles,
  getSkillOrigin,
  listSkillFiles,
  MAX_SKILL_FILE_BYTES,
  MAX_SKILL_FILE_COUNT,
  MAX_SKILL_FILES_BYTES,
  putSkillOrigin,
  readSkillFile,
  readSkillFiles,
  skillFilePathProblem,
  writeSkillFiles,
} from '../src/documents/skill-files';
import { putSkillSource, removeSkill } from '../src/documents/volume-index';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (s: string) => new TextEncoder().encode(s);

describe('skill file paths', () => {
  it.each(['scripts/run.py', 'LICENSE.txt', 'assets/logo (1).png', 'références/notes.md', '.gitignore', 'a/b/c/d.tar.gz', 'x/SKILL.md'])(
    'accepts %j',
    (path) => expect(skillFilePathProblem(path)).toBeUndefined(),
  );

  it.each([
    ['', 'must be 1–1024 characters'],
    ['/etc/passwd', 'relative'],
    ['C:/x.txt', 'relative'],
    ['../up.txt', 'no ".."'],
    ['a/../../b', 'no ".."'],
    ['a\\b.txt', '"/"'],
    ['a//b', 'empty'],
    ['./a', '"."'],
    ['a/ b', 'characters files may use'],
    ['a/b*.txt', 'characters files may use'],
    ['a/b\u0000', 'characters files may use'],
  ])('refuses %j, saying why', (path, why) => {
    expect(skillFilePathProblem(path)).toMatchObject({ code: 'bad_path', path, message: expect.stringContaining(why) });
  });

  it('refuses SKILL.md at the top, which is the skill itself', () => {
    expect(skillFilePathProblem('SKILL.md')?.code).toBe('reserved_path');
  });
});

describe('skill file limits', () => {
  it('accepts a file of exactly the per-file limit and refuses one byte more, naming the file and the limit', () => {
    expect(checkSkillFiles([{ path: 'a.bin', bytes: new Uint8Array(MAX_SKILL_FILE_BYTES) }]).ok).toBe(true);
    const r = checkSkillFiles([{ path: 'big.bin', bytes: new Uint8Array(MAX_SKILL_FILE_BYTES + 1) }]);
    expect(r.ok ? [] : r.error).toEqual([{ code: 'file_too_large', path: 'big.bin', message: expect.stringContaining('at most 5 MiB') }]);
  });

  it('refuses files that together pass the per-skill limit', () => {
    const part = new Uint8Array(MAX_SKILL_FILE_BYTES);
    expect(checkSkillFiles([1, 2].map((i) => ({ path: `p${i}`, bytes: part }))).ok).toBe(true);
    const r = checkSkillFiles([1, 2, 3].map((i) => ({ path: `p${i}`, bytes: part })));
    expect(r.ok ? [] : r.error).toEqual([{ code: 'skill_too_large', message: expect.stringContaining(`at most ${MAX_SKILL_FILES_BYTES / 1024 / 1024} MiB`) }]);
  });

  it('refuses too many files and a path given twice', () => {
    const many = Array.from({ length: MAX_SKILL_FILE_COUNT + 1 }, (_, i) => ({ path: `f${i}`, bytes: bytes() }));
    expect(checkSkillFiles(many).ok ? [] : (checkSkillFiles(many) as { error: Array<{ code: string }> }).error.map((e) => e.code)).toEqual(['too_many_files']);
    const twice = checkSkillFiles([{ path: 'a', bytes: bytes(1) }, { path: 'a', bytes: bytes(2) }]);
    expect(twice.ok ? [] : twice.error.map((e) => [e.code, e.path])).toEqual([['duplicate_path', 'a']]);
  });
});

describe('skill files in a volume index', () => {
  it('writes, lists, reads and replaces a skill\'s files, and two peers end with the same bytes', () => {
    const doc = new Y.Doc();
    const png = bytes(137, 80, 78, 71, 13, 10, 26, 10, 0, 255);
    expect(writeSkillFiles(doc, 's', [{ path: 'scripts/run.py', bytes: text('print(1)\n') }, { path: 'assets/logo.png', bytes: png }]).ok).toBe(true);
    expect(listSkillFiles(doc, 's')).toEqual([
      { path: 'assets/logo.png', size: 10 },
      { path: 'scripts/run.py', size: 9 },
    ]);
    expect(readSkillFile(doc, 's', 'assets/logo.png')).toEqual(png);
    expect(readSkillFile(doc, 's', 'missing')).toBeUndefined();
    expect(readSkillFile(doc, 'other', 'assets/logo.png')).toBeUndefined();

    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc));
    expect(readSkillFiles(peer, 's')).toEqual(readSkillFiles(doc, 's'));

    expect(writeSkillFiles(doc, 's', [{ path: 'assets/logo.png', bytes: png }]).ok).toBe(true);
    expect(listSkillFiles(doc, 's').map((f) => f.path)).toEqual(['assets/logo.png']);
  });

  it('reads nothing, and does not throw, where another client wrote something else than a map of bytes', () => {
    const doc = new Y.Doc();
    const roots = doc.getMap<unknown>('skillFiles');
    roots.set('text', 'not a map');
    const files = new Y.Map<unknown>();
    roots.set('mixed', files);
    files.set('a.txt', 'a string, not bytes');
    expect(readSkillFile(doc, 'text', 'a.txt')).toBeUndefined();
    expect(listSkillFiles(doc, 'text')).toEqual([]);
    expect(readSkillFile(doc, 'mixed', 'a.txt')).toBeUndefined();
    expect(listSkillFiles(doc, 'mixed')).toEqual([]);
  });

  it('writes nothing when any file is refused', () => {
    const doc = new Y.Doc();
    const r = writeSkillFiles(doc, 's', [{ path: 'ok.txt', bytes: bytes(1) }, { path: '../escape.txt', bytes: bytes(2) }]);
    expect(r.ok ? [] : r.error.map((e) => e.path)).toEqual(['../escape.txt']);
    expect(listSkillFiles(doc, 's')).toEqual([]);
  });

  it('deletes some or all files, and removeSkill takes the files and the origin with the skill', () => {
    const doc = new Y.Doc();
    putSkillSource(doc, 's', '---\nname: S\n---\n');
    writeSkillFiles(doc, 's', [{ path: 'a', bytes: bytes(1) }, { path: 'b', bytes: bytes(2) }]);
    putSkillOrigin(doc, 's', 's/SKILL.md');
    expect(getSkillOrigin(doc, 's')).toBe('s/SKILL.md');
    expect(deleteSkillFiles(doc, 's', ['a', 'nope'])).toBe(1);
    expect(listSkillFiles(doc, 's').map((f) => f.path)).toEqual(['b']);
    expect(removeSkill(doc, 's')).toBe(true);
    expect(listSkillFiles(doc, 's')).toEqual([]);
    expect(getSkillOrigin(doc, 's')).toBeUndefined();
    expect(doc.getMap('skillFiles').size).toBe(0);
  });
});
