// The canvas's node search (web/src/canvas/skill-query.ts, skill-search.ts): the query's filters,
// ranking the system skills as the chat does, and a dragged port's need; the keyboard's map and
// its spatial selection (canvas-keys.ts, nearest-node.ts).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSkill } from '../../shared/src/skill/parse';
import { canvasAction } from '../src/canvas/canvas-keys';
import { nearestNode } from '../src/canvas/nearest-node';
import { parseSkillQuery } from '../src/canvas/skill-query';
import { portsFitting, searchIndex, searchSkills } from '../src/canvas/skill-search';
import type { CatalogEntry } from '../src/documents/catalog';
import type { VolumeRef } from '../src/documents/identity';

const SKILLS = path.join(__dirname, '../../skills');

function entry(skillId: string, source: string, volume: VolumeRef): CatalogEntry {
  const read = readSkill(source, { file: `${skillId}.md`, skillId });
  if (!read.ok) throw new Error(read.error.map((e) => e.message).join('; '));
  return { skillId, volume, source, skill: read.value, errors: [] };
}

const system: VolumeRef = { volume: 'system', volumeId: 'default' };
const user: VolumeRef = { volume: 'user', volumeId: 'default' };
const systemEntries = fs
  .readdirSync(SKILLS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => entry(f.replace(/\.md$/, ''), fs.readFileSync(path.join(SKILLS, f), 'utf8'), system));

const INSTRUCTIONS = '---\nname: Write Reports\nskill_id: write-reports\ndescription: How to write a quantum report\n---\n\nAlways plot the convergence.\n';
const MINE = fs.readFileSync(path.join(SKILLS, 'export-results.md'), 'utf8').replace('skill_id: export-results', 'skill_id: my-export').replace('name: Export Results', 'name: My Export');
// The user's own copy of a system skill shadows it, as a node's skillId resolves.
const SHADOW = fs.readFileSync(path.join(SKILLS, 'plot-convergence.md'), 'utf8').replace('name: Plot Convergence', 'name: My Plot');
const entries = [entry('my-export', MINE, user), entry('plot-convergence', SHADOW, user), entry('write-reports', INSTRUCTIONS, user), ...systemEntries];
const index = searchIndex(entries);
const ids = (text: string) => searchSkills(index, parseSkillQuery(text).query).map((s) => s.skillId);

describe('parseSkillQuery', () => {
  it('splits filters from words, in any order and case', () => {
    expect(parseSkillQuery('ground state IN:object type:Python vol:system out:number')).toEqual({
      query: { words: 'ground state', inputs: ['object'], outputs: ['number'], runtimes: ['python'], volumes: ['system'] },
      problems: [],
    });
  });

  it('says what a filter value should be', () => {
    const { query, problems } = parseSkillQuery('plot in:arr type: vol:mine');
    expect(query).toEqual({ words: 'plot', inputs: [], outputs: [], runtimes: [], volumes: [] });
    expect(problems).toEqual([
      '"arr" is not a port type: write in: with one of number, integer, string, boolean, object, array, any.',
      '"type:" needs a skill type: write type: with one of python, javascript, threejs, ngspice, webgpu, compound.',
      '"mine" is not a volume: write vol: with one of system, team, user.',
    ]);
  });

  it('keeps other words with a colon as words', () => {
    expect(parseSkillQuery('v(out) note:this http://x').query.words).toBe('v(out) note:this http://x');
  });
});

