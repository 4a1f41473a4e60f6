import type { CodeLanguage } from './schema';

const LANGUAGE_ALIASES: Readonly<Record<string, CodeLanguage>> = {
  python: 'python',
  py: 'python',
  javascript: 'javascript',
  js: 'javascript',
  spice: 'spice',
  ngspice: 'spice',
  wgsl: 'wgsl',
};

/** What a body's `## Code` section holds. Lines are 0-based lines of the body. */
export type CodeSection =
  | { kind: 'none' }
  | { kind: 'no-fence'; headingLine: number }
  | { kind: 'unclosed'; fenceLine: number; marker: string }
  | {
      kind: 'block';
      /** The fence's language as written, lower-cased ('' when none). */
      lang: string;
      /** The language LLMunix runs it as, if it runs that language. */
      language: CodeLanguage | undefined;
      code: string;
      fenceLine: number;
      /** The closing fence's line. */
      closeLine: number;
    };

/** Finds the first fenced block of a body's `## Code` section. */
export const findCodeSection = (body: string): CodeSection => findSection(body, 'Code');

/** Finds the first fenced block of a body's `## <title>` section (`Code`, `Fallback`). */
export function findSection(body: string, title: string): CodeSection {
  const lines = body.split('\n');
  const headingPattern = new RegExp(`^##\\s+${title}\\s*$`, 'i');
  const heading = lines.findIndex((l) => headingPattern.test(l.trim()));
  if (heading < 0) return { kind: 'none' };
  const open = lines.findIndex((l, i) => i > heading && /^(```|~~~)/.test(l.trim()));
  if (open < 0) return { kind: 'no-fence', headingLine: heading };
  const fence = (lines[open] ?? '').trim();
  const marker = fence.slice(0, 3);
  const lang = fence.slice(3).trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const close = lines.findIndex((l, i) => i > open && l.trim() === marker);
  if (close < 0) return { kind: 'unclosed', fenceLine: open, marker };
  return { kind: 'block', lang, language: LANGUAGE_ALIASES[lang], code: lines.slice(open + 1, close).join('\n'), fenceLine: open, closeLine: close };
}
