/*
 * Agent Skills export and import of compound skills (shared/src/skill/compound-folder.ts, folder.ts):
 * a compound skill's folder carries the skills its inner nodes use (nested compounds' too) as
 * `skills/<skill-id>/SKILL.md` folders with their list in `skills/README.md`; reading the folder back
 * gives the compound, each carried skill (marked as carried) with its files, and leaves the list out.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SkillFile } from '../src/documents/skill-files';
import { err, ok } from '../src/result';
import { unzipSkillArchive, zipSkillFiles } from '../src/skill/archive';
import { buildCompoundMarkdown } from '../src/skill/compound';
import { skillsNeeded, writeSkillFolderWithInner, type StoredLookup } from '../src/skill/compound-folder';
import { readSkillFolder, type StoredSkill } from '../src/skill/folder';
import { readSkill } from '../src/skill/parse';

const SKILLS = path.resolve(import.meta.dirname, '../../skills');
const CHART_MAKER = path.resolve(import.meta.dirname, 'fixtures/skills/agent/chart-maker');

/** A skill as a volume stores it: its id is its key there (storedSkill reads it so). */
function stored(skillId: string, source: string, extra: Partial<StoredSkill> = {}): StoredSkill {
  const read = readSkill(source, { file: `${skillId}.md`, skillId });
  if (!read.ok) throw new Error(read.error.map((e) => e.message).join('; '));
  return { source, files: [], skill: read.value, ...extra };
}

const system = new Map(
  readdirSync(SKILLS)
    .filter((f) => f.endsWith('.md'))
    .map((f) => [f.replace(/\.md$/, ''), stored(f.replace(/\.md$/, ''), readFileSync(path.join(SKILLS, f), 'utf8'))]),
);

/** chart-maker as imported: its SKILL.md at its origin, its files beside it. */
const chartFiles: SkillFile[] = ['references/notes.md', 'assets/logo.png', 'scripts/summarise.py'].map((p) => ({ path: p, bytes: new Uint8Array(readFileSync(path.join(CHART_MAKER, p))) }));
const chartMaker = stored('chart-maker', readFileSync(path.join(CHART_MAKER, 'SKILL.md'), 'utf8'), { origin: 'chart-maker/SKILL.md', files: chartFiles });

// A compound holding the system compound skill and an imported skill: nesting, and files.
const outerSource = buildCompoundMarkdown({
  name: 'Weather and Chart',
  skillId: 'weather-and-chart',
  inputs: [],
  outputs: [{ name: 'content', type: 'string' }],
  inside: {
    nodes: [
      { id: 'w', skillId: 'weather-summary-csv', label: '', position: { x: 0, y: 0 }, inputs: {} },
      { id: 'c', skillId: 'chart-maker', label: '', position: { x: 0, y: 200 }, inputs: {} },
    ],
    edges: [],
    inputs: [],
    outputs: [{ name: 'content', node: 'w', port: 'content' }],
  },
});
const outer = stored('weather-and-chart', outerSource, { origin: 'weather-and-chart/SKILL.md', files: [{ path: 'references/why.md', bytes: new TextEncoder().encode('# Why\n') }] });

const lookup: StoredLookup = (id) => {
  const found = id === 'chart-maker' ? chartMaker : system.get(id);
  return found && ok(found);
};
const sorted = (files: SkillFile[]) => [...files].sort((a, b) => a.path.localeCompare(b.path));
const roundTrip = (files: SkillFile[]) => {
  const back = unzipSkillArchive(zipSkillFiles(files));
  if (!back.ok) throw new Error(back.error);
  return readSkillFolder(back.value);
};

