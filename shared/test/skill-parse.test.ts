/*
 * parseSkill (DESIGN §4): a skill file is YAML frontmatter, then a body with a `## Code` fenced block
 * in the language of the skill's type. A bad file gives every problem found, each with its file,
 * its 1-based line and, for frontmatter problems, the dotted field path.
 */
import { describe, expect, it } from 'vitest';
import { formatSkillError, parseSkill, type Skill, type SkillError } from '../src/skill/parse';

const PY_BODY = ['', '# Skill: Demo', '', '## Code', '', '```python', 'def execute(inputs):', '    return {}', '```', ''].join(
  '\n',
);

/** A file from frontmatter lines and a body; line 1 is `---`, frontmatter starts on line 2. */
const file = (frontmatter: string[], body = PY_BODY): string => ['---', ...frontmatter, '---'].join('\n') + '\n' + body;

const MINIMAL = ['name: Demo', 'skill_id: demo', 'type: python'];

function parsed(source: string, name = 'skills/demo.md'): Skill {
  const r = parseSkill(source, name);
  if (!r.ok) throw new Error(r.error.map(formatSkillError).join('\n'));
  return r.value;
}

function errors(source: string, name = 'skills/demo.md'): SkillError[] {
  const r = parseSkill(source, name);
  if (r.ok) throw new Error('expected the skill to be refused');
  return r.error;
}

/** The 1-based line of the first line of `source` that satisfies `match`. */
const lineOf = (source: string, match: (line: string) => boolean): number => source.split('\n').findIndex(match) + 1;

