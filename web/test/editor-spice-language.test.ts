// The SPICE highlighting of the skill editor: what each part of a netlist is tokenized as.
import { StringStream } from '@codemirror/language';
import { describe, expect, it } from 'vitest';
import { spiceStreamParser, type SpiceState } from '../src/editor/spice-language';

/** Each line's tokens as `text:kind`, spaces left out, through one tokenizer state as CodeMirror does. */
function tokenize(lines: string[]): string[][] {
  const state: SpiceState = spiceStreamParser.startState!(2);
  return lines.map((line) => {
    const stream = new StringStream(line, 2, 2);
    const out: string[] = [];
    while (!stream.eol()) {
      const kind = spiceStreamParser.token(stream, state);
      if (stream.current().trim()) out.push(`${stream.current()}:${kind}`);
      stream.start = stream.pos;
    }
    return out;
  });
}

describe('SPICE tokens', () => {
  it('reads comments, dot commands, element names, values with units and placeholders', () => {
    expect(
      tokenize(['* a divider', 'V1 in 0 DC {{vin}}', 'R1 in out 10k ; the top', 'C1 out 0 100nF $ load', '+ 2meg', '.tran 1u 10m', '.param gain=1.5e-3']),
    ).toEqual([
      ['* a divider:comment'],
      ['V1:typeName', 'in:variableName', '0:number', 'DC:variableName', '{{vin}}:variableName.special'],
      ['R1:typeName', 'in:variableName', 'out:variableName', '10k:number', '; the top:comment'],
      ['C1:typeName', 'out:variableName', '0:number', '100nF:number', '$ load:comment'],
      ['+:operator', '2meg:number'],
      ['.tran:keyword', '1u:number', '10m:number'],
      ['.param:keyword', 'gain:propertyName', '=:operator', '1.5e-3:number'],
    ]);
  });

  it('reads the first word of a line as a command inside .control and as an element outside it', () => {
    expect(tokenize(['.control', 'run', 'plot v(out)', '.endc', 'run1 a b 1k'])).toEqual([
      ['.control:keyword'],
      ['run:keyword'],
      ['plot:keyword', 'v:variableName', '(:bracket', 'out:variableName', '):bracket'],
      ['.endc:keyword'],
      ['run1:typeName', 'a:variableName', 'b:variableName', '1k:number'],
    ]);
  });
});
