import { describe, expect, it } from 'vitest';
import { describeJavaScriptError } from '../../shared/src/execution/javascript-errors';
import { describePythonFailure, parseHarnessResult } from '../../shared/src/execution/python-harness';
import { parseSkill } from '../../shared/src/skill/parse';
import { errorPieces } from '../../shared/src/execution/error-lines';
import { browserErrorLocator } from '../src/runtimes/sandbox';
import { pythonSkill, javascriptSkill } from './run-e2e-helpers';

/** The lines of the file a piece list links to. */
const links = (text: string) => errorPieces(text).flatMap((p) => (typeof p === 'string' ? [] : [p.line]));
/** The file's text at a 1-based line. */
const lineOf = (markdown: string, line: number) => markdown.split('\n')[line - 1]?.trim();

const PY_CODE = 'import math\n\ndef helper(x):\n    return math.sqrt(x) / 0\n\ndef execute(inputs):\n    total = helper(inputs["n"])\n    return {"result": total}';

describe('error line links', () => {
  it('a real Python traceback links each frame to its line of the skill file (code fence start + offset)', () => {
    const markdown = pythonSkill('divide', PY_CODE);
    const parsed = parseSkill(markdown, 'divide.md');
    if (!parsed.ok) throw new Error('the skill should parse');
    // What the harness (shared/src/execution/python-harness.ts) answered under CPython 3.11 for
    // this code with inputs {"n": 3}: frames at code lines 7 and 4.
    const answer =
      '{"ok": false, "error": "ZeroDivisionError: float division by zero", "traceback": "Traceback (most recent call last):\\n  File \\"<skill>\\", line 7, in execute\\n    total = helper(inputs[\\"n\\"])\\n            ^^^^^^^^^^^^^^^^^^^\\n  File \\"<skill>\\", line 4, in helper\\n    return math.sqrt(x) / 0\\n           ~~~~~~~~~~~~~^~~\\nZeroDivisionError: float division by zero"}';
    const result = parseHarnessResult(answer);
    if (result.ok) throw new Error('the run should fail');
    const error = describePythonFailure(result, parsed.value);
    const lines = links(error);
    expect(lines).toEqual([parsed.value.codeLine + 6, parsed.value.codeLine + 3]);
    expect(lineOf(markdown, lines[0]!)).toBe('total = helper(inputs["n"])');
    expect(lineOf(markdown, lines[1]!)).toBe('return math.sqrt(x) / 0');
    // The whole text is kept, in order.
    expect(errorPieces(error).map((p) => (typeof p === 'string' ? p : p.text)).join('')).toBe(error);
  });

  it('a real Python syntax error links its line', () => {
    const markdown = pythonSkill('broken', 'def execute(inputs):\n    x = (1,\n    return {"result": x}');
    const parsed = parseSkill(markdown, 'broken.md');
    if (!parsed.ok) throw new Error('the skill should parse');
    const answer =
      '{"ok": false, "error": "File \\"<skill>\\", line 2\\n    x = (1,\\n        ^\\nSyntaxError: \'(\' was never closed", "traceback": "  File \\"<skill>\\", line 2\\n    x = (1,\\n        ^\\nSyntaxError: \'(\' was never closed"}';
    const result = parseHarnessResult(answer);
    if (result.ok) throw new Error('the run should fail');
    const [line] = links(describePythonFailure(result, parsed.value));
    expect(lineOf(markdown, line!)).toBe('x = (1,');
  });

  it('a real JavaScript stack, thrown in V8 from code compiled as the browser sandbox does, links its frames', () => {
    const code = 'function inner(x) {\n  return x.missing.value;\n}\nfunction execute(inputs) {\n  return { result: inner(inputs) };\n}';
    const markdown = javascriptSkill('throws', code);
    const parsed = parseSkill(markdown, 'throws.md');
    if (!parsed.ok) throw new Error('the skill should parse');
    let thrown: unknown;
    try {
      const execute = new Function(`${code}\nreturn execute;`)() as (inputs: unknown) => unknown;
      execute({});
    } catch (e) {
      thrown = e;
    }
    const error = describeJavaScriptError(thrown, parsed.value, browserErrorLocator(parsed.value, (c) => new Function(c)));
    const lines = links(error);
    expect(lines.map((l) => lineOf(markdown, l))).toEqual(['return x.missing.value;', 'return { result: inner(inputs) };']);
  });

  it('ngspice errors and text with no file reference', () => {
    expect(links('Error on line 14 of spice.md: unknown device')).toEqual([14]);
    expect(errorPieces('timed out after 30000 ms')).toEqual(['timed out after 30000 ms']);
  });
});