describe('a compound skill’s folder', () => {
  it('carries the skills its inner nodes use, each as an Agent Skills folder, with their list', () => {
    const written = writeSkillFolderWithInner(system.get('weather-summary-csv')!, lookup);
    if (!written.ok) throw new Error(written.error);
    expect(written.value.map((f) => f.path)).toEqual([
      'weather-summary-csv/SKILL.md',
      'weather-summary-csv/skills/sample-weather-data/SKILL.md',
      'weather-summary-csv/skills/table-group-summary/SKILL.md',
      'weather-summary-csv/skills/export-results/SKILL.md',
      'weather-summary-csv/skills/README.md',
    ]);
    const list = new TextDecoder().decode(written.value.at(-1)!.bytes);
    expect(list).toContain('| sample-weather-data | Sample Weather Readings | javascript | skills/sample-weather-data/SKILL.md |');
    expect(list).toContain('| export-results | Export Results | javascript | skills/export-results/SKILL.md |');

    const back = roundTrip(written.value);
    expect(back.refused).toEqual([]);
    expect(back.skills.map((s) => [s.skillId, s.carriedBy, s.files.length])).toEqual([
      ['weather-summary-csv', undefined, 0],
      ['sample-weather-data', 'weather-summary-csv', 0],
      ['table-group-summary', 'weather-summary-csv', 0],
      ['export-results', 'weather-summary-csv', 0],
    ]);
    for (const s of back.skills) expect(s.skill.frontmatter, s.skillId).toEqual(system.get(s.skillId)!.skill.frontmatter);
    expect(back.skipped.map((s) => s.path)).toEqual(['weather-summary-csv/skills/README.md']);
  });

  it('carries nested compound skills’ inner skills too, and imported ones with their files; reads back and exports the same again', () => {
    const written = writeSkillFolderWithInner(outer, lookup);
    if (!written.ok) throw new Error(written.error);
    const back = roundTrip(written.value);
    expect(back.refused).toEqual([]);
    expect(back.skills.map((s) => [s.skillId, s.carriedBy ?? null])).toEqual([
      ['weather-and-chart', null],
      ['weather-summary-csv', 'weather-and-chart'],
      ['sample-weather-data', 'weather-and-chart'],
      ['table-group-summary', 'weather-and-chart'],
      ['export-results', 'weather-and-chart'],
      ['chart-maker', 'weather-and-chart'],
    ]);
    const [top] = back.skills;
    expect(top?.files.map((f) => f.path)).toEqual(['references/why.md']);
    const chart = back.skills.find((s) => s.skillId === 'chart-maker')!;
    expect(sorted(chart.files)).toEqual(sorted(chartFiles));
    expect(chart.source).toBe(chartMaker.source);
    expect(chart.origin).toBe('weather-and-chart/skills/chart-maker/SKILL.md');

    // Stored as imported (origin and files), the compound exports to the very same files.
    const asImported: StoredSkill = { source: top!.source, files: top!.files, origin: top!.origin, skill: top!.skill };
    const again = writeSkillFolderWithInner(asImported, lookup);
    if (!again.ok) throw new Error(again.error);
    expect(sorted(again.value)).toEqual(sorted(written.value));
  });

  it('lists what it needs once each, in first-use order, and names what is missing or broken', () => {
    const needed = skillsNeeded(outer, lookup);
    expect(needed.found.map((s) => s.skill.frontmatter.skill_id)).toEqual(['weather-summary-csv', 'sample-weather-data', 'table-group-summary', 'export-results', 'chart-maker']);
    expect(writeSkillFolderWithInner(outer, (id) => (id === 'chart-maker' ? undefined : lookup(id)))).toEqual({
      ok: false,
      error: '"weather-and-chart" uses "chart-maker", which none of your volumes has: import or make it first, or take the node out of the compound skill',
    });
    const broken = writeSkillFolderWithInner(outer, (id) => (id === 'export-results' ? err([{ file: 'export-results.md', line: 3, message: 'bad' }]) : lookup(id)));
    expect(broken).toEqual({ ok: false, error: '"weather-and-chart" uses "export-results", whose file has errors: fix it first' });
  });

  it('is a plain skill folder for a skill that is not compound', () => {
    const written = writeSkillFolderWithInner(chartMaker, () => undefined);
    expect(written.ok && written.value.map((f) => f.path).sort()).toEqual(['chart-maker/SKILL.md', ...chartFiles.map((f) => `chart-maker/${f.path}`)].sort());
  });
});
