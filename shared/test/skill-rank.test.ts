// Skill ranking (shared/src/skill/rank.ts): BM25 over name, tags, description and body, shared by
// the chat's prompt and the canvas's node search.
import { describe, expect, it } from 'vitest';
import { indexSkills, rankIndexed, rankSkills, tokenize } from '../src/skill/rank';

const skill = (skillId: string, fields: Partial<{ name: string; description: string; topics: string; body: string }>) => ({
  skillId,
  name: fields.name ?? skillId,
  description: fields.description ?? '',
  topics: fields.topics ?? '',
  body: fields.body ?? '',
});

const docs = [
  skill('plotter', { name: 'Plot', description: 'Draws a chart of values', body: 'svg path' }),
  skill('spice', { name: 'Resistor circuit', topics: 'electronics spice', description: 'A voltage divider', body: 'plot the voltage' }),
  skill('vqe', { name: 'VQE', topics: 'quantum chemistry', description: 'Finds a ground state energy', body: 'energy energy energy' }),
];

describe('rankSkills', () => {
  it('stems words and drops stop words', () => {
    expect(tokenize('The plotting of Charts, and energies')).toEqual(['plott', 'chart', 'energi']);
  });

  it('a word in a name outranks the same word in a body, and unrelated skills are left out', () => {
    expect(rankSkills('plot', docs).map((r) => r.doc.skillId)).toEqual(['plotter', 'spice']);
    expect(rankSkills('ground state energy', docs).map((r) => r.doc.skillId)).toEqual(['vqe']);
    expect(rankSkills('the of and', docs)).toEqual([]);
  });

  it('an index built once ranks as ranking from scratch does', () => {
    const index = indexSkills(docs);
    for (const text of ['plot', 'voltage chart', 'quantum energy', 'nothing']) expect(rankIndexed(index, text)).toEqual(rankSkills(text, docs));
  });
});
