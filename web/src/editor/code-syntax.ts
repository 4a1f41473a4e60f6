import type { Parser } from '@lezer/common';
import { parser as javascriptParser } from '@lezer/javascript';
import { parser as pythonParser } from '@lezer/python';
import type { Skill, SkillError } from '../../../shared/src/skill/parse';
import type { CodeLanguage } from '../../../shared/src/skill/schema';

/** At most this many syntax errors are reported: after the first few, recovery guesses more than it finds. */
const MAX_ERRORS = 3;

/** The Lezer grammar that checks each language's code; SPICE decks are only checked when ngspice runs them. */
const PARSERS: Partial<Record<CodeLanguage, { parser: Parser; label: string }>> = {
  python: { parser: pythonParser, label: 'Python' },
  javascript: { parser: javascriptParser, label: 'JavaScript' },
};

/** The 1-based line and the text of that line at an offset of `code`. */
function lineAt(code: string, offset: number): { line: number; text: string } {
  const before = code.slice(0, offset);
  const start = before.lastIndexOf('\n') + 1;
  const end = code.indexOf('\n', start);
  return { line: before.split('\n').length, text: code.slice(start, end < 0 ? code.length : end) };
}

/**
 * The syntax errors of a skill's code and of its `## Fallback` block (JavaScript), at their lines
 * of the skill's file (the first few of each, one per line). WGSL is checked when it compiles.
 */
export function codeSyntaxErrors(skill: Pick<Skill, 'file' | 'code' | 'codeLanguage' | 'codeLine' | 'fallback'>): SkillError[] {
  const fallback = skill.fallback ? blockSyntaxErrors({ file: skill.file, code: skill.fallback.code, codeLanguage: 'javascript', codeLine: skill.fallback.line }) : [];
  return [...blockSyntaxErrors(skill), ...fallback];
}

/** Lezer's parse tree marks what it could not read with error nodes. */
function blockSyntaxErrors(skill: Pick<Skill, 'file' | 'code' | 'codeLanguage' | 'codeLine'>): SkillError[] {
  const grammar = PARSERS[skill.codeLanguage];
  if (!grammar) return [];
  const errors: SkillError[] = [];
  const seen = new Set<number>();
  grammar.parser.parse(skill.code).iterate({
    enter: (node) => {
      if (errors.length >= MAX_ERRORS) return false;
      if (!node.type.isError) return;
      const at = lineAt(skill.code, node.from);
      const line = skill.codeLine + at.line - 1;
      if (seen.has(line)) return;
      seen.add(line);
      const near = skill.code.slice(node.from, node.to).trim() || at.text.trim();
      const message = near
        ? `${grammar.label} syntax error near "${near.slice(0, 40)}"; check this line and the one before it`
        : `${grammar.label} syntax error: the code ends too early (an unclosed bracket, string or block?)`;
      errors.push({ file: skill.file, line, message });
    },
  });
  return errors;
}
