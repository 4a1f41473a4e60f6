// The library's import logic in Node: which skills a drop or a zip brings in, with their kinds,
// files, warnings and refusals; keeping both copies under a new id; saving in one transaction.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readSkillFiles, getSkillOrigin, listSkillFiles, type SkillFile } from '../../shared/src/documents/skill-files';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { unzipSkillArchive, zipSkillFiles } from '../../shared/src/skill/archive';
import { readSkill } from '../../shared/src/skill/parse';
import { storedSkill } from '../../shared/src/skill/stored-skill';
import type { CatalogEntry } from '../src/documents/catalog';
import { exportSkillZip } from '../src/panels/skill-export';
import { carriedPresent, previewImport, refusalText, renamedSkill, saveImported, skillsToSave } from '../src/panels/skill-import';

const FIXTURES = path.resolve(import.meta.dirname, '../../shared/test/fixtures/skills');

/** Every file under `dir`, with paths relative to `base`, as a folder drop gives them. */
function filesUnder(dir: string, base = path.dirname(dir)): SkillFile[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((d) => {
    if (!d.isFile()) return [];
    const full = path.join(d.parentPath, d.name);
    return [{ path: path.relative(base, full).split(path.sep).join('/'), bytes: new Uint8Array(fs.readFileSync(full)) }];
  });
}

describe('previewImport', () => {
  it('reads a dropped folder of folders: every skill with its kind, files and warnings', () => {
    const preview = previewImport(filesUnder(path.join(FIXTURES, 'agent')));
    const ids = preview.skills.map((s) => s.skillId).sort();
    expect(ids).toContain('chart-maker');
    expect(ids).toContain('brand-guidelines');
    expect(preview.refused).toEqual([]);
    const chart = preview.skills.find((s) => s.skillId === 'chart-maker');
    expect(chart?.skill.kind).toBe('runnable');
    expect(chart?.origin).toBe('agent/chart-maker/SKILL.md');
    expect(chart?.files.map((f) => f.path).sort()).toEqual(['assets/logo.png', 'references/notes.md', 'scripts/summarise.py']);
    expect(preview.skills.find((s) => s.skillId === 'brand-guidelines')?.skill.kind).toBe('instruction');
    const crlf = preview.skills.find((s) => s.skillId === 'crlf-lines');
    expect(crlf?.warnings.length).toBeGreaterThan(0);
  });

  it('reads archives on their own and says which one cannot be opened', () => {
    const zip = zipSkillFiles(filesUnder(path.join(FIXTURES, 'agent', 'chart-maker')));
    const preview = previewImport([
      { path: 'bundle.zip', bytes: zip },
      { path: 'broken.skill', bytes: new TextEncoder().encode('not a zip') },
      ...filesUnder(path.join(FIXTURES, 'original')).filter((f) => f.path.endsWith('python-coding.md')),
    ]);
    expect(preview.skills.map((s) => [s.skillId, s.skill.kind])).toEqual([
      ['python-coding', 'instruction'],
      ['chart-maker', 'runnable'],
    ]);
    expect(preview.unreadable).toEqual([{ path: 'broken.skill', reason: expect.stringContaining('not a zip archive') as string }]);
  });

  it('refuses the second skill with an id already brought in, and a broken file at its line and field', () => {
    const chart = filesUnder(path.join(FIXTURES, 'agent', 'chart-maker'));
    const broken = { path: 'odd.md', bytes: new TextEncoder().encode('---\nname: Odd\ntype: pascal\n---\n') };
    const preview = previewImport([...chart, broken, { path: 'again.zip', bytes: zipSkillFiles(chart) }]);
    expect(preview.skills.map((s) => s.skillId)).toEqual(['chart-maker']);
    const texts = preview.refused.flatMap((r) => r.errors.map(refusalText));
    expect(texts).toContain('odd.md:3: type: unknown type "pascal"; use one of python, javascript, threejs, ngspice, qiskit, webgpu, python-wasm, spice, instruction, compound, or leave it out to take it from the code block');
    expect(texts.some((t) => t.includes('already used by chart-maker/SKILL.md'))).toBe(true);
  });
});

