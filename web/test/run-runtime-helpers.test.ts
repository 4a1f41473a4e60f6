// The pure parts of the browser runtimes: the skill sandbox's blocked globals, console capture
// and error locations (the rules they follow are in shared/src/execution, tested there).
import { describe, expect, it } from 'vitest';
import { describeJavaScriptError } from '../../shared/src/execution/javascript-errors';
import { browserErrorLocator, captureConsole, lockDownGlobals, SandboxError } from '../src/runtimes/sandbox';

describe('skill sandbox', () => {
  it('replaces network and storage globals with ones that fail saying why, for good', () => {
    const scope = { fetch: () => 'real', indexedDB: {}, XMLHttpRequest: class {} } as unknown as typeof globalThis;
    lockDownGlobals(scope);
    const s = scope as unknown as Record<string, unknown>;
    expect(() => (s.fetch as () => void)()).toThrow(SandboxError);
    expect(() => (s.fetch as () => void)()).toThrow('fetch is not available: skills run without network access');
    expect(() => new (s.XMLHttpRequest as new () => unknown)()).toThrow(/XMLHttpRequest is not available/);
    expect(() => (s.indexedDB as { open(): void }).open()).toThrow(/indexedDB is not available: skills run without this app's stored data/);
    expect(typeof s.fetch).toBe('function');
    expect(() => {
      'use strict';
      s.fetch = () => 'back';
    }).toThrow(TypeError);
    expect(() => delete s.fetch).toThrow(TypeError);
  });

  it('EXEC-4: captures console output of every level as stdout lines, without level prefixes', () => {
    const saved = { ...console };
    const out: string[] = [];
    try {
      captureConsole((t) => out.push(t));
      console.log('a', 1, { b: 2 });
      console.warn('careful');
    } finally {
      Object.assign(console, saved);
    }
    expect(out).toEqual(['a 1 {"b":2}\n', 'careful\n']);
  });

  it('EXEC-7: points an error at the skill file line of the code that threw, and a syntax error at its line', () => {
    const skill = { file: 'skills/x.md', code: 'function f() {\n  return null.x;\n}\nf();', codeLine: 40 };
    const compile = (code: string) => new Function(code);
    let error: unknown;
    try {
      (compile(skill.code) as () => void)();
    } catch (e) {
      error = e;
    }
    // Line 2 of the code block, which starts at line 40 of the file.
    expect(describeJavaScriptError(error, skill, browserErrorLocator(skill, compile))).toMatch(/^TypeError: .*\n {4}at f \(skills\/x\.md:41:\d+\)\n {4}at skills\/x\.md:43:\d+$/);
    expect(describeJavaScriptError('plain', skill, browserErrorLocator(skill, compile))).toBe('Uncaught "plain"');
    const broken = { ...skill, code: 'const a = 1;\nreturn { x: 1 ;\n' };
    let syntax: unknown;
    try {
      compile(broken.code);
    } catch (e) {
      syntax = e;
    }
    expect(describeJavaScriptError(syntax, broken, browserErrorLocator(broken, compile))).toMatch(/^skills\/x\.md:41\nreturn \{ x: 1 ;\nSyntaxError: /);
  });
});
