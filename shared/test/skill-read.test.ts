/*
 * readSkill (issue 14): one reader for LLMunix's, the original's and Agent Skills files. Types
 * from aliases and code blocks, instruction skills, skill ids from the file, folder or name,
 * kept fields, and warnings instead of refusals, each on its line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSkill, type ParsedSkill, type SkillError } from '../src/skill/parse';
import { skillIdFrom, skillIdOfFile } from '../src/skill/skill-id';

const md = (head: string[], body = '\n# Skill\n') => `---\n${head.join('\n')}\n---\n${body}`;
const block = (lang: string, code = 'x = 1') => `\n# Skill\n\n## Code\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

function good(source: string, file?: string, skillId?: string): ParsedSkill {
  const r = readSkill(source, { file, skillId });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

function bad(source: string, file?: string): SkillError[] {
  const r = readSkill(source, { file });
  if (r.ok) throw new Error('expected the skill to be refused');
  return r.error;
}

describe('readSkill: types', () => {
  it.each<[string | undefined, string, string, string]>([
    [undefined, 'python', 'python', 'python'],
    [undefined, 'py', 'python', 'python'],
    [undefined, 'js', 'javascript', 'javascript'],
    [undefined, 'ngspice', 'ngspice', 'spice'],
    ['python-wasm', 'python', 'python', 'python'],
    ['spice', 'spice', 'ngspice', 'spice'],
    ['spice', 'javascript', 'javascript', 'javascript'],
    ['qiskit', 'python', 'qiskit', 'python'],
  ])('type %s with a %s block runs as %s', (type, lang, expected, language) => {
    const skill = good(md(['name: T', ...(type ? [`type: ${type}`] : [])], block(lang)));
    expect(skill.kind === 'runnable' && [skill.frontmatter.type, skill.codeLanguage]).toEqual([expected, language]);
  });

  it('is an instruction skill with no type and no ## Code block, or with type: instruction', () => {
    expect(good(md(['name: Prose'])).frontmatter.type).toBe('instruction');
    const typed = good(md(['name: Prose', 'type: instruction'], block('python')));
    expect([typed.kind, typed.frontmatter.type]).toEqual(['instruction', 'instruction']);
  });

  it('keeps a ## Code block in a language it does not run as an instruction skill, with a warning on the fence', () => {
    const skill = good(md(['name: Shell'], block('bash', 'ls')));
    expect(skill.kind).toBe('instruction');
    expect(skill.warnings.map((w) => [w.line, w.message])).toEqual([[9, expect.stringContaining('"bash", which LLMunix does not run')]]);
  });

  it('refuses an unknown type, listing the types and aliases, on its line', () => {
    expect(bad(md(['name: T', 'category: x', 'type: rust'], block('python')))).toEqual([
      { file: 'skill.md', line: 4, field: 'type', message: expect.stringContaining('python-wasm, spice, instruction') },
    ]);
  });

  it('refuses an unclosed block even in an instruction skill', () => {
    expect(bad(md(['name: T'], '\n## Code\n```bash\nls\n')).map((e) => e.line)).toEqual([6]);
  });
});

describe('readSkill: ids and kept fields', () => {
  it.each<[string | undefined, string | undefined, string]>([
    ['volumes/user/u/skills/my_tool.md', undefined, 'my_tool'],
    ['drop/pdf-tools/SKILL.md', undefined, 'pdf-tools'],
    ['Odd Name.md', undefined, 'odd-name'],
    ['skill.md', undefined, 'data-analysis-workflow'],
    ['SKILL.md', undefined, 'data-analysis-workflow'],
    ['x/SKILL.md', 'given', 'given'],
  ])('a file %s (id given: %s) without skill_id gets %s', (file, skillId, id) => {
    expect(good(md(['name: Data Analysis Workflow']), file, skillId).frontmatter.skill_id).toBe(id);
  });

  it('prefers the skill_id the file writes', () => {
    expect(good(md(['name: N', 'skill_id: mine']), 'x/SKILL.md', 'given').frontmatter.skill_id).toBe('mine');
  });

  it('makes ids of anything', () => {
    expect(skillIdFrom('Ünïcode  Skill!! v2')).toBe('unicode-skill-v2');
    expect(skillIdFrom('***')).toBe('skill');
    expect(skillIdOfFile('a\\b\\tool.md')).toBe('tool');
  });

  it('keeps a numeric version as written, keywords as tags, and the original\'s fields without warnings', () => {
    const skill = good(md(['name: N', 'version: 1.10', 'tags: [a]', 'keywords: [b, a, " c "]', 'author: system', 'memory_mb: 10']));
    expect(skill.frontmatter.version).toBe('1.10');
    expect(skill.frontmatter.tags).toEqual(['a', 'b', 'c']);
    expect(skill.extra).toEqual({ keywords: ['b', 'a', ' c '], author: 'system', memory_mb: 10 });
    expect(skill.warnings).toEqual([]);
  });

  it('warns when keywords are not a list of words', () => {
    expect(good(md(['name: N', 'keywords: 7'])).warnings.map((w) => [w.line, w.field])).toEqual([[3, 'keywords']]);
  });

  it('takes llmunix- metadata over the spec stand-ins at the top, and leaves other metadata alone', () => {
    const skill = good(md(['name: quantum-vqe', 'description: short', 'metadata:', '  llmunix-name: Quantum VQE', '  llmunix-tags: \'["q"]\'', '  team: lab']), 'quantum-vqe/SKILL.md');
    expect(skill.frontmatter).toMatchObject({ name: 'Quantum VQE', description: 'short', tags: ['q'], skill_id: 'quantum-vqe' });
    expect(skill.warnings).toEqual([]);
  });

  it("warns in a SKILL.md whose name is not its folder's", () => {
    const skill = good(md(['name: other', 'description: D.']), 'folder/SKILL.md');
    expect(skill.warnings.map((w) => [w.line, w.field, w.message])).toEqual([[2, 'name', expect.stringContaining('here "folder"')]]);
  });
});

describe('readSkill: empty fields', () => {
  it("reads the original writer's empty description as not given, with a warning on its line", () => {
    const skill = good(md(['name: N', 'description:', 'category: c']));
    expect(skill.frontmatter.description).toBe('');
    expect(skill.warnings.map((w) => [w.line, w.field])).toEqual([[3, 'description']]);
  });

  it('still refuses an empty name, on its line', () => {
    expect(bad(md(['category: c', 'name:'])).map((e) => [e.line, e.field])).toEqual([[3, 'name']]);
  });
});

describe('readSkill: keywords beside bad tags', () => {
  it('still reports tags that are not a list', () => {
    expect(bad(md(['name: N', 'tags: one', 'keywords: [a]'])).map((e) => [e.line, e.field])).toEqual([[3, 'tags']]);
  });
});

describe('readSkill on the system skills', () => {
  const dir = new URL('../../skills/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.md'));

  it.each(files)('%s reads as a skill that runs (runnable, or compound) with no warnings, its id as its file says', (file) => {
    const skill = good(readFileSync(new URL(file, dir), 'utf8'), `skills/${file}`);
    expect([skill.kind === 'runnable' || skill.kind === 'compound', skill.warnings, skill.extra]).toEqual([true, [], {}]);
    expect(`${skill.frontmatter.skill_id}.md`).toBe(file);
  });
});
