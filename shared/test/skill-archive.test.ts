/*
 * Skill archives and folders of skills made here: a skill without an origin is exported as an
 * Agent Skills folder that reads back the same; archives that cannot be read, or would expand
 * past the limits, are refused with a message before anything is expanded.
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listSkillFiles, MAX_SKILL_FILE_BYTES } from '../src/documents/skill-files';
import { getSkillSource } from '../src/documents/volume-index';
import { unzipSkillArchive, zipSkillFiles } from '../src/skill/archive';
import { readSkillFolder, writeSkillFolder } from '../src/skill/folder';
import { readSkill } from '../src/skill/parse';
import { saveFolderSkill, storedSkill } from '../src/skill/stored-skill';

const SYSTEM_SKILL = new URL('../../skills/quantum-vqe.md', import.meta.url);

describe('writeSkillFolder for a skill made here', () => {
  it('writes an Agent Skills folder with our fields under metadata, which reads back to the same skill and files', () => {
    const source = readFileSync(SYSTEM_SKILL, 'utf8');
    const r = readSkill(source, { file: 'skills/quantum-vqe.md' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const files = [{ path: 'assets/plot.bin', bytes: new Uint8Array([0, 1, 2, 255]) }];
    const out = writeSkillFolder({ source, files, skill: r.value });
    expect(out.map((f) => f.path)).toEqual(['quantum-vqe/SKILL.md', 'quantum-vqe/assets/plot.bin']);
    const text = new TextDecoder().decode(out[0]!.bytes);
    expect(text).toMatch(/^---\nname: quantum-vqe\ndescription: /);
    expect(text).toContain('  llmunix-skill_id: quantum-vqe');
    const back = readSkillFolder(out);
    expect(back.skills.map((s) => [s.skillId, s.skill.frontmatter, s.files])).toEqual([['quantum-vqe', r.value.frontmatter, files]]);
  });
});

describe('readSkillFolder', () => {
  const md = (head: string) => new TextEncoder().encode(`---\n${head}\n---\n\n# Body\n`);

  it('gives a nested SKILL.md its own skill, skips OS files, and refuses a second skill with the same id', () => {
    const read = readSkillFolder([
      { path: 'outer/SKILL.md', bytes: md('name: outer\ndescription: Outer.') },
      { path: 'outer/notes.txt', bytes: new Uint8Array([1]) },
      { path: 'outer/inner/SKILL.md', bytes: md('name: inner\ndescription: Inner.') },
      { path: 'outer/inner/data.csv', bytes: new Uint8Array([2]) },
      { path: '__MACOSX/outer/._SKILL.md', bytes: new Uint8Array([0]) },
      { path: 'copy/outer.md', bytes: md('name: Outer again\nskill_id: outer') },
    ]);
    expect(read.skills.map((s) => [s.origin, s.skillId, s.files.map((f) => f.path)])).toEqual([
      ['outer/SKILL.md', 'outer', ['notes.txt']],
      ['outer/inner/SKILL.md', 'inner', ['data.csv']],
    ]);
    expect(read.skipped.map((s) => s.path)).toEqual(['__MACOSX/outer/._SKILL.md']);
    expect(read.refused).toEqual([{ origin: 'copy/outer.md', errors: [expect.objectContaining({ message: expect.stringContaining('already used by outer/SKILL.md') })] }]);
  });

  it('refuses a SKILL.md that is not UTF-8, and a folder whose files break the limits, naming the file', () => {
    const read = readSkillFolder([
      { path: 'latin/SKILL.md', bytes: new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0xe9, 0x0a]) },
      { path: 'big/SKILL.md', bytes: md('name: big\ndescription: Big.') },
      { path: 'big/../../escape', bytes: new Uint8Array([1]) },
    ]);
    expect(read.refused.map((r) => [r.origin, r.errors.map((e) => e.message)])).toEqual([
      ['latin/SKILL.md', ['the file is not UTF-8 text; save it as UTF-8']],
      ['big/SKILL.md', [expect.stringContaining('no "..")')]],
    ]);
  });
});

describe('unzipSkillArchive', () => {
  it('reads back what zipSkillFiles wrote, with non-ASCII names', () => {
    const files = [{ path: 'ré/SKILL.md', bytes: new TextEncoder().encode('---\nname: ré\n---\n') }];
    expect(unzipSkillArchive(zipSkillFiles(files))).toEqual({ ok: true, value: files });
  });

  it('refuses what is not a zip, saying what to do', () => {
    const r = unzipSkillArchive(new TextEncoder().encode('just text'));
    expect(r.ok ? '' : r.error).toMatch(/^The file is not a zip archive that can be read .*export the skill folder again as \.zip\.$/);
  });

  it('refuses an archive with a file that expands past the per-file limit, before expanding it', () => {
    const zip = zipSync({ 'a/SKILL.md': new Uint8Array(10), 'a/huge.bin': new Uint8Array(MAX_SKILL_FILE_BYTES + 1) }, { level: 9 });
    expect(zip.byteLength).toBeLessThan(64 * 1024);
    const r = unzipSkillArchive(zip);
    expect(r.ok ? '' : r.error).toBe('The archive was not read: "a/huge.bin" expands to more than 5 MiB, the most a skill\'s file may hold.');
  });
});

describe('saveFolderSkill and storedSkill', () => {
  const files = (...paths: string[]) => paths.map((path, i) => ({ path, bytes: new Uint8Array([i]) }));

  it('saves a folder skill whole and gives it back for export; saving again replaces its files', () => {
    const doc = new Y.Doc();
    const first = readSkillFolder([{ path: 'tool/SKILL.md', bytes: new TextEncoder().encode('---\nname: tool\ndescription: T.\n---\n') }, ...files('tool/a.txt', 'tool/b.txt')]).skills[0]!;
    expect(saveFolderSkill(doc, first)).toEqual({ ok: true, value: undefined });
    const stored = storedSkill(doc, 'tool');
    expect(stored?.ok && [stored.value.origin, stored.value.files.map((f) => f.path), stored.value.skill.kind]).toEqual(['tool/SKILL.md', ['a.txt', 'b.txt'], 'instruction']);
    expect(saveFolderSkill(doc, { ...first, files: files('c.txt') }).ok).toBe(true);
    expect(listSkillFiles(doc, 'tool').map((f) => f.path)).toEqual(['c.txt']);
    expect(storedSkill(doc, 'missing')).toBeUndefined();
  });

  it('writes nothing when a file is refused', () => {
    const doc = new Y.Doc();
    const skill = readSkillFolder([{ path: 'x.md', bytes: new TextEncoder().encode('---\nname: X\n---\n') }]).skills[0]!;
    const r = saveFolderSkill(doc, { ...skill, files: files('../bad') });
    expect(r.ok ? [] : r.error.map((e) => e.code)).toEqual(['bad_path']);
    expect(getSkillSource(doc, 'x')).toBeUndefined();
  });
});
