// A mined pattern as a compound skill suggestion: its name, ports, evidence and file (in the
// format agreed for issue 16), read back with the skill reader's frontmatter splitter and YAML.
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { RunTrace } from '../src/execution/types';
import { compoundInsideKey } from '../src/evolution/library-compounds';
import { minePatterns } from '../src/evolution/mine';
import { suggestionOf, type SkillInfo } from '../src/evolution/suggest';
import { findCodeSection } from '../src/skill/code-block';
import { splitSkillText } from '../src/skill/frontmatter';
import { InputPortSchema, OutputPortSchema } from '../src/skill/schema';

const NOW = '2026-12-07T00:00:00.000Z';
const LIBRARY: Record<string, SkillInfo> = {
  'quantum-hamiltonian': {
    name: 'Hamiltonian Builder',
    inputs: [
      { name: 'bond_length', type: 'number', default: 0.74, description: 'Å' },
      { name: 'basis', type: 'string', default: 'sto-3g' },
    ],
    outputs: [
      { name: 'hamiltonian', type: 'object' },
      { name: 'num_qubits', type: 'integer' },
    ],
  },
  'quantum-vqe': {
    name: 'VQE Optimizer',
    inputs: [
      { name: 'hamiltonian', type: 'object', required: true },
      { name: 'max_iterations', type: 'integer', default: 100 },
    ],
    outputs: [
      { name: 'energy', type: 'number' },
      { name: 'history', type: 'array' },
    ],
  },
};

