import { StreamLanguage, type StreamParser, type StringStream } from '@codemirror/language';

/** Where the tokenizer is in a netlist: inside `.control` … `.endc` lines are ngspice commands. */
export interface SpiceState {
  inControl: boolean;
}

/** A value with an optional scale (`meg`, `k`, `u`…) and unit letters: `10k`, `1.5e-3`, `2meg`, `5V`, `100nF`. */
const VALUE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?[a-z]*/i;
const WORD = /^[A-Za-z_][\w.#]*/;

function lineStart(stream: StringStream, state: SpiceState): string | null {
  if (stream.peek() === '*') {
    stream.skipToEnd();
    return 'comment';
  }
  if (stream.eat('+')) return 'operator';
  if (stream.match(/^\.[A-Za-z]+/)) {
    const command = stream.current().toLowerCase();
    if (command === '.control') state.inControl = true;
    else if (command === '.endc') state.inControl = false;
    return 'keyword';
  }
  // In a `.control` block the first word is a command (`run`, `plot`, `let`); elsewhere it names an element (`R1`, `V1`, `Xamp`).
  if (stream.match(WORD)) return state.inControl ? 'keyword' : 'typeName';
  return null;
}

/**
 * SPICE netlists for CodeMirror's stream parser: `*` comment lines and `;`/`$` trailing comments,
 * dot commands (`.tran`, `.dc`, `.control`…), element names, values with units, `name=value`
 * parameters and LLMunix's `{{input}}` placeholders.
 */
export const spiceStreamParser: StreamParser<SpiceState> = {
  name: 'spice',
  startState: () => ({ inControl: false }),
  copyState: (state) => ({ ...state }),
  token(stream, state) {
    if (stream.sol()) {
      stream.eatSpace();
      if (stream.eol()) return null;
      const kind = lineStart(stream, state);
      if (kind) return kind;
    }
    if (stream.eatSpace()) return null;
    if (stream.match(';') || stream.match(/^\$(?=\s|$)/)) {
      stream.skipToEnd();
      return 'comment';
    }
    if (stream.match(/^\{\{\s*\w+\s*\}\}/)) return 'variableName.special';
    if (stream.match(/^["']/)) {
      const quote = stream.current();
      while (!stream.eol() && stream.next() !== quote);
      return 'string';
    }
    if (stream.match(VALUE)) return 'number';
    if (stream.match(WORD)) return stream.peek() === '=' ? 'propertyName' : 'variableName';
    if (stream.match(/^[{}()]/)) return 'bracket';
    if (stream.match(/^[=+\-*/<>!?:,]+/)) return 'operator';
    stream.next();
    return null;
  },
  languageData: { commentTokens: { line: '*' } },
};

/** The SPICE language for the skill editor's `spice` code fences. */
export const spiceLanguage = StreamLanguage.define(spiceStreamParser);
