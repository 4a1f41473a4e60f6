import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSkill } from '../../shared/src/skill/parse';
import type { CatalogEntry } from '../src/documents/catalog';
import { BROKEN_GROUP, errorText, groupByCategory, LOADING_GROUP, portLabel, searchSkills } from '../src/panels/skill-library';

const SKILLS = path.resolve(import.meta.dirname, '../../skills');
const system = { volume: 'system' as const, volumeId: 'system' };
const user = { volume: 'user' as const, volumeId: 'default' };

function entry(skillId: string, source: string, volume: CatalogEntry['volume'] = system): CatalogEntry {
  const parsed = readSkill(source, { file: `volumes/${volume.volume}/${volume.volumeId}/skills/${skillId}.md` });
  return { skillId, volume, source, skill: parsed.ok ? parsed.value : null, errors: parsed.ok ? [] : parsed.error };
}

const systemEntries = fs
  .readdirSync(SKILLS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => entry(f.replace(/\.md$/, ''), fs.readFileSync(path.join(SKILLS, f), 'utf8')));
const broken = entry('half-done', '---\nname: Half done\nskill_id: half-done\ntype: pascal\n---\n', user);
const loading: CatalogEntry = { skillId: 'not-parsed-yet', volume: user, source: '', skill: null, errors: [] };
const all = [...systemEntries, broken, loading];

const ids = (entries: CatalogEntry[]) => entries.map((e) => e.skillId);

describe('searchSkills', () => {
  it('finds skills by name, id, description and tags, ignoring case', () => {
    // The compound skill that chains Export Results names it in its description.
    expect(ids(searchSkills(all, 'Export Results'))).toEqual(['export-results', 'weather-summary-csv']);
    expect(ids(searchSkills(all, 'spice-resistor'))).toEqual(['spice-resistor']);
    expect(ids(searchSkills(all, 'RFC 4180'))).toEqual(['export-results']);
    expect(ids(searchSkills(all, 'csv'))).toContain('export-results');
  });

  it('needs every word to match', () => {
    expect(searchSkills(all, 'quantum').length).toBeGreaterThan(1);
    expect(ids(searchSkills(all, 'quantum-vqe'))).toEqual(['quantum-vqe']);
    expect(ids(searchSkills(all, 'csv'))).toContain('export-results');
    expect(searchSkills(all, 'quantum csv')).toEqual([]);
    expect(searchSkills(all, 'quantum zzz-nothing')).toEqual([]);
  });

  it('finds broken skills by their id', () => {
    expect(ids(searchSkills(all, 'half'))).toEqual(['half-done']);
  });

  it('returns everything for an empty query', () => {
    expect(searchSkills(all, '  ')).toHaveLength(all.length);
  });
});

describe('groupByCategory', () => {
  it('groups by category: broken first, then categories alphabetically, loading last; names sorted', () => {
    const groups = groupByCategory(all);
    expect(groups.map((g) => g.category)).toEqual([BROKEN_GROUP, '3d', 'code', 'compute', 'data', 'electronics', 'quantum', LOADING_GROUP]);
    const quantum = groups.find((g) => g.category === 'quantum')!;
    const names = quantum.entries.map((e) => e.skill!.frontmatter.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(groups[0]!.entries).toEqual([broken]);
  });

  it('has no groups for no skills', () => {
    expect(groupByCategory([])).toEqual([]);
  });
});

describe('instruction skills', () => {
  const source = fs.readFileSync(path.resolve(import.meta.dirname, '../../shared/test/fixtures/skills/original/python-coding.md'), 'utf8');
  const read = readSkill(source, { file: 'volumes/user/default/skills/python-coding.md', skillId: 'python-coding' });
  const instruction: CatalogEntry = { skillId: 'python-coding', volume: user, source, skill: read.ok ? read.value : null, errors: read.ok ? [] : read.error };

  it('are found by their keywords and listed in their category, not as broken', () => {
    expect(instruction.skill?.kind).toBe('instruction');
    expect(ids(searchSkills([...all, instruction], 'clean code'))).toEqual(['python-coding']);
    const groups = groupByCategory([...systemEntries, instruction]);
    expect(groups.find((g) => g.category === 'coding')?.entries.map((e) => e.skillId)).toEqual(['python-coding']);
    expect(groups.map((g) => g.category)).not.toContain(BROKEN_GROUP);
  });
});

describe('labels', () => {
  it('writes ports as name: type', () => {
    expect(portLabel({ name: 'bond_length', type: 'number' })).toBe('bond_length: number');
  });

  it('writes errors as parseSkill’s formatSkillError does', async () => {
    const { formatSkillError } = await import('../../shared/src/skill/parse');
    expect(broken.errors.length).toBeGreaterThan(0);
    for (const e of broken.errors) expect(errorText(e)).toBe(formatSkillError(e));
    const bodyError = { file: 'f.md', line: 3, message: 'no code' };
    expect(errorText(bodyError)).toBe(formatSkillError(bodyError));
  });
});
