/*
 * The webgpu skill format (issue 17): a WGSL `## Code` block, the `gpu` block and the port fields
 * `element`/`length`/`shape` (webgpu skills only), an optional `## Fallback` javascript block, and
 * errors that name the field and its line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSkillError, parseSkill, type Skill, type SkillError } from '../src/skill/parse';
import { serializeSkill } from '../src/skill/serialize';

const VECTOR_ADD = readFileSync(new URL('./fixtures/webgpu/vector-add.md', import.meta.url), 'utf8');
const BARE = readFileSync(new URL('./fixtures/webgpu/vector-add-no-fallback.md', import.meta.url), 'utf8');

const WGSL_BODY = ['', '# Skill: K', '', '## Code', '', '```wgsl', '@compute @workgroup_size(WG_X, WG_Y, WG_Z)', 'fn main() {}', '```', ''].join('\n');
const file = (frontmatter: string[], body = WGSL_BODY): string => ['---', ...frontmatter, '---'].join('\n') + '\n' + body;
const HEAD = ['name: K', 'skill_id: k', 'type: webgpu'];
const lineOf = (source: string, match: (line: string) => boolean): number => source.split('\n').findIndex(match) + 1;

function parsed(source: string): Skill {
  const r = parseSkill(source, 'k.md');
  if (!r.ok) throw new Error(r.error.map(formatSkillError).join('\n'));
  return r.value;
}

function errors(source: string): SkillError[] {
  const r = parseSkill(source, 'k.md');
  if (r.ok) throw new Error('expected the skill to be refused');
  return r.error;
}

describe('webgpu skills: valid files', () => {
  it('reads the kernel as wgsl, the port fields, the gpu block and the fallback with its line', () => {
    const skill = parsed(VECTOR_ADD);
    expect(skill.frontmatter.type).toBe('webgpu');
    expect(skill.codeLanguage).toBe('wgsl');
    expect(skill.code).toContain('c[id.x] = (a[id.x] + b[id.x]) * params.scale;');
    expect(skill.codeLine).toBe(lineOf(VECTOR_ADD, (l) => l.startsWith('@compute')));
    expect(skill.frontmatter.outputs[0]).toEqual({ name: 'c', type: 'array', length: 'len(a)' });
    expect(skill.frontmatter.gpu).toEqual({ workgroup_size: [64] });
    expect(skill.fallback?.line).toBe(lineOf(VECTOR_ADD, (l) => l.startsWith('function execute')));
    expect(skill.fallback?.code).toMatch(/^function execute\(inputs\) \{\n/);
    expect(skill.fallback?.code).not.toContain('```');
  });

  it('has no fallback when the file has no "## Fallback" section', () => {
    expect(parsed(BARE).fallback).toBeUndefined();
  });

  it('takes the type from a wgsl code block when the file names none', () => {
    const skill = parsed(file(['name: K', 'skill_id: k', 'outputs:', '  - name: c', '    type: array', '    length: 4']));
    expect(skill.frontmatter.type).toBe('webgpu');
  });

  it('round-trips through the serializer with its gpu block, port fields and fallback', () => {
    const skill = parsed(VECTOR_ADD);
    const again = parsed(serializeSkill(skill));
    expect(again.frontmatter).toEqual(skill.frontmatter);
    expect(again.code).toBe(skill.code);
    expect(again.fallback?.code).toBe(skill.fallback?.code);
    const full = file([
      ...HEAD,
      'inputs:',
      '  - { name: n, type: integer, default: 4 }',
      '  - { name: a, type: array, element: u32, length: n * n }',
      'outputs:',
      '  - { name: c, type: array, element: u32, length: n * n, shape: [n, n] }',
      'gpu: { dispatch: [n, n], workgroup_size: [8, 8], steps: n, feedback: { c: a } }',
    ]);
    const fm = parsed(full).frontmatter;
    expect(parsed(serializeSkill({ frontmatter: fm, body: WGSL_BODY })).frontmatter).toEqual(fm);
    expect(fm.gpu).toEqual({ dispatch: ['n', 'n'], workgroup_size: [8, 8], steps: 'n', feedback: { c: 'a' } });
  });
});

describe('webgpu skills: errors name the field and its line', () => {
  const one = (source: string): SkillError => {
    const list = errors(source);
    expect(list).toHaveLength(1);
    return list[0] as SkillError;
  };

  it('refuses port fields and gpu on other skill types', () => {
    const source = file(['name: K', 'skill_id: k', 'type: javascript', 'outputs:', '  - name: c', '    type: array', '    length: 4', 'gpu:', '  steps: 2'], WGSL_BODY.replace('wgsl', 'javascript'));
    const list = errors(source);
    expect(list.map((e) => [e.field, e.line])).toEqual([
      ['outputs.0.length', lineOf(source, (l) => l.includes('length: 4'))],
      ['gpu', lineOf(source, (l) => l === 'gpu:')],
    ]);
    expect(list[0]?.message).toMatch(/webgpu skills only/);
  });

  it('refuses an output without length, or not an array', () => {
    const source = file([...HEAD, 'outputs:', '  - name: c', '    type: number']);
    const list = errors(source);
    expect(list.map((e) => e.field)).toEqual(['outputs.0', 'outputs.0.type']);
    expect(list[0]?.message).toMatch(/needs "length"/);
  });

  it('refuses an input that is neither a scalar nor an array', () => {
    const source = file([...HEAD, 'inputs:', '  - name: s', '    type: string', 'outputs:', '  - { name: c, type: array, length: 4 }']);
    const e = one(source);
    expect(e.field).toBe('inputs.0.type');
    expect(e.line).toBe(lineOf(source, (l) => l.includes('type: string')));
  });

  it('names a bad expression, an unknown name and len() of a non-array', () => {
    const source = file([
      ...HEAD,
      'inputs:',
      '  - { name: n, type: integer, default: 2 }',
      'outputs:',
      '  - name: c',
      '    type: array',
      '    length: n * * 2',
      '  - name: d',
      '    type: array',
      '    length: m + 1',
      '  - name: e',
      '    type: array',
      '    length: len(n)',
    ]);
    const list = errors(source);
    expect(list.map((e) => [e.field, e.line])).toEqual([
      ['outputs.0.length', lineOf(source, (l) => l.includes('n * * 2'))],
      ['outputs.1.length', lineOf(source, (l) => l.includes('m + 1'))],
      ['outputs.2.length', lineOf(source, (l) => l.includes('len(n)'))],
    ]);
    expect(list[0]?.message).toMatch(/unexpected "\*"/);
    expect(list[1]?.message).toMatch(/"m" is not a number or integer input/);
    expect(list[2]?.message).toMatch(/"n" is not an array input/);
  });

  it('checks the gpu block: unknown fields, workgroup limits, feedback ports', () => {
    const source = file([
      ...HEAD,
      'inputs:',
      '  - { name: a, type: array, element: i32 }',
      'outputs:',
      '  - { name: c, type: array, length: len(a) }',
      'gpu:',
      '  workgroup_size: [32, 16]',
      '  feedback:',
      '    c: a',
      '    z: a',
      '  speed: 3',
    ]);
    const list = errors(source);
    expect(list.map((e) => e.field)).toEqual(['gpu.workgroup_size', 'gpu.feedback.c', 'gpu.feedback.z', 'gpu.speed']);
    expect(list[0]?.message).toMatch(/at most 256 invocations/);
    expect(list[1]?.message).toMatch(/holds f32 but input "a" holds i32/);
    expect(list[2]?.message).toMatch(/"z" is not an output/);
    expect(list[3]?.line).toBe(lineOf(source, (l) => l.includes('speed: 3')));
  });

  it('refuses a fallback that is not javascript, at its fence', () => {
    const source = file([...HEAD, 'outputs:', '  - { name: c, type: array, length: 4 }'], WGSL_BODY + '\n## Fallback\n\n```python\ndef execute(inputs):\n  pass\n```\n');
    const e = one(source);
    expect(e.line).toBe(lineOf(source, (l) => l === '```python'));
    expect(e.message).toMatch(/a fallback is a javascript block/);
  });

  it('leaves a "## Fallback" section of another skill type as it was read before', () => {
    const body = WGSL_BODY.replace('wgsl', 'javascript') + '\n## Fallback\n\nIf this fails, ask a person.\n';
    const skill = parsed(file(['name: K', 'skill_id: k', 'type: javascript'], body));
    expect(skill.fallback).toBeUndefined();
  });

  it('refuses a wgsl block in a skill of another type', () => {
    const e = one(file(['name: K', 'skill_id: k', 'type: python']));
    expect(e.message).toMatch(/language is "wgsl" but this skill's type needs "python"/);
  });
});

describe('webgpu skills: Agent Skills export', () => {
  it('exports to a SKILL.md that reads back as the same skill, gpu block and fallback included', async () => {
    const { exportAgentSkill } = await import('../src/skill/agent-skill');
    const skill = parsed(VECTOR_ADD);
    const out = exportAgentSkill(skill);
    const back = parseSkill(out.content, `${out.folder}/SKILL.md`);
    if (!back.ok) throw new Error(back.error.map(formatSkillError).join('\n'));
    expect(back.value.frontmatter).toEqual(skill.frontmatter);
    expect(back.value.fallback?.code).toBe(skill.fallback?.code);
  });
});

describe("the README's webgpu example", () => {
  it('parses and plans as the README says', async () => {
    const { planGpuRun } = await import('../src/execution/gpu-plan');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /### WebGPU skills[\s\S]*?````markdown\n([\s\S]*?)\n````/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const skill = parsed(example ?? '');
    expect(skill.fallback).toBeDefined();
    const plan = planGpuRun(skill, {});
    expect(plan.ok && plan.value.wgsl).toContain('@group(0) @binding(3) var<storage, read_write> c: array<f32>;');
  });
});