describe('parseSkill: valid files', () => {
  it('applies the defaults to a minimal file', () => {
    const skill = parsed(file(MINIMAL));
    expect(skill.file).toBe('skills/demo.md');
    expect(skill.frontmatter).toEqual({
      name: 'Demo',
      skill_id: 'demo',
      type: 'python',
      category: 'general',
      execution_mode: 'browser-wasm',
      description: '',
      tags: [],
      version: '1.0.0',
      inputs: [],
      outputs: [],
      deterministic: true,
    });
    expect(skill.code).toBe('def execute(inputs):\n    return {}');
    expect(skill.codeLanguage).toBe('python');
    expect(skill.body).toBe(PY_BODY);
  });

  it('keeps the fields it is given, ports with their defaults and required flags', () => {
    const source = file([
      ...MINIMAL,
      'category: quantum',
      'execution_mode: server',
      'description: Does a thing.',
      'tags: [a, b]',
      'version: "2.0"',
      'deterministic: false',
      'estimated_time_ms: 250',
      'inputs:',
      '  - name: n',
      '    type: integer',
      '    default: 3',
      '  - name: opt',
      '    type: array',
      '    required: false',
      '    description: optional',
      'outputs:',
      '  - name: out',
      '    type: number',
    ]);
    const fm = parsed(source).frontmatter;
    expect(fm).toMatchObject({
      category: 'quantum',
      execution_mode: 'server',
      description: 'Does a thing.',
      tags: ['a', 'b'],
      version: '2.0',
      deterministic: false,
      estimated_time_ms: 250,
      inputs: [
        { name: 'n', type: 'integer', default: 3 },
        { name: 'opt', type: 'array', required: false, description: 'optional' },
      ],
      outputs: [{ name: 'out', type: 'number' }],
    });
  });

  it('gives codeLine as the real 1-based line of the first code line', () => {
    const source = file(MINIMAL);
    const skill = parsed(source);
    expect(skill.codeLine).toBe(lineOf(source, (l) => l === 'def execute(inputs):'));
    expect(source.split('\n')[skill.codeLine - 1]).toBe('def execute(inputs):');

    const longer = file(
      [...MINIMAL, 'description: >-', '  two', '  lines', 'tags:', '  - x'],
      '\n# Skill\n\nText.\n\n## When to Use\n\nOften.\n\n## Code\n\n```python\n# first\ndef execute(inputs):\n    return {}\n```\n',
    );
    const s2 = parsed(longer);
    expect(longer.split('\n')[s2.codeLine - 1]).toBe('# first');
    expect(s2.codeLine).toBe(23);
  });

  it('parses a CRLF file exactly like its LF twin', () => {
    const lf = file([...MINIMAL, 'description: hi', 'inputs:', '  - name: x', '    type: number']);
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parsed(lf);
    const b = parsed(crlf);
    expect(b.frontmatter).toEqual(a.frontmatter);
    expect(b.code).toBe(a.code);
    expect(b.code).not.toContain('\r');
    expect(b.codeLine).toBe(a.codeLine);
    expect(b.body).toBe(a.body);
  });

  it('reports CRLF errors on the same lines as LF', () => {
    const lf = file([...MINIMAL, 'tags:', '  - 7']);
    expect(errors(lf.replace(/\n/g, '\r\n'))).toEqual(errors(lf));
    expect(errors(lf)).toEqual([expect.objectContaining({ line: 6, field: 'tags.0' })]);
  });

  it('accepts a qiskit skill with python code (qiskit runs as Python)', () => {
    const skill = parsed(file(['name: Q', 'skill_id: q', 'type: qiskit']));
    expect(skill.frontmatter.type).toBe('qiskit');
    expect(skill.codeLanguage).toBe('python');
  });

  it('accepts a threejs skill with javascript code', () => {
    const skill = parsed(file(['name: T', 'skill_id: t', 'type: threejs'], '\n## Code\n\n```javascript\nscene.add(new THREE.Mesh());\n```\n'));
    expect(skill.codeLanguage).toBe('javascript');
    expect(skill.code).toBe('scene.add(new THREE.Mesh());');
  });

  it('accepts an ngspice skill with spice code, and the js/py aliases', () => {
    expect(parsed(file(['name: S', 'skill_id: s', 'type: ngspice'], '\n## Code\n```spice\nR1 1 0 1k\n.end\n```\n')).codeLanguage).toBe(
      'spice',
    );
    expect(parsed(file(['name: J', 'skill_id: j', 'type: javascript'], '\n## Code\n```js\nfunction execute() {}\n```\n')).codeLanguage).toBe(
      'javascript',
    );
    expect(parsed(file(MINIMAL, '\n## Code\n```py\nx = 1\n```\n')).code).toBe('x = 1');
  });

  it('takes code containing ``` from a ~~~ fence', () => {
    const skill = parsed(file(MINIMAL, '\n## Code\n~~~python\ns = """\n```\n"""\n~~~\n'));
    expect(skill.code).toBe('s = """\n```\n"""');
  });
});

