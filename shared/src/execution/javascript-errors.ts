import { SkillRunError } from './types';

/** The part of a skill an error message points into. */
export interface SkillCode {
  file: string;
  code: string;
  /** 1-based file line of the code block's first line. */
  codeLine: number;
}

/** A frame of the skill's own code, at a line of its file. */
interface SkillFrame {
  fn?: string;
  line: number;
  column: number;
}

/** How one JavaScript runtime finds the skill's own lines in an error (its stacks differ). */
export interface ErrorLocator {
  /** The frames of `stack` that are in the skill's code, innermost first, at file lines. */
  frames(stack: string): SkillFrame[];
  /** The file line a syntax error is on, if it can be told. */
  syntaxLine(error: { message: string; stack: string }): number | undefined;
}

/**
 * EXEC-7: the error a JavaScript or Three.js skill's exception shows, the same text in the
 * browser and headless: `Name: message`, then the skill's own frames as `at fn (file:line:col)`;
 * a syntax error as `file:line`, that line of code, then `SyntaxError: message`. A value thrown
 * that is no error shows as `Uncaught value`.
 */
export function describeJavaScriptError(error: unknown, skill: SkillCode, locate: ErrorLocator): string {
  if (error instanceof SkillRunError) return error.message;
  if (error === null || typeof error !== 'object') {
    let shown: string | undefined;
    try {
      shown = JSON.stringify(error);
    } catch {
      shown = undefined;
    }
    return `Uncaught ${shown ?? String(error)}`;
  }
  const { name = 'Error', message = '', stack = '' } = error as { name?: unknown; message?: unknown; stack?: unknown };
  const parts = { name: String(name), message: String(message), stack: String(stack) };
  if (parts.name === 'SyntaxError') {
    const line = locate.syntaxLine(parts);
    if (line !== undefined) return `${skill.file}:${line}\n${skill.code.split('\n')[line - skill.codeLine] ?? ''}\nSyntaxError: ${parts.message}`;
  }
  const frames = locate.frames(parts.stack).map((f) => `    at ${f.fn ? `${f.fn} (${skill.file}:${f.line}:${f.column})` : `${skill.file}:${f.line}:${f.column}`}`);
  return [`${parts.name}: ${parts.message}`, ...frames].join('\n');
}

/** Reads V8 stack frames whose location matches `where` (its two groups: line and column). */
export function v8Frames(stack: string, where: string, toFileLine: (line: number) => number | undefined): SkillFrame[] {
  const frame = new RegExp(`^\\s*at (?:(.+?) \\()?${where}\\)?$`);
  const frames: SkillFrame[] = [];
  for (const text of stack.split('\n')) {
    const m = frame.exec(text);
    if (!m) continue;
    const line = toFileLine(Number(m[2]));
    if (line !== undefined) frames.push({ ...(m[1] ? { fn: m[1] } : {}), line, column: Number(m[3]) });
  }
  return frames;
}
