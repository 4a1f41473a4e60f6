/** A problem tolerated in a skill file, located like an error: the file is kept as written. */
export interface TextWarning {
  /** 1-based line in the file. */
  line: number;
  field?: string;
  message: string;
}

/** A skill file split into its YAML frontmatter and body, with line ends made `\n`. */
export interface SplitSkillText {
  yaml: string;
  /** 0-based file line where the YAML text starts. */
  firstLine: number;
  body: string;
  /** 0-based file line where the body starts. */
  bodyLine: number;
  warnings: TextWarning[];
}

const BOM = '\uFEFF';

/**
 * Splits a skill file's text. A UTF-8 byte order mark, CRLF line ends and `---` lines with
 * trailing spaces are read as if they were not there, each with a warning; line numbers stay
 * those of the file. Undefined when the file does not open with frontmatter between two `---`.
 */
export function splitSkillText(source: string): SplitSkillText | undefined {
  const warnings: TextWarning[] = [];
  let text = source;
  if (text.startsWith(BOM)) {
    text = text.slice(1);
    warnings.push({ line: 1, message: 'the file starts with a UTF-8 byte order mark; it is read without it and kept as written' });
  }
  if (/\r/.test(text)) {
    warnings.push({ line: 1, message: 'the file has CRLF (Windows) line ends; it is read as LF and kept as written' });
    text = text.replace(/\r\n?/g, '\n');
  }
  const lines = text.split('\n');
  if (lines[0]?.trim() !== '---') return undefined;
  const close = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (close < 0) return undefined;
  for (const i of [0, close]) {
    if (lines[i] !== '---') warnings.push({ line: i + 1, message: 'this "---" line has spaces around it; it is read as "---"' });
  }
  return {
    yaml: lines.slice(1, close).join('\n'),
    firstLine: 1,
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 1,
    warnings,
  };
}
