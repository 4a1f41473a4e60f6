import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { sceneHandoff } from '../../shared/src/execution/scene-handoff';
import { outputsFromVectors } from '../../shared/src/execution/ngspice-vectors';
import { circuitPlot, classifyOutput, dcSweepAxis, isSvgDocument, JSON_CHARS, TABLE_ROWS } from '../src/run/classify';
import { fileOutput } from '../src/run/file-output';

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
  it('draws every vector of equal length against time when there is one, voltages and currents on their own axes', () => {
    const view = circuitPlot({ time: [0, 1, 2], v_out: [0, 1, 0], i_v1: [0, -1, 0], gain: 3, short: [1, 2] });
    expect(view).toEqual({
      kind: 'series',
      drawn: ['time', 'v_out', 'i_v1'],
      xLabel: 'time (s)',
      x: [0, 1, 2],
      series: [{ name: 'v_out', values: [0, 1, 0] }, { name: 'i_v1', values: [0, -1, 0], axis: 'right' }],
      yLabel: 'voltage (V)',
      rightLabel: 'current (A)',
    });
  });
  it('otherwise against the point index; nothing to draw without vectors', () => {
    expect(circuitPlot({ v_out: [1, 2] })).toEqual({ kind: 'series', drawn: ['v_out'], xLabel: 'point', x: [0, 1], series: [{ name: 'v_out', values: [1, 2] }], yLabel: 'voltage (V)' });
    expect(circuitPlot({ v_out: 2.5 })).toBeUndefined();
  });
});

/*
 * Real simulations: the vectors eecircuit-engine (ngspice) returned for these netlists (first
 * points), turned into outputs by the runtime's own outputsFromVectors, as a skill declares them.
 */
const DIVIDER = '* divider sweep\nV1 in 0 DC 5\nR1 in out 1k\nR2 out 0 1k\n.dc V1 0 5 1\n.end';
const DC_VECTORS = [
  { name: 'v(v-sweep)', values: [0, 1, 2, 3, 4, 5] },
  { name: 'v(in)', values: [0, 1, 2, 3, 4, 5] },
  { name: 'v(out)', values: [0, 0.5, 1, 1.5, 2, 2.5] },
  { name: 'i(v1)', values: [0, -0.0005, -0.001, -0.0015, -0.002, -0.0025] },
];
const AC_VECTORS = [
  { name: 'frequency', values: [10, 31.622776601683796, 100.00000000000001, 316.227766016838, 1000.0000000000003].map((real) => ({ real, img: 0 })) },
  {
    name: 'v(out)',
    values: [
      { real: 0.9960676824071726, img: -0.06258477827057168 },
      { real: 0.9620209357541625, img: -0.19114563799586973 },
      { real: 0.7169568003248977, img: -0.4504772433683887 },
      { real: 0.20210832286437805, img: -0.401572594549636 },
      { real: 0.024704523031857627, img: -0.15522309613464758 },
    ],
  },
];
const TRAN_VECTORS = [
  { name: 'time', values: [0, 1e-8, 1.08400056e-8, 1.25200168e-8, 1.58800392e-8, 2.2600083999999998e-8] },
  { name: 'v(out)', values: [0, 9.999900000999989e-8, 1.091045737695783e-7, 1.2872692362191409e-7, 1.7643882310066894e-7, 3.0573127890508536e-7] },
  { name: 'i(v1)', values: [0, -0.00000999990000099999, -0.000010839896495426232, -0.000012519888073076379, -0.0000158798627611769, -0.000022599778268721094] },
];
const arrays = (...names: string[]) => names.map((name) => ({ name, type: 'array' }));