describe('a single SKILL.md', () => {
  it('is a skill of its own, its id from its name', () => {
    const text = '---\nname: pdf-reader\ndescription: Reads PDFs.\n---\nRead the file.\n';
    const preview = previewImport([{ path: 'SKILL.md', bytes: new TextEncoder().encode(text) }]);
    expect(preview.skills.map((s) => [s.skillId, s.origin, s.skill.kind, s.source])).toEqual([['pdf-reader', 'SKILL.md', 'instruction', text]]);
  });
});

describe('keeping both', () => {
  const source = '---\nname: Twice\nskill_id: twice\ndescription: A skill kept twice.\n---\nskill_id: in the body stays\n';
  const skill = readSkill(source, { file: 'twice.md' });
  if (!skill.ok) throw new Error('fixture does not read');
  const folderSkill = { skillId: 'twice', origin: 'twice.md', source, skill: skill.value, files: [], warnings: [] };

  it('gives the copy the next free id, in its frontmatter only', () => {
    const saved = skillsToSave([folderSkill], new Set(['twice', 'twice-2']), new Map([['twice', 'keep-both']]));
    expect(saved.map((s) => s.skillId)).toEqual(['twice-3']);
    expect(saved[0]?.source).toBe('---\nname: Twice\nskill_id: twice-3\ndescription: A skill kept twice.\n---\nskill_id: in the body stays\n');
  });

  it('replaces when asked, and leaves out a skill whose conflict is undecided', () => {
    expect(skillsToSave([folderSkill], new Set(['twice']), new Map([['twice', 'replace']]))[0]?.source).toBe(source);
    expect(skillsToSave([folderSkill], new Set(['twice']), new Map())).toEqual([]);
    expect(skillsToSave([folderSkill], new Set(), new Map())).toEqual([folderSkill]);
  });

  it('leaves a file without a skill_id as it is: its key is its id', () => {
    const agent = { ...folderSkill, source: '---\nname: pdf\ndescription: Reads PDFs.\n---\nBody\n' };
    expect(renamedSkill(agent, 'pdf-2')).toEqual({ ...agent, skillId: 'pdf-2' });
  });
});

describe('saveImported', () => {
  it('writes every skill with its files and origin in the one transaction it is called in', () => {
    const doc = new Y.Doc();
    putSkillSource(doc, 'other', '---\nname: Other\n---\n');
    const preview = previewImport(filesUnder(path.join(FIXTURES, 'agent')));
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    doc.transact(() => saveImported(doc, preview.skills));
    expect(transactions).toBe(1);
    const chart = preview.skills.find((s) => s.skillId === 'chart-maker');
    expect(getSkillSource(doc, 'chart-maker')).toBe(chart?.source);
    expect(getSkillOrigin(doc, 'chart-maker')).toBe('agent/chart-maker/SKILL.md');
    expect(readSkillFiles(doc, 'chart-maker').map((f) => f.path)).toEqual(['assets/logo.png', 'references/notes.md', 'scripts/summarise.py']);
  });
});

describe('exportSkillZip', () => {
  const unzipped = (zip: Uint8Array) => {
    const files = unzipSkillArchive(zip);
    if (!files.ok) throw new Error(files.error);
    return files.value;
  };

  it('gives an imported skill back as it came, and a skill made here as an Agent Skills folder', () => {
    const doc = new Y.Doc();
    const preview = previewImport(filesUnder(path.join(FIXTURES, 'agent', 'chart-maker')));
    doc.transact(() => saveImported(doc, preview.skills));
    const back = exportSkillZip(doc, 'chart-maker', 'chart-maker.md', () => undefined);
    if (!back.ok) throw new Error(back.error);
    const fixture = filesUnder(path.join(FIXTURES, 'agent', 'chart-maker'));
    expect(unzipped(back.value).sort((a, b) => a.path.localeCompare(b.path))).toEqual(fixture.sort((a, b) => a.path.localeCompare(b.path)));

    putSkillSource(doc, 'double-it', fs.readFileSync(path.resolve(import.meta.dirname, '../../skills/export-results.md'), 'utf8').replace('skill_id: export-results', 'skill_id: double-it'));
    const made = exportSkillZip(doc, 'double-it', 'double-it.md', () => undefined);
    if (!made.ok) throw new Error(made.error);
    const [main, ...rest] = unzipped(made.value);
    expect(rest).toEqual([]);
    expect(main?.path).toMatch(/^[a-z0-9-]+\/SKILL\.md$/);
    const read = readSkill(new TextDecoder().decode(main?.bytes), { file: main?.path });
    expect(read.ok && read.value.frontmatter.skill_id).toBe('double-it');
  });

  it('says why a skill cannot be exported', () => {
    const doc = new Y.Doc();
    expect(exportSkillZip(doc, 'gone', 'gone.md', () => undefined)).toEqual({ ok: false, error: 'there is no skill "gone" here any more' });
    putSkillSource(doc, 'bad', '---\nname: Bad\ntype: pascal\n---\n');
    const bad = exportSkillZip(doc, 'bad', 'bad.md', () => undefined);
    expect(!bad.ok && bad.error).toContain('bad.md:3: type: unknown type');
  });
});

