import { describe, expect, it } from 'vitest';
import { circuitPlot, classifyOutput, isSvgDocument, JSON_CHARS, TABLE_ROWS } from '../src/run/classify';

describe('output classification', () => {
  it('numbers, booleans and plain text', () => {
    expect(classifyOutput('e', -1.137)).toEqual({ kind: 'number', value: -1.137 });
    expect(classifyOutput('ok', true)).toEqual({ kind: 'boolean', value: true });
    expect(classifyOutput('s', 'hello <b>')).toEqual({ kind: 'text', value: 'hello <b>' });
  });

  it('an SVG document becomes a data: URL for an <img>, never markup', () => {
    const svg = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n';
    const view = classifyOutput('svg', svg);
    expect(view.kind).toBe('svg');
    if (view.kind !== 'svg') return;
    expect(view.url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(view.url.slice(view.url.indexOf(',') + 1))).toBe(svg);
    expect(view.url).not.toContain('<');
    expect(isSvgDocument('<svg>unclosed')).toBe(false);
    expect(isSvgDocument('text mentioning <svg></svg>')).toBe(false);
    expect(isSvgDocument('<!-- c --><svg viewBox="0 0 1 1"></svg>')).toBe(true);
  });

  it('an array of numbers is a line plot over the index; one number alone is JSON', () => {
    expect(classifyOutput('trace', [3, 2, 1])).toEqual({ kind: 'series', xLabel: 'index', x: [0, 1, 2], series: [{ name: 'trace', values: [3, 2, 1] }] });
    expect(classifyOutput('one', [1]).kind).toBe('json');
    expect(classifyOutput('mixed', [1, 'a']).kind).toBe('json');
  });

  it('an array of flat objects is a table with the union of their keys', () => {
    const view = classifyOutput('rows', [{ a: 1, b: 'x' }, { b: 'y', c: null }]);
    expect(view).toEqual({ kind: 'table', columns: ['a', 'b', 'c'], rows: [[1, 'x', null], [null, 'y', null]], total: 2 });
    const big = classifyOutput('big', Array.from({ length: TABLE_ROWS + 5 }, (_, i) => ({ i })));
    expect(big.kind === 'table' && [big.rows.length, big.total]).toEqual([TABLE_ROWS, TABLE_ROWS + 5]);
    expect(classifyOutput('nested', [{ a: { b: 1 } }]).kind).toBe('json');
  });

  it('a line chart spec (Plot Convergence’s chart) is a plot with its labels and reference', () => {
    const view = classifyOutput('chart', { type: 'line', title: 'Convergence', x_label: 'Iteration', y_label: 'Energy', x: [1, 2], y: [-1.1, -1.13], reference: -1.137 });
    expect(view).toEqual({
      kind: 'series',
      title: 'Convergence',
      xLabel: 'Iteration',
      yLabel: 'Energy',
      x: [1, 2],
      series: [{ name: 'Energy', values: [-1.1, -1.13] }],
      reference: -1.137,
    });
  });

  it('anything else is pretty JSON, cut when very long', () => {
    expect(classifyOutput('h', { num_qubits: 2 })).toEqual({ kind: 'json', text: '{\n  "num_qubits": 2\n}' });
    expect(classifyOutput('n', null)).toEqual({ kind: 'json', text: 'null' });
    const long = classifyOutput('long', { s: 'x'.repeat(JSON_CHARS * 2) });
    expect(long.kind === 'json' && long.text.length).toBeLessThan(JSON_CHARS + 100);
  });
});

describe('circuit plot', () => {
  it('draws every vector of equal length against time when there is one', () => {
    const view = circuitPlot({ time: [0, 1, 2], v_out: [0, 1, 0], i_v1: [0, -1, 0], gain: 3, short: [1, 2] });
    expect(view).toEqual({ kind: 'series', xLabel: 'time', x: [0, 1, 2], series: [{ name: 'v_out', values: [0, 1, 0] }, { name: 'i_v1', values: [0, -1, 0] }] });
  });
  it('otherwise against the point index; nothing to draw without vectors', () => {
    expect(circuitPlot({ v_out: [1, 2] })).toEqual({ kind: 'series', xLabel: 'point', x: [0, 1], series: [{ name: 'v_out', values: [1, 2] }] });
    expect(circuitPlot({ v_out: 2.5 })).toBeUndefined();
  });
});
