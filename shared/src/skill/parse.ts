import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { err, ok, type Result } from '../result';
import { CODE_LANGUAGE, SkillFrontmatterSchema, type SkillFrontmatter } from './schema';

/** One problem in a skill file, located precisely enough to fix it. */
export interface SkillError {
  file: string;
  /** 1-based line in the file. */
  line: number;
  /** Dotted path of the frontmatter field, e.g. `inputs.0.type`; absent for body errors. */
  field?: string;
  message: string;
}

/** A parsed, validated skill. */
export interface Skill {
  file: string;
  frontmatter: SkillFrontmatter;
  /** Everything after the frontmatter, as written. */
  body: string;
  /** The contents of the `## Code` fenced block. */
  code: string;
  codeLanguage: 'python' | 'javascript' | 'spice';
  /** 1-based file line of the code block's first line, for mapping tracebacks back. */
  codeLine: number;
}

/** Formats a skill error as `file:line: field: message`. */
export const formatSkillError = (e: SkillError): string =>
  `${e.file}:${e.line}: ${e.field ? `${e.field}: ` : ''}${e.message}`;

const LANGUAGE_ALIASES: Record<string, 'python' | 'javascript' | 'spice'> = {
  python: 'python',
  py: 'python',
  javascript: 'javascript',
  js: 'javascript',
  spice: 'spice',
  ngspice: 'spice',
};

interface Frontmatter {
  yaml: string;
  /** 0-based file line where the YAML text starts. */
  firstLine: number;
  body: string;
  /** 0-based file line where the body starts. */
  bodyLine: number;
}

function splitFrontmatter(source: string): Frontmatter | undefined {
  const lines = source.split('\n');
  if (lines[0]?.trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0) return undefined;
  return {
    yaml: lines.slice(1, close).join('\n'),
    firstLine: 1,
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 1,
  };
}

/** Finds the YAML source offset of a field path, falling back to its nearest existing parent. */
function offsetOf(doc: Document, path: readonly PropertyKey[], unknownKey?: string): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (unknownKey !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === unknownKey);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      // A key's value is located at the key, which is where people look for it.
      const parent = depth > 0 ? doc.getIn(path.slice(0, depth - 1) as (string | number)[], true) : undefined;
      const key = path[depth - 1];
      if (isMap(parent) && typeof key === 'string') {
        const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
      return (node.range as number[])[0] ?? 0;
    }
  }
  return 0;
}

function issuesToErrors(
  issues: z.core.$ZodIssue[],
  doc: Document,
  counter: LineCounter,
  file: string,
  firstLine: number,
): SkillError[] {
  const out: SkillError[] = [];
  for (const issue of issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [undefined];
    for (const key of keys) {
      const path = key === undefined ? issue.path : [...issue.path, key];
      const offset = offsetOf(doc, issue.path, key);
      const message = key === undefined ? issue.message : `unknown field "${key}"; remove it or check its spelling`;
      out.push({ file, line: counter.linePos(offset).line + firstLine, field: path.join('.') || undefined, message } as SkillError);
    }
  }
  return out;
}

function findCode(
  fm: Frontmatter,
  file: string,
  expected: 'python' | 'javascript' | 'spice',
): Result<{ code: string; codeLanguage: 'python' | 'javascript' | 'spice'; codeLine: number }, SkillError[]> {
  const lines = fm.body.split('\n');
  const heading = lines.findIndex((l) => /^##\s+Code\s*$/i.test(l.trim()));
  if (heading < 0) {
    return err([{ file, line: fm.bodyLine + 1, message: 'the body has no "## Code" section; add one with a fenced code block' }]);
  }
  const open = lines.findIndex((l, i) => i > heading && /^(```|~~~)/.test(l.trim()));
  if (open < 0) {
    return err([{ file, line: fm.bodyLine + heading + 1, message: 'the "## Code" section has no fenced code block (```)' }]);
  }
  const fence = (lines[open] ?? '').trim();
  const marker = fence.slice(0, 3);
  const lang = fence.slice(3).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const close = lines.findIndex((l, i) => i > open && l.trim() === marker);
  if (close < 0) {
    return err([{ file, line: fm.bodyLine + open + 1, message: `the code block is never closed; add a line with ${marker}` }]);
  }
  const language = LANGUAGE_ALIASES[lang];
  if (language !== expected) {
    return err([
      {
        file,
        line: fm.bodyLine + open + 1,
        field: 'type',
        message: `the code block's language is "${lang || '(none)'}" but this skill's type needs "${expected}"`,
      },
    ]);
  }
  return ok({ code: lines.slice(open + 1, close).join('\n'), codeLanguage: language, codeLine: fm.bodyLine + open + 2 });
}

/**
 * Parses and validates a skill file (Markdown with YAML frontmatter and a `## Code` block).
 * Every problem found is reported with its file, line and field.
 */
export function parseSkill(source: string, file = 'skill.md'): Result<Skill, SkillError[]> {
  const text = source.replace(/\r\n?/g, '\n');
  const fm = splitFrontmatter(text);
  if (!fm) {
    return err([{ file, line: 1, message: 'the file must start with YAML frontmatter between two "---" lines' }]);
  }
  const counter = new LineCounter();
  const doc = parseDocument(fm.yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return err(
      doc.errors.map((e) => ({
        file,
        line: counter.linePos(e.pos[0]).line + fm.firstLine,
        message: `YAML: ${e.message.split('\n')[0] ?? e.message}`,
      })),
    );
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return err([{ file, line: fm.firstLine + 1, message: 'the frontmatter must be a YAML mapping of fields' }]);
  }
  const parsed = SkillFrontmatterSchema.safeParse(data);
  if (!parsed.success) return err(issuesToErrors(parsed.error.issues, doc, counter, file, fm.firstLine));
  const code = findCode(fm, file, CODE_LANGUAGE[parsed.data.type]);
  if (!code.ok) return code;
  return ok({ file, frontmatter: parsed.data, body: fm.body, ...code.value });
}