describe('a compound skill’s archive', () => {
  const SKILLS = path.resolve(import.meta.dirname, '../../skills');
  const systemDoc = new Y.Doc();
  for (const f of fs.readdirSync(SKILLS).filter((n) => n.endsWith('.md'))) putSkillSource(systemDoc, f.replace(/\.md$/, ''), fs.readFileSync(path.join(SKILLS, f), 'utf8'));
  const system = { volume: 'system' as const, volumeId: 'system' };
  const user = { volume: 'user' as const, volumeId: 'u1' };
  const entryOf = (skillId: string, source: string, volume: typeof system | typeof user): CatalogEntry => {
    const read = readSkill(source, { file: `${skillId}.md`, skillId });
    if (!read.ok) throw new Error(skillId);
    return { skillId, volume, source, skill: read.value, errors: [] };
  };

  it('exports with the skills it needs, and previews them as carried; those the library has elsewhere are left out, those the target has are conflicts', () => {
    const zip = exportSkillZip(systemDoc, 'weather-summary-csv', 'weather-summary-csv.md', (id) => storedSkill(systemDoc, id));
    if (!zip.ok) throw new Error(zip.error);
    const preview = previewImport([{ path: 'weather-summary-csv.zip', bytes: zip.value }]);
    expect(preview.refused).toEqual([]);
    expect(preview.skills.map((s) => [s.skillId, s.skill.kind, s.carriedBy ?? null])).toEqual([
      ['weather-summary-csv', 'compound', null],
      ['sample-weather-data', 'runnable', 'weather-summary-csv'],
      ['table-group-summary', 'runnable', 'weather-summary-csv'],
      ['export-results', 'runnable', 'weather-summary-csv'],
    ]);
    const inSystem = preview.skills.filter((s) => s.carriedBy).map((s) => entryOf(s.skillId, getSkillSource(systemDoc, s.skillId)!, system));
    const edited = entryOf('export-results', getSkillSource(systemDoc, 'export-results')!.replace('# Skill: Export Results', '# Skill: Export Results (mine)'), user);
    const present = carriedPresent(preview.skills, [edited, ...inSystem], user);
    // The target volume's own copy is a conflict the preview asks about, not left out.
    expect([...present.entries()]).toEqual([
      ['sample-weather-data', { volume: system, same: true }],
      ['table-group-summary', { volume: system, same: true }],
    ]);
    expect(carriedPresent(preview.skills, inSystem, { volume: 'team', volumeId: 't' }).get('export-results')).toEqual({ volume: system, same: true });
    // Saved into an empty volume, the compound and its carried skills read back as they were, the list left out.
    const doc = new Y.Doc();
    doc.transact(() => saveImported(doc, preview.skills));
    for (const s of preview.skills) {
      const back = storedSkill(doc, s.skillId);
      const original = storedSkill(systemDoc, s.skillId);
      if (!back?.ok || !original?.ok) throw new Error(`${s.skillId} does not read back`);
      expect(back.value.skill.frontmatter, s.skillId).toEqual(original.value.skill.frontmatter);
      expect(back.value.skill.body, s.skillId).toBe(original.value.skill.body);
    }
    expect(listSkillFiles(doc, 'weather-summary-csv')).toEqual([]);
  });
});
