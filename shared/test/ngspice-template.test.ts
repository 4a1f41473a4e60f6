/*
 * The ngspice skill conventions in shared/src/skill/ngspice.ts.
 *
 * Runtime conventions (the runtimes of a later issue implement exactly these):
 * - ngspice: a skill's `spice` code block is a netlist template; `renderNetlist(template, inputs)` replaces
 *   each `{{name}}` (spaces inside the braces allowed) with the input value — numbers via `String`,
 *   strings verbatim (one line only), booleans as 1/0 — and throws naming every placeholder without a
 *   value. An output port names the simulation vector it reads: `vectorNameForOutput('v_out')` is
 *   `v(out)`, `i_v1` is `i(v1)`, and any other name is the vector of that name, lower-cased (`time`).
 * - python / javascript / threejs skills are covered in sync-server/test/headless/system-skills-run.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { netlistPlaceholders, renderNetlist, vectorNameForOutput } from '../src/skill/ngspice';

const DIVIDER = `* divider
V1 in 0 DC {{vin}}
R1 in out {{ r1 }}
R2 out 0 {{r2}}
.param half={{{r2}}/2}
.op
.end`;

describe('renderNetlist', () => {
  it('replaces every placeholder, including repeated ones and ones with spaces inside the braces', () => {
    expect(renderNetlist('{{a}} {{a}} {{ b }}', { a: 1, b: 'x' })).toBe('1 1 x');
    expect(renderNetlist(DIVIDER, { vin: 5, r1: 1000, r2: '2.2k' })).toBe(`* divider
V1 in 0 DC 5
R1 in out 1000
R2 out 0 2.2k
.param half={2.2k/2}
.op
.end`);
  });

  it('writes numbers the way ngspice reads them', () => {
    expect(renderNetlist('{{x}}', { x: 1e-9 })).toBe('1e-9');
    expect(renderNetlist('{{x}}', { x: -0.5 })).toBe('-0.5');
    expect(renderNetlist('{{x}}', { x: 0 })).toBe('0');
    expect(renderNetlist('{{on}} {{off}}', { on: true, off: false })).toBe('1 0');
  });

  it('leaves text that is not a placeholder alone, and ignores unused inputs', () => {
    const template = '.param a={b*2}\n* {{ not a name }} {{1x}}\n';
    expect(renderNetlist(template, { unused: 3 })).toBe(template);
  });

  it('throws naming the placeholder with no value', () => {
    expect(() => renderNetlist(DIVIDER, { vin: 5, r1: 1000 })).toThrow(
      'Netlist placeholder {{r2}} has no value: set input "r2".',
    );
    expect(() => renderNetlist(DIVIDER, { vin: 5, r1: null })).toThrow(
      'Netlist placeholders {{r1}}, {{r2}} have no value: set inputs "r1", "r2".',
    );
    // Inherited properties are not values.
    expect(() => renderNetlist('{{constructor}}', {})).toThrow(/\{\{constructor\}\} has no value/);
  });

  it('rejects values that cannot go into a netlist line', () => {
    expect(() => renderNetlist('R1 a b {{r}}', { r: Number.NaN })).toThrow('{{r}} is NaN; give a finite number');
    expect(() => renderNetlist('R1 a b {{r}}', { r: '1k\n.include /etc/passwd' })).toThrow(/must be a single line/);
    expect(() => renderNetlist('R1 a b {{r}}', { r: [1] })).toThrow('{{r}} needs a number or a string, got an array');
    expect(() => renderNetlist('R1 a b {{r}}', { r: { v: 1 } })).toThrow(/got object/);
  });

  it('lists the placeholders of a template once each, in order', () => {
    expect(netlistPlaceholders(DIVIDER)).toEqual(['vin', 'r1', 'r2']);
    expect(netlistPlaceholders('no placeholders')).toEqual([]);
  });
});

describe('vectorNameForOutput', () => {
  it('maps v_node to v(node) and i_source to i(source)', () => {
    expect(vectorNameForOutput('v_out')).toBe('v(out)');
    expect(vectorNameForOutput('i_v1')).toBe('i(v1)');
    expect(vectorNameForOutput('V_OUT')).toBe('v(out)');
    expect(vectorNameForOutput('v_node_2')).toBe('v(node_2)');
  });

  it('uses any other name as the lower-cased vector name', () => {
    expect(vectorNameForOutput('time')).toBe('time');
    expect(vectorNameForOutput('Frequency')).toBe('frequency');
    expect(vectorNameForOutput('vout')).toBe('vout');
    expect(vectorNameForOutput('v_')).toBe('v_');
  });
});
