// The skill editor's code check: Python and JavaScript syntax errors at their lines of the skill's
// file, none for valid code (every system skill's among it).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSkill } from '../../shared/src/skill/parse';
import { codeSyntaxErrors } from '../src/editor/code-syntax';

const SKILLS = path.resolve(__dirname, '../../skills');

/** A skill whose code block starts on line 20 of its file. */
const skill = (codeLanguage: 'python' | 'javascript' | 'spice', code: string) => ({ file: 'volumes/user/default/skills/s.md', codeLine: 20, codeLanguage, code });
const lines = (errors: ReturnType<typeof codeSyntaxErrors>) => errors.map((e) => e.line);

describe('codeSyntaxErrors', () => {
  it('finds nothing wrong in the system skills (compound ones have no code of their own to check)', () => {
    let checked = 0;
    for (const name of fs.readdirSync(SKILLS).filter((f) => f.endsWith('.md'))) {
      const read = readSkill(fs.readFileSync(path.join(SKILLS, name), 'utf8'), { file: name });
      if (!read.ok || read.value.kind === 'instruction') throw new Error(`${name} does not parse as a skill that runs`);
      if (read.value.kind === 'compound') continue;
      expect(codeSyntaxErrors(read.value), name).toEqual([]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('accepts valid Python of many forms', () => {
    const code = [
      'import math',
      '',
      'async def helper(x, *args, **kwargs):',
      '    await other()',
      '    return [i ** 2 for i in range(x) if i % 2] or {k: v for k, v in kwargs.items()}',
      '',
      'def execute(inputs):',
      '    label = f"{inputs[\'x\']:.2f}"',
      '    match label:',
      '        case "1.00":',
      '            pass',
      '    with open("x") as f, open("y") as g:',
      '        pass',
      '    try:',
      '        value = (lambda v: v * 2)(inputs["x"])',
      '    except (ValueError, KeyError) as e:',
      '        raise RuntimeError("bad") from e',
      '    return {"doubled": value}',
    ].join('\n');
    expect(codeSyntaxErrors(skill('python', code))).toEqual([]);
  });

  it('puts a Python syntax error at its line of the file', () => {
    const missingColon = codeSyntaxErrors(skill('python', 'def execute(inputs)\n    return {"a": 1}\n'));
    expect(lines(missingColon)).toEqual([20]);
    expect(missingColon[0]).toMatchObject({ file: 'volumes/user/default/skills/s.md', message: expect.stringContaining('Python syntax error') });

    const dangling = codeSyntaxErrors(skill('python', 'def execute(inputs):\n    x = 1\n    return {"a": inputs["x"] * }\n'));
    expect(lines(dangling)).toEqual([22]);

    const noColonAfterIf = codeSyntaxErrors(skill('python', 'def execute(inputs):\n    x = 1\n    if x\n        return {}\n'));
    expect(lines(noColonAfterIf)).toEqual([22]);
  });

  it('reports a few errors, one per line, at most three', () => {
    const code = Array.from({ length: 8 }, (_, i) => `x${i} = (${i} +)`).join('\n');
    const errors = codeSyntaxErrors(skill('python', code));
    expect(lines(errors)).toEqual([20, 21, 22]);
  });

  it('accepts valid JavaScript, Three.js bodies with top-level await and return among it', () => {
    expect(codeSyntaxErrors(skill('javascript', 'function execute(inputs) {\n  const { a, ...rest } = inputs;\n  return { a: a?.b ?? 1, c: `x${rest}` };\n}\n'))).toEqual([]);
    expect(codeSyntaxErrors(skill('javascript', 'const mesh = await load();\nscene.add(mesh);\nreturn { count: 1 };\n'))).toEqual([]);
  });

  it('puts a JavaScript syntax error at its line of the file', () => {
    const errors = codeSyntaxErrors(skill('javascript', 'function execute(inputs) {\n  const a = ;\n  return { a };\n}\n'));
    expect(errors[0]).toMatchObject({ line: 21, message: expect.stringContaining('JavaScript syntax error') });
    expect(lines(codeSyntaxErrors(skill('javascript', 'function execute(inputs) {\n  return { a: inputs.x * };\n}\n')))).toEqual([21]);
  });

  it('leaves SPICE decks to ngspice', () => {
    expect(codeSyntaxErrors(skill('spice', 'R1 in out ((( nonsense'))).toEqual([]);
  });
});

describe('codeSyntaxErrors: webgpu skills', () => {
  it('leaves WGSL to its compiler and checks the fallback as JavaScript, at its own lines', () => {
    const kernel = { file: 'k.md', codeLine: 20, codeLanguage: 'wgsl' as const, code: '@compute @workgroup_size(WG_X) fn main( {' };
    expect(codeSyntaxErrors(kernel)).toEqual([]);
    const fallback = { code: 'function execute(inputs) {\n  return { c: [1, 2 };\n}', line: 40 };
    const errors = codeSyntaxErrors({ ...kernel, fallback });
    expect(lines(errors)).toEqual([41]);
    expect(errors[0]?.message).toMatch(/^JavaScript syntax error/);
    expect(codeSyntaxErrors({ ...kernel, fallback: { code: 'function execute(inputs) {\n  return {};\n}', line: 40 } })).toEqual([]);
  });
});