describe('circuit plot of real ngspice outputs', () => {
  it('a DC sweep is drawn against its swept voltage, found from the netlist, with the current on a second axis', () => {
    const outputs = outputsFromVectors(arrays('v_out', 'v_in', 'i_v1'), DC_VECTORS);
    const view = circuitPlot(outputs, DIVIDER);
    expect(view?.xLabel).toBe('V1 sweep (V)');
    expect(view?.x).toEqual([0, 1, 2, 3, 4, 5]);
    expect(view?.series.map((s) => [s.name, s.axis ?? 'left'])).toEqual([['v_out', 'left'], ['i_v1', 'right']]);
    expect([view?.yLabel, view?.rightLabel]).toEqual(['voltage (V)', 'current (A)']);
  });

  it("a DC sweep read as ngspice's own sweep vector (an output named v_sweep) is the x axis", () => {
    const view = circuitPlot(outputsFromVectors(arrays('v_sweep', 'v_out'), DC_VECTORS));
    expect(view?.xLabel).toBe('sweep (V)');
    expect(view?.x).toEqual([0, 1, 2, 3, 4, 5]);
    expect(view?.series.map((s) => s.name)).toEqual(['v_out']);
  });

  it('an AC analysis is drawn by magnitude against a logarithmic frequency axis', () => {
    const view = circuitPlot(outputsFromVectors(arrays('frequency', 'v_out'), AC_VECTORS));
    expect(view?.xLabel).toBe('frequency (Hz)');
    expect(view?.xLog).toBe(true);
    expect(view?.x[0]).toBe(10);
    expect(view?.series[0]?.name).toBe('|v_out|');
    expect(view?.series[0]?.values[0]).toBeCloseTo(Math.hypot(0.9960676824071726, -0.06258477827057168), 12);
  });

  it('a transient is drawn against time, volts and amperes apart', () => {
    const view = circuitPlot(outputsFromVectors(arrays('time', 'v_out', 'i_v1'), TRAN_VECTORS));
    expect(view?.xLabel).toBe('time (s)');
    expect(view?.series.find((s) => s.name === 'i_v1')?.axis).toBe('right');
    expect(view?.series.find((s) => s.name === 'v_out')?.axis).toBeUndefined();
  });
});

describe('the swept variable of a netlist', () => {
  it('is the voltage of the swept source\'s node when its other end is ground', () => {
    expect(dcSweepAxis(DIVIDER)).toEqual({ output: 'v_in', label: 'V1 sweep (V)' });
    expect(dcSweepAxis('V1 a b DC 1\n.dc V1 0 1 0.1')).toBeUndefined();
    expect(dcSweepAxis('.tran 1u 1m')).toBeUndefined();
  });
});

describe('outputs people want as something else than their JSON', () => {
  it('a scene passed between Three.js nodes shows as one line naming its objects', () => {
    const scene = new THREE.Scene();
    scene.add(new THREE.Mesh(new THREE.BoxGeometry(1, 1, 1), new THREE.MeshStandardMaterial()));
    scene.add(new THREE.DirectionalLight());
    const camera = new THREE.PerspectiveCamera();
    const view = classifyOutput('scene', sceneHandoff({ scene, camera }));
    expect(view).toEqual({ kind: 'text', value: 'A three.js scene of 2 objects (Mesh, DirectionalLight), passed on to the next Three.js node.' });
    // Any other object is still shown as its JSON.
    expect(classifyOutput('scene', { scene: 1, camera: 2 }).kind).toBe('json');
  });

  it('a file a skill made (content, filename, media type) is offered as a download', () => {
    expect(fileOutput({ content: 'a,b\n1,2\n', filename: 'out.csv', mime_type: 'text/csv' })).toEqual({ content: 'a,b\n1,2\n', filename: 'out.csv', mimeType: 'text/csv' });
    expect(fileOutput({ content: '{}', filename: ' r.json ' })).toEqual({ content: '{}', filename: 'r.json', mimeType: 'text/plain' });
    expect(fileOutput({ content: 'x', filename: '' })).toBeUndefined();
    expect(fileOutput({ content: 3, filename: 'n.txt' })).toBeUndefined();
    expect(fileOutput({ energy: -1.137 })).toBeUndefined();
  });
});
