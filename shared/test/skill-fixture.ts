import type { SkillFrontmatter } from '../src/skill/schema';

/** A Python skill's frontmatter with the given ports (`[name, type, default?]`), for tests. */
export const testSkill = (id: string, inputs: Array<[string, string, unknown?]>, outputs: Array<[string, string]>): SkillFrontmatter => ({
  name: id.toUpperCase(),
  skill_id: id,
  type: 'python',
  category: 'test',
  execution_mode: 'browser-wasm',
  description: '',
  tags: [],
  version: '1.0.0',
  deterministic: true,
  inputs: inputs.map(([name, type, def]) => ({ name, type, ...(def === undefined ? {} : { default: def }) })) as SkillFrontmatter['inputs'],
  outputs: outputs.map(([name, type]) => ({ name, type })) as SkillFrontmatter['outputs'],
});
