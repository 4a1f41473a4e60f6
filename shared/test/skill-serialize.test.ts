/*
 * serializeSkill and buildSkillMarkdown: what they write parses back to the same skill, in the
 * original's field order, leaving out `deterministic: true` (the default).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { formatSkillError, parseSkill, readSkill, type ParsedSkill, type Skill } from '../src/skill/parse';
import { CODE_LANGUAGE, SKILL_TYPES, type SkillFrontmatter, type SkillType } from '../src/skill/schema';
import { buildSkillMarkdown, frontmatterYaml, serializeSkill } from '../src/skill/serialize';

const SKILLS_DIR = new URL('../../skills/', import.meta.url);
const files = readdirSync(SKILLS_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

function parsed(source: string, file = 'skill.md'): Skill {
  const r = parseSkill(source, file);
  if (!r.ok) throw new Error(r.error.map(formatSkillError).join('\n'));
  return r.value;
}

/** Any kind of skill (the system's compound skills too). */
function read(source: string, file: string): ParsedSkill {
  const r = readSkill(source, { file });
  if (!r.ok) throw new Error(r.error.map(formatSkillError).join('\n'));
  return r.value;
}

const load = (file: string): ParsedSkill => read(readFileSync(new URL(file, SKILLS_DIR), 'utf8'), `skills/${file}`);

/** What a skill runs: its code (with its language), or a compound skill's inside. */
const whatRuns = (skill: ParsedSkill) =>
  skill.kind === 'runnable' ? { code: skill.code, language: skill.codeLanguage } : skill.kind === 'compound' ? { inside: skill.inside } : {};

/** The keys of a file's frontmatter, in the order written. */
const keysOf = (markdown: string): string[] => {
  const yamlText = /^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? '';
  return Object.keys(parseYaml(yamlText) as Record<string, unknown>);
};

const frontmatter = (over: Partial<SkillFrontmatter> = {}): SkillFrontmatter => ({
  name: 'Demo Skill',
  skill_id: 'demo-skill',
  type: 'python',
  category: 'general',
  execution_mode: 'browser-wasm',
  description: 'A demo skill.',
  tags: [],
  version: '1.0.0',
  inputs: [],
  outputs: [],
  deterministic: true,
  ...over,
});

const CODE_WITH_FENCE: Record<SkillType, string> = {
  python: 'def execute(inputs):\n    doc = """\n```\n"""\n    return {"doc": doc}\n',
  qiskit: 'def execute(inputs):\n    return {"fence": "```"}\n',
  javascript: 'function execute(inputs) {\n  return { md: "```js\\n```" };\n}\n',
  threejs: '// ```\nscene.add(new THREE.Mesh());\n```\nreturn {};',
  ngspice: '* a ``` comment\nR1 in 0 1k\n```\n.end',
  webgpu: '// ```\n@compute @workgroup_size(WG_X, WG_Y, WG_Z)\nfn main() {}\n```',
};

describe('serializeSkill', () => {
  it.each(files)('re-parses %s to the same frontmatter, code and body', (file) => {
    const skill = load(file);
    const again = read(serializeSkill(skill), `skills/${file}`);
    expect(again.kind).toBe(skill.kind);
    expect(again.frontmatter).toEqual(skill.frontmatter);
    expect(whatRuns(again)).toEqual(whatRuns(skill));
    expect(whatRuns(skill)).not.toEqual({});
    expect(again.body).toBe(skill.body);
  });

  it.each(files)('is a fixed point for %s after one pass', (file) => {
    const once = serializeSkill(load(file));
    expect(serializeSkill(read(once, `skills/${file}`))).toBe(once);
  });

  it('keeps the code line in step with the frontmatter it writes', () => {
    const skill = parsed(serializeSkill(load(files[0] ?? '')));
    const lines = serializeSkill(skill).split('\n');
    expect(lines[skill.codeLine - 1]).toBe(skill.code.split('\n')[0]);
  });

  it('round-trips strings YAML could misread', () => {
    for (const description of ['', 'null', 'true', '1.5', '# hash', 'a: b', '- dash', '---', "'q'", '"dq"', '  lead', 'trail  ', 'a\nb\n', 'ü ∑ 🙂']) {
      const fm = frontmatter({ description, version: '1.0', tags: ['yes', '007'], category: 'on' });
      const again = parsed(serializeSkill({ frontmatter: fm, body: '\n## Code\n```python\nx\n```\n' }));
      expect(again.frontmatter, JSON.stringify(description)).toEqual(fm);
    }
  });

  it('round-trips port defaults of every JSON kind', () => {
    const fm = frontmatter({
      inputs: [
        { name: 'n', type: 'number', default: 0 },
        { name: 's', type: 'string', default: '' },
        { name: 'b', type: 'boolean', default: false },
        { name: 'z', type: 'any', default: null },
        { name: 'a', type: 'array', default: [1, 'two', [3]] },
        { name: 'o', type: 'object', default: { k: { nested: true } } },
        { name: 'r', type: 'array', required: false, description: 'optional' },
      ],
      outputs: [{ name: 'out', type: 'any', description: 'anything' }],
      estimated_time_ms: 10,
    });
    const again = parsed(serializeSkill({ frontmatter: fm, body: '\n## Code\n```python\nx\n```\n' }));
    expect(again.frontmatter).toEqual(fm);
  });
});

