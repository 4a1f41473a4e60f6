// gpu.compute's arguments as a webgpu skill: the same frontmatter fields, validated and parsed as
// a skill file is, with input ports made from the values given.
import { describe, expect, it } from 'vitest';
import { parseSkill } from '../../shared/src/skill/parse';
import { computeSkill } from '../src/runtimes/gpu-compute-skill';

const CODE = '@compute @workgroup_size(WG_X, WG_Y, WG_Z)\nfn main(@builtin(global_invocation_id) id: vec3u) {\n  if (id.x >= arrayLength(&z)) { return; }\n  z[id.x] = x[id.x] * params.a;\n}';

describe('computeSkill', () => {
  it('makes ports from the values: typed arrays keep their element type, numbers and booleans are params', () => {
    const made = computeSkill({
      code: CODE,
      inputs: { x: new Float32Array([1, 2]), k: new Int32Array([3]), u: new Uint32Array([4]), plain: [5, 6], a: 2, on: true },
      outputs: { z: 'len(x)', grid: { length: 4, element: 'i32', shape: [2, 2] } },
      dispatch: ['len(x)'],
      workgroup_size: [32],
      steps: 2,
    });
    if (!made.ok) throw new Error(made.error);
    expect(made.value.inputs).toEqual({ x: [1, 2], k: [3], u: [4], plain: [5, 6], a: 2, on: true });
    const skill = parseSkill(made.value.text, 'gpu.compute kernel');
    if (!skill.ok) throw new Error(skill.error.map((e) => e.message).join('; '));
    const fm = skill.value.frontmatter;
    expect(fm.type).toBe('webgpu');
    expect(fm.inputs.map((p) => [p.name, p.type, p.element])).toEqual([
      ['x', 'array', 'f32'],
      ['k', 'array', 'i32'],
      ['u', 'array', 'u32'],
      ['plain', 'array', undefined],
      ['a', 'number', undefined],
      ['on', 'boolean', undefined],
    ]);
    expect(fm.outputs).toMatchObject([
      { name: 'z', type: 'array', length: 'len(x)' },
      { name: 'grid', type: 'array', length: 4, element: 'i32', shape: [2, 2] },
    ]);
    expect(fm.gpu).toEqual({ dispatch: ['len(x)'], workgroup_size: [32], steps: 2 });
    expect(skill.value.code).toBe(CODE);
  });

  it('says what is wrong with an input or output it cannot take', () => {
    expect(computeSkill({ code: CODE, inputs: { x: { a: 1 } }, outputs: { z: 2 } })).toEqual({ ok: false, error: 'input "x" is object; give a number, a boolean, an array or a typed array' });
    expect(computeSkill({ code: CODE, outputs: { z: [1] } })).toEqual({ ok: false, error: 'output "z" must be its length (a number) or { length, element, shape }' });
    expect(computeSkill({ outputs: {} } as never)).toMatchObject({ ok: false, error: expect.stringMatching(/^gpu.compute takes \{ code/) });
  });

  it('leaves the validation of the fields to the skill schema, which names them', () => {
    const made = computeSkill({ code: CODE, inputs: { x: [1] }, outputs: { z: 'len(y)' } });
    if (!made.ok) throw new Error(made.error);
    const skill = parseSkill(made.value.text, 'gpu.compute kernel');
    expect(skill.ok).toBe(false);
    if (!skill.ok) expect(skill.error.map((e) => e.message).join('; ')).toContain('len(y): "y" is not an array input of this skill');
  });
});
