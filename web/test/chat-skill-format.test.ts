// save_skill's builder (web/src/chat/skill-format.ts): a webgpu skill from the chat carries its
// gpu block and its fallback, and parses back with both; a bad gpu block is refused by field.
import { describe, expect, it } from 'vitest';
import { parseSkill } from '../../shared/src/skill/parse';
import { skillFormat } from '../src/chat/skill-format';

const KERNEL = '@compute @workgroup_size(WG_X, WG_Y, WG_Z)\nfn main(@builtin(global_invocation_id) id: vec3u) {\n  if (id.x < arrayLength(&y)) { y[id.x] = 2.0 * x[id.x]; }\n}';

describe('save_skill: webgpu', () => {
  it('builds a skill with its gpu block and fallback that parses back', async () => {
    const format = await skillFormat();
    const built = format.build({
      name: 'Double (GPU)',
      type: 'webgpu',
      code: KERNEL,
      inputs: [{ name: 'x', type: 'array' }],
      outputs: [{ name: 'y', type: 'array', length: 'len(x)' }],
      gpu: { workgroup_size: [32] },
      fallback: 'function execute({ x }) {\n  return { y: x.map((v) => 2 * v) };\n}',
    });
    if (!built.ok) throw new Error(built.errors.join('\n'));
    const skill = parseSkill(built.markdown, 'double.md');
    if (!skill.ok) throw new Error('does not parse');
    expect(skill.value.frontmatter.gpu).toEqual({ workgroup_size: [32] });
    expect(skill.value.code).toBe(KERNEL);
    expect(skill.value.fallback?.code).toBe('function execute({ x }) {\n  return { y: x.map((v) => 2 * v) };\n}');
    expect(built.markdown.split('\n')[(skill.value.fallback?.line ?? 0) - 1]).toBe('function execute({ x }) {');
  });

  it('refuses a gpu block on another type, naming the field', async () => {
    const format = await skillFormat();
    const built = format.build({ name: 'N', type: 'javascript', code: 'function execute() { return {}; }', gpu: { steps: 2 } });
    expect(built).toEqual({ ok: false, errors: ['gpu: "gpu" is for webgpu skills only; remove it, or set type: webgpu'] });
  });
});
