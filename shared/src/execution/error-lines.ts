/**
 * The places in a run's error that point into the skill's Markdown file, so the app can link
 * them to the editor at that line and the server can name the line in a run's error. Runtimes
 * already map their lines to the file's (code fence start + offset): Python's
 * `File "x.md", line 12` (python-harness.ts `mapTraceback`), JavaScript's `at fn (x.md:12:5)` and
 * `x.md:12` (javascript-errors.ts), ngspice's `line 12 of x.md` (ngspice-vectors.ts).
 */

/** A piece of an error's text: plain, or a reference to a line of the skill file. */
export type ErrorPiece = string | { text: string; line: number; file: string };

const FILE = String.raw`([^\s"():]+\.md)`;
const REFERENCES = new RegExp(
  [String.raw`File "${FILE}", line (\d+)`, String.raw`${FILE}:(\d+)(?::\d+)?`, String.raw`line (\d+) of ${FILE}`].join('|'),
  'g',
);

/** Splits an error into text and references to lines of the skill's Markdown file. */
export function errorPieces(text: string): ErrorPiece[] {
  const pieces: ErrorPiece[] = [];
  let at = 0;
  for (const m of text.matchAll(REFERENCES)) {
    const line = Number(m[2] ?? m[4] ?? m[5]);
    const file = (m[1] ?? m[3] ?? m[6]) as string;
    if (m.index > at) pieces.push(text.slice(at, m.index));
    pieces.push({ text: m[0], line, file });
    at = m.index + m[0].length;
  }
  if (at < text.length) pieces.push(text.slice(at));
  return pieces;
}

/**
 * The gist of an error for one line: its last unindented line (a Python exception's
 * `ZeroDivisionError: …`, not a traceback frame or a JavaScript stack frame).
 */
export const errorGist = (text: string): string | undefined =>
  text
    .split('\n')
    .filter((l) => l.trim() && !/^\s/.test(l))
    .at(-1);