describe('parseSkill: errors with line and field', () => {
  it('missing frontmatter', () => {
    expect(errors('# Skill: Demo\n\n## Code\n```python\nx\n```\n')).toEqual([
      { file: 'skills/demo.md', line: 1, message: expect.stringContaining('must start with YAML frontmatter') },
    ]);
  });

  it('unterminated frontmatter', () => {
    expect(errors('---\nname: Demo\nskill_id: demo\ntype: python\n\n## Code\n```python\nx\n```\n')).toEqual([
      { file: 'skills/demo.md', line: 1, message: expect.stringContaining('between two "---" lines') },
    ]);
  });

  it('YAML syntax error: tab indentation, on its line', () => {
    const source = file([...MINIMAL, 'tags:', '\t- a']);
    const errs = errors(source);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatchObject({ line: lineOf(source, (l) => l === '\t- a'), message: expect.stringMatching(/^YAML: .*[Tt]ab/) });
    expect(errs[0]?.field).toBeUndefined();
  });

  it('YAML syntax error: a nested mapping in a compact one, on its line', () => {
    const source = file([...MINIMAL, 'description: ok', 'category: a: b', 'tags: []']);
    const errs = errors(source);
    expect(errs.map((e) => e.line)).toEqual([6]);
    expect(errs[0]?.message).toMatch(/^YAML: /);
  });

  it('YAML syntax error: a duplicate key, at the second occurrence', () => {
    const source = file(['name: Demo', 'skill_id: demo', 'type: python', 'name: Again']);
    expect(errors(source)).toEqual([{ file: 'skills/demo.md', line: 5, message: expect.stringMatching(/^YAML: .*unique/) }]);
  });

  it.each([
    ['a sequence', ['- a', '- b']],
    ['a scalar', ['just text']],
    ['empty', []],
  ])('frontmatter that is %s, not a mapping', (_label, lines) => {
    expect(errors(file(lines))).toEqual([{ file: 'skills/demo.md', line: 2, message: expect.stringContaining('YAML mapping') }]);
  });

  it('missing name', () => {
    const source = file(['skill_id: demo', 'type: python']);
    expect(errors(source)).toEqual([{ file: 'skills/demo.md', line: 2, field: 'name', message: expect.any(String) }]);
  });

  it.each(['../x', 'a/b', 'a.b', '-x', 'has space', ''])('bad skill_id %j, on its line', (id) => {
    const source = file(['name: Demo', 'type: python', `skill_id: "${id}"`]);
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: 4, field: 'skill_id', message: expect.stringContaining('letters, digits') },
    ]);
  });

  it('unknown type', () => {
    const source = file(['name: Demo', 'skill_id: demo', 'type: rust']);
    const [e, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 4, field: 'type' });
    expect(e?.message).toContain('python');
    expect(e?.message).toContain('qiskit');
  });

  it('bad port type at inputs.1.type, on the line of that key', () => {
    const source = file([
      ...MINIMAL,
      'inputs:',
      '  - name: a',
      '    type: number',
      '  - name: b',
      '    description: the second',
      '    type: float',
    ]);
    const [e, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ file: 'skills/demo.md', line: lineOf(source, (l) => l === '    type: float'), field: 'inputs.1.type' });
    expect(e?.line).toBe(10);
    expect(e?.message).toContain('integer');
  });

  it('bad element of a list field, on the element line', () => {
    const source = file([...MINIMAL, 'tags:', '  - ok', '  - 7']);
    expect(errors(source)).toEqual([{ file: 'skills/demo.md', line: 7, field: 'tags.1', message: expect.any(String) }]);
  });

  // Issue 14: a field that is not ours is kept as written, with a warning on its line (it was refused before).
  it('unknown top-level field: kept, with a warning on its own line naming it', () => {
    const source = file([...MINIMAL, 'description: x', 'autor: me', 'tags: []']);
    const skill = parsed(source);
    expect(skill.warnings).toEqual([{ file: 'skills/demo.md', line: 6, field: 'autor', message: expect.stringContaining('"autor"') }]);
    expect(skill.extra).toEqual({ autor: 'me' });
  });

  it('unknown field inside a port, on its own line', () => {
    const source = file([...MINIMAL, 'outputs:', '  - name: a', '    type: number', '    unit: m']);
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: 8, field: 'outputs.0.unit', message: expect.stringContaining('"unit"') },
    ]);
  });

  it('duplicate input names, at the second one', () => {
    const source = file([...MINIMAL, 'inputs:', '  - name: x', '    type: number', '  - name: x', '    type: string']);
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: 8, field: 'inputs.1.name', message: 'duplicate input "x"' },
    ]);
  });

  it('duplicate output names, at the second one', () => {
    const source = file([...MINIMAL, 'outputs:', '  - name: y', '    type: number', '  - name: y', '    type: number']);
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: 8, field: 'outputs.1.name', message: 'duplicate output "y"' },
    ]);
  });

  it('missing "## Code" section', () => {
    const source = file(MINIMAL, '\n# Skill: Demo\n\n### Code\n```python\nx\n```\n');
    const [e, ...rest] = errors(source);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ line: 6, message: expect.stringContaining('"## Code"') });
    expect(e?.field).toBeUndefined();
  });

  it('"## Code" without a fenced block, on the heading line', () => {
    const source = file(MINIMAL, '\n# Skill\n\n## Code\n\n    indented code\n');
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: lineOf(source, (l) => l === '## Code'), message: expect.stringContaining('no fenced code block') },
    ]);
  });

  it('code block never closed, on the opening fence', () => {
    const source = file(MINIMAL, '\n## Code\n\n```python\ndef execute(inputs):\n    return {}\n');
    expect(errors(source)).toEqual([
      { file: 'skills/demo.md', line: 9, message: expect.stringContaining('never closed') },
    ]);
  });

  it('a ``` line does not close a ~~~ block', () => {
    const source = file(MINIMAL, '\n## Code\n~~~python\nx = 1\n```\n');
    expect(errors(source)).toEqual([{ file: 'skills/demo.md', line: 8, message: expect.stringContaining('~~~') }]);
  });

  it('python code in a javascript skill, on the fence with field "type"', () => {
    const source = file(['name: Demo', 'skill_id: demo', 'type: javascript']);
    expect(errors(source)).toEqual([
      {
        file: 'skills/demo.md',
        line: lineOf(source, (l) => l === '```python'),
        field: 'type',
        message: 'the code block\'s language is "python" but this skill\'s type needs "javascript"',
      },
    ]);
  });

  it.each([
    ['threejs', 'python', 'javascript'],
    ['ngspice', 'javascript', 'spice'],
    ['qiskit', 'javascript', 'python'],
    ['python', '', 'python'],
  ])('a %s skill with a "%s" block is refused', (type, lang, needs) => {
    const source = file(['name: Demo', 'skill_id: demo', `type: ${type}`], `\n## Code\n\`\`\`${lang}\nx\n\`\`\`\n`);
    const [e] = errors(source);
    expect(e).toMatchObject({ line: 8, field: 'type' });
    expect(e?.message).toContain(`needs "${needs}"`);
    expect(e?.message).toContain(`"${lang || '(none)'}"`);
  });

  it('reports several frontmatter errors at once, each on its own line', () => {
    const source = file(['skill_id: ../x', 'type: rust', 'inputs:', '  - name: 1bad', '    type: number', 'outputs:', '  - name: y', '    type: vector']);
    const errs = errors(source);
    expect(errs.map((e) => [e.line, e.field])).toEqual([
      [2, 'name'],
      [2, 'skill_id'],
      [3, 'type'],
      [5, 'inputs.0.name'],
      [9, 'outputs.0.type'],
    ]);
    expect(errs.every((e) => e.file === 'skills/demo.md')).toBe(true);
  });
});

describe('formatSkillError', () => {
  it('formats file:line: field: message', () => {
    expect(formatSkillError({ file: 'skills/a.md', line: 7, field: 'inputs.0.type', message: 'bad type' })).toBe(
      'skills/a.md:7: inputs.0.type: bad type',
    );
  });

  it('leaves the field out when there is none', () => {
    expect(formatSkillError({ file: 'skills/a.md', line: 1, message: 'no frontmatter' })).toBe('skills/a.md:1: no frontmatter');
  });

  it('formats real errors with the file name given to parseSkill', () => {
    const source = file([...MINIMAL, 'outputs:', '  - name: a', '    type: number', '    unit: m']);
    expect(errors(source, 'volumes/user/alice/skills/demo.md').map(formatSkillError)).toEqual([
      'volumes/user/alice/skills/demo.md:8: outputs.0.unit: unknown field "unit"; remove it or check its spelling',
    ]);
  });

  it('uses skill.md when no file name is given', () => {
    const r = parseSkill('no frontmatter');
    expect(r.ok ? [] : r.error.map(formatSkillError)).toEqual([
      'skill.md:1: the file must start with YAML frontmatter between two "---" lines',
    ]);
  });
});