describe('frontmatterYaml', () => {
  it('writes fields in the original order, starting name, skill_id, type', () => {
    const keys = keysOf(serializeSkill({ frontmatter: frontmatter({ deterministic: false, estimated_time_ms: 5 }), body: '' }));
    expect(keys).toEqual([
      'name',
      'skill_id',
      'type',
      'category',
      'execution_mode',
      'description',
      'tags',
      'version',
      'deterministic',
      'estimated_time_ms',
      'inputs',
      'outputs',
    ]);
  });

  it('puts name, skill_id, type first whatever order the object has', () => {
    const fm = frontmatter();
    const shuffled = Object.fromEntries(Object.entries(fm).reverse()) as SkillFrontmatter;
    expect(keysOf(`---\n${frontmatterYaml(shuffled)}---\n`).slice(0, 3)).toEqual(['name', 'skill_id', 'type']);
  });

  it('omits deterministic: true and keeps deterministic: false', () => {
    expect(frontmatterYaml(frontmatter({ deterministic: true }))).not.toMatch(/^deterministic:/m);
    expect(frontmatterYaml(frontmatter({ deterministic: false }))).toMatch(/^deterministic: false$/m);
    const back = parsed(serializeSkill({ frontmatter: frontmatter({ deterministic: false }), body: '\n## Code\n```python\nx\n```\n' }));
    expect(back.frontmatter.deterministic).toBe(false);
  });

  it('omits estimated_time_ms when absent', () => {
    expect(frontmatterYaml(frontmatter())).not.toContain('estimated_time_ms');
    expect(frontmatterYaml(frontmatter({ estimated_time_ms: 1200 }))).toMatch(/^estimated_time_ms: 1200$/m);
  });

  it('writes long descriptions on one logical line (no folding that could change them)', () => {
    const description = 'word '.repeat(100).trim();
    const fm = frontmatter({ description });
    expect(parsed(serializeSkill({ frontmatter: fm, body: '\n## Code\n```python\nx\n```\n' })).frontmatter.description).toBe(description);
  });
});

describe('buildSkillMarkdown', () => {
  it.each(SKILL_TYPES)('builds a %s skill that parses, with the body layout of the original', (type) => {
    const fm = frontmatter({ type, skill_id: `demo-${type}`, inputs: [{ name: 'x', type: 'number', default: 1 }] });
    const code = 'line one\nline two\n\n\n';
    const md = buildSkillMarkdown(fm, code, 'When you need a demo.');
    const skill = parsed(md);
    expect(skill.frontmatter).toEqual(fm);
    expect(skill.code).toBe('line one\nline two');
    expect(skill.codeLanguage).toBe(CODE_LANGUAGE[type]);
    expect(md).toContain(`\`\`\`${CODE_LANGUAGE[type]}\n`);
    expect(skill.body).toMatch(/^# Skill: Demo Skill$/m);
    expect(skill.body).toMatch(/^A demo skill\.$/m);
    expect(skill.body).toMatch(/^## When to Use\nWhen you need a demo\.$/m);
    expect(md.split('\n')[skill.codeLine - 1]).toBe('line one');
  });

  it.each(SKILL_TYPES)('fences %s code that contains ``` with ~~~ and keeps it intact', (type) => {
    const fm = frontmatter({ type });
    const code = CODE_WITH_FENCE[type];
    const md = buildSkillMarkdown(fm, code);
    expect(md).toContain(`~~~${CODE_LANGUAGE[type]}\n`);
    expect(md).not.toContain(`\`\`\`${CODE_LANGUAGE[type]}\n`);
    const skill = parsed(md);
    expect(skill.code).toBe(code.replace(/\n+$/, ''));
    expect(skill.frontmatter).toEqual(fm);
  });

  it('leaves out the "When to Use" section and the description paragraph when not given', () => {
    const md = buildSkillMarkdown(frontmatter({ description: '' }), 'x = 1');
    expect(md).not.toContain('## When to Use');
    const skill = parsed(md);
    expect(skill.body).toBe('\n# Skill: Demo Skill\n\n## Code\n\n```python\nx = 1\n```\n');
  });

  it('keeps leading blank lines and indentation of the code', () => {
    const code = '\n    indented = 1\n\treturn_tab = 2';
    expect(parsed(buildSkillMarkdown(frontmatter(), code)).code).toBe(code);
  });
});