let n = 0;
const run = (workflow: string, hours: number): RunTrace => ({
  id: `run-${++n}`,
  workflow,
  startedAt: new Date(Date.parse(NOW) - hours * 3_600_000).toISOString(),
  durationMs: 10,
  status: 'done',
  nodes: [
    { id: 'ham', skillId: 'quantum-hamiltonian', status: 'done', durationMs: 5, cached: false },
    { id: 'vqe', skillId: 'quantum-vqe', status: 'cached', durationMs: 0, cached: true },
  ],
  edges: [{ source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' }],
});

const mined = () => minePatterns([run('H2', 30), run('H2', 5), run('LiH', 2)], { now: NOW });
const suggest = (skill: (id: string) => SkillInfo | undefined = (id) => LIBRARY[id]) => suggestionOf(mined().patterns[0]!, { skill, windowDays: 7, minedAt: NOW });

describe('suggestions', () => {
  it('names the compound from its parts in run order, with its ports and evidence', () => {
    const s = suggest();
    expect(s.name).toBe('Hamiltonian Builder → VQE Optimizer');
    expect(s.skills).toEqual(['quantum-hamiltonian', 'quantum-vqe']);
    expect(s.skill_id).toMatch(/^quantum-hamiltonian-quantum-vqe-[0-9a-z]{6}$/);
    expect(s.support).toBe(3);
    // Inputs: what no inner edge feeds, defaults kept; outputs: what no inner edge consumes.
    expect(s.inputs).toEqual([
      { name: 'bond_length', type: 'number', default: 0.74, description: 'Å' },
      { name: 'basis', type: 'string', default: 'sto-3g' },
      { name: 'max_iterations', type: 'integer', default: 100 },
    ]);
    expect(s.outputs).toEqual([
      { name: 'num_qubits', type: 'integer' },
      { name: 'energy', type: 'number' },
      { name: 'history', type: 'array' },
    ]);
    expect(s.evidence).toEqual({ runs: 3, workflows: ['H2', 'LiH'], last_run: new Date(Date.parse(NOW) - 2 * 3_600_000).toISOString() });
    expect(s.inside.inputs).toEqual([
      { name: 'bond_length', targets: [{ node: 'quantum-hamiltonian', port: 'bond_length' }] },
      { name: 'basis', targets: [{ node: 'quantum-hamiltonian', port: 'basis' }] },
      { name: 'max_iterations', targets: [{ node: 'quantum-vqe', port: 'max_iterations' }] },
    ]);
    expect(s.inside.nodes.map((n) => [n.id, n.position.x])).toEqual([
      ['quantum-hamiltonian', 0],
      ['quantum-vqe', 320],
    ]);
  });

  it('names unknown skills by id and gives them no ports', () => {
    const s = suggest((id) => (id === 'quantum-vqe' ? LIBRARY[id] : undefined));
    expect(s.name).toBe('quantum-hamiltonian → VQE Optimizer');
    expect(s.inputs.map((p) => p.name)).toEqual(['max_iterations']);
  });

  it('writes a compound skill file whose frontmatter the skill reader splits and parses', () => {
    const s = suggest();
    const split = splitSkillText(s.markdown);
    expect(split).toBeDefined();
    expect(split!.warnings).toEqual([]);
    const fm = parse(split!.yaml) as Record<string, unknown>;
    expect(fm).toMatchObject({ name: s.name, skill_id: s.skill_id, type: 'compound', version: '1.0.0' });
    expect(fm.derived_from).toEqual({ skills: ['quantum-hamiltonian', 'quantum-vqe'], support: 3, window_days: 7, mined_at: NOW });
    for (const p of fm.inputs as unknown[]) expect(InputPortSchema.safeParse(p).success).toBe(true);
    for (const p of fm.outputs as unknown[]) expect(OutputPortSchema.safeParse(p).success).toBe(true);
    expect(fm.inputs).toEqual(s.inputs);
    const code = findCodeSection(split!.body);
    expect(code.kind === 'block' && code.lang).toBe('json');
    const inside = JSON.parse(code.kind === 'block' ? code.code : '') as typeof s.inside;
    expect(inside).toEqual(s.inside);
    // Every frontmatter port appears once in the inside's mapping, and the other way round.
    expect(inside.inputs.map((i) => i.name)).toEqual(s.inputs.map((i) => i.name));
    expect(inside.outputs.map((o) => o.name)).toEqual(s.outputs.map((o) => o.name));
  });

  it('once saved in the library, the same pattern is not offered again', () => {
    const key = compoundInsideKey(suggest().markdown);
    expect(key).toBe(mined().patterns[0]!.key);
    expect(minePatterns([run('H2', 1), run('H2', 2), run('H2', 3)], { now: NOW, existing: [key!] }).patterns).toEqual([]);
    expect(compoundInsideKey('---\nname: x\ntype: python\n---\n')).toBeUndefined();
    expect(compoundInsideKey('not a skill')).toBeUndefined();
  });

  it('keeps port names identifiers and distinct, and long names within bounds', () => {
    const dup: SkillInfo = { name: 'A very long skill name that goes on and on'.repeat(2), inputs: [{ name: 'x', type: 'number', default: 1 }], outputs: [{ name: 'v(out)', type: 'array' }] };
    const traces: RunTrace[] = [1, 2, 3].map((i) => ({
      id: `d${i}`,
      startedAt: NOW,
      durationMs: 1,
      status: 'done',
      nodes: ['a', 'b', 'c'].map((id) => ({ id, skillId: 'dup', status: 'done' as const, durationMs: 1, cached: false })),
      edges: [
        { source: 'a', sourceHandle: 'y', target: 'b', targetHandle: 'z' },
        { source: 'a', sourceHandle: 'y', target: 'c', targetHandle: 'z' },
      ],
    }));
    const s = suggestionOf(minePatterns(traces, { now: NOW }).patterns[0]!, { skill: () => dup, windowDays: 7, minedAt: NOW });
    expect(s.inputs.map((p) => p.name)).toEqual(['x', 'x_2', 'x_3']);
    expect(s.outputs.map((p) => p.name)).toEqual(['v_out', 'v_out_2', 'v_out_3']);
    expect(s.inside.nodes.map((n) => n.id)).toEqual(['dup', 'dup-2', 'dup-3']);
    expect(s.name.length).toBeLessThanOrEqual(100);
  });
});
