// An accepted suggestion's file: renamed and described as the person (or the assistant) chose,
// its inside and provenance kept, read back by the skill reader as the same compound; and how the
// assistant's naming answer is read.
import { describe, expect, it } from 'vitest';
import type { RunTrace } from '../../shared/src/execution/types';
import { minePatterns } from '../../shared/src/evolution/mine';
import { suggestionOf, type SkillInfo } from '../../shared/src/evolution/suggest';
import { readSkill } from '../../shared/src/skill/parse';
import { readAnswer } from '../src/evolution/assistant-name';
import { compoundFileOf } from '../src/evolution/compound-file';
import { chainRun } from './evolution-runs';

const NOW = '2026-12-07T00:00:00.000Z';
const LIBRARY: Record<string, SkillInfo> = {
  'py-square': { name: 'Square', inputs: [{ name: 'x', type: 'number', default: 3 }], outputs: [{ name: 'y', type: 'number' }] },
  'js-offset': { name: 'Offset', inputs: [{ name: 'y', type: 'number', required: true }], outputs: [{ name: 'z', type: 'number' }] },
};
const run = (n: number): RunTrace => chainRun(`r${n}`, 'Squares', new Date(Date.parse(NOW) - n * 3_600_000).toISOString(), ['py-square', 'js-offset'], [['y', 'y']]);
const suggestion = suggestionOf(minePatterns([run(1), run(2), run(3)], { now: NOW }).patterns[0]!, { skill: (id) => LIBRARY[id], windowDays: 7, minedAt: NOW });

const compound = (markdown: string, skillId: string) => {
  const read = readSkill(markdown, { skillId });
  if (!read.ok || read.value.kind !== 'compound') throw new Error(`not a compound skill: ${JSON.stringify(read)}`);
  return read.value;
};

describe('an accepted suggestion’s file', () => {
  it('takes the chosen name and description, and keeps the inside, ports and provenance', () => {
    const file = compoundFileOf(suggestion, '  Squared offset ', 'Squares, then offsets.', new Set());
    expect(file.skillId).toBe(suggestion.skill_id);
    const saved = compound(file.markdown, file.skillId);
    const offered = compound(suggestion.markdown, suggestion.skill_id);
    expect(saved.frontmatter.name).toBe('Squared offset');
    expect(saved.frontmatter.description).toBe('Squares, then offsets.');
    expect(saved.inside).toEqual(offered.inside);
    expect(saved.frontmatter.inputs).toEqual(offered.frontmatter.inputs);
    expect(saved.frontmatter.outputs).toEqual(offered.frontmatter.outputs);
    expect(saved.frontmatter.derived_from).toEqual({ skills: ['py-square', 'js-offset'], support: 3, window_days: 7, mined_at: NOW });
  });

  it('keeps the suggested name and description when none is given, and takes a free id', () => {
    const file = compoundFileOf(suggestion, ' ', undefined, new Set([suggestion.skill_id, `${suggestion.skill_id}-2`]));
    expect(file.skillId).toBe(`${suggestion.skill_id}-3`);
    const saved = compound(file.markdown, file.skillId);
    expect(saved.frontmatter.name).toBe('Square → Offset');
    expect(saved.frontmatter.skill_id).toBe(file.skillId);
    expect(saved.frontmatter.description).toMatch(/^Mined from 3 runs in "Squares"/);
  });
});

describe('the assistant’s naming answer', () => {
  it('reads the JSON object in the answer, prose or fence around it', () => {
    expect(readAnswer('Here you go:\n```json\n{"name": " Squared Offset ", "description": "Squares and offsets."}\n```')).toEqual({ name: 'Squared Offset', description: 'Squares and offsets.' });
    expect(readAnswer('{"name": "Only a name"}')).toEqual({ name: 'Only a name', description: '' });
  });

  it('refuses an answer without a name, saying what to do', () => {
    for (const text of ['I would call it Squared Offset.', '{"name": ""}', '{"description": "no name"}', '{not json}']) {
      expect(() => readAnswer(text)).toThrow(/did not answer with a name; type one, or ask again/);
    }
  });
});