describe('searchSkills', () => {
  it('an empty query lists every runnable and compound skill by name, each id once, instruction skills left out', () => {
    const all = searchSkills(index, parseSkillQuery('').query);
    expect(all.map((s) => s.name)).toEqual([...all.map((s) => s.name)].sort((a, b) => a.localeCompare(b)));
    expect(all.map((s) => s.skillId)).not.toContain('write-reports');
    expect(all.filter((s) => s.skillId === 'plot-convergence').map((s) => [s.name, s.volume])).toEqual([['My Plot', 'user']]);
    expect(all).toHaveLength(systemEntries.length + 1);
  });

  it('ranks words as the chat does: a ground-state question finds the VQE first', () => {
    expect(ids('variational ground state energy')[0]).toBe('quantum-vqe');
    expect(ids('voltage divider')[0]).toBe('spice-resistor');
    expect(ids('zzzz qqqq')).toEqual([]);
  });

  it('filters by input and output port types, runtime and volume, with words or without', () => {
    expect(ids('in:array').sort()).toEqual(['gpu-heat', 'gpu-matmul', 'gpu-nbody', 'plot-convergence', 'quantum-circuit', 'quantum-vqe', 'sample-weather-data', 'table-group-summary', 'threejs-points']);
    expect(ids('in:any').sort()).toEqual(['export-results', 'my-export']);
    expect(ids('out:boolean')).toEqual(['quantum-vqe']);
    expect(ids('type:ngspice').sort()).toEqual(['spice-diode-iv', 'spice-resistor']);
    expect(ids('type:compound')).toEqual(['weather-summary-csv']);
    expect(ids('weather summary csv type:compound out:string')).toEqual(['weather-summary-csv']);
    expect(ids('type:compound in:array')).toEqual([]);
    expect(ids('vol:user').sort()).toEqual(['my-export', 'plot-convergence']);
    expect(ids('quantum type:python out:number')).toEqual(ids('quantum type:python').filter((id) => ['quantum-hamiltonian', 'quantum-vqe'].includes(id)));
    expect(ids('quantum type:javascript')).toEqual(['plot-bars']);
  });

  it('a port dragged from narrows the list to skills with a port that fits it', () => {
    const fromArray = searchSkills(index, parseSkillQuery('').query, { side: 'input', type: 'array' }).map((s) => s.skillId).sort();
    // `any` takes everything; nothing but array (or any) takes an array.
    expect(fromArray).toEqual(['export-results', 'gpu-heat', 'gpu-matmul', 'gpu-nbody', 'my-export', 'plot-convergence', 'quantum-circuit', 'quantum-vqe', 'sample-weather-data', 'table-group-summary', 'threejs-points']);
    const plot = index.docs.find((s) => s.skillId === 'plot-convergence')!.frontmatter;
    // An integer feeds a number input; the plot's numbers are `reference` only.
    expect(portsFitting(plot, { side: 'input', type: 'integer' }).map((p) => p.name)).toEqual(['reference']);
    // Feeding an `object` input: outputs of type object (or any).
    expect(portsFitting(plot, { side: 'output', type: 'object' }).map((p) => p.name)).toEqual(['chart']);
    const feedsHamiltonian = searchSkills(index, parseSkillQuery('hamiltonian').query, { side: 'output', type: 'object' }).map((s) => s.skillId);
    expect(feedsHamiltonian[0]).toBe('quantum-hamiltonian');
    expect(feedsHamiltonian).not.toContain('spice-resistor');
  });
});

describe('canvas keys', () => {
  const key = (k: string, mods: Partial<Record<'ctrlKey' | 'shiftKey' | 'metaKey' | 'altKey', boolean>> = {}) =>
    canvasAction({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

  it('maps each shortcut to its action, and leaves other keys alone', () => {
    expect(key('/')).toEqual({ kind: 'search' });
    expect(key('?', { shiftKey: true })).toEqual({ kind: 'shortcuts' });
    expect(key('Enter', { ctrlKey: true })).toEqual({ kind: 'run-workflow' });
    expect(key('Enter', { shiftKey: true })).toEqual({ kind: 'run-selected' });
    // Enter opens the selected compound node (web/src/compound); Escape goes back out of one.
    expect(key('Enter')).toEqual({ kind: 'open-compound' });
    expect(key('Escape')).toEqual({ kind: 'leave-compound' });
    expect(key('F2')).toEqual({ kind: 'rename' });
    expect(key('c')).toEqual({ kind: 'connect' });
    expect(key('c', { ctrlKey: true })).toEqual({ kind: 'copy' });
    expect(key('Z', { ctrlKey: true, shiftKey: true })).toEqual({ kind: 'redo' });
    expect(key('ArrowLeft')).toEqual({ kind: 'select-toward', direction: 'left' });
    expect(key('ArrowDown', { shiftKey: true })).toEqual({ kind: 'move', direction: 'down' });
    expect(key('n')).toEqual({ kind: 'note' });
    expect(key('n', { ctrlKey: true })).toBeUndefined();
    // Alt+arrows are the browser's history.
    expect(key('ArrowLeft', { altKey: true })).toBeUndefined();
  });

  it('an arrow selects the nearest node that way, preferring one straight ahead', () => {
    const at = (id: string, x: number, y: number) => ({ id, position: { x, y } });
    const nodes = [at('a', 0, 0), at('b', 400, 0), at('c', 250, 200), at('d', 0, 300)];
    expect(nearestNode(nodes, undefined, 'right')).toBe('a');
    expect(nearestNode(nodes, nodes[0], 'right')).toBe('b');
    expect(nearestNode(nodes, nodes[0], 'down')).toBe('d');
    expect(nearestNode(nodes, nodes[1], 'left')).toBe('a');
    expect(nearestNode(nodes, nodes[0], 'up')).toBeUndefined();
  });
});
