import type { Json } from '../../../shared/src/json';
import { isSceneHandoff } from '../../../shared/src/execution/scene-handoff';

/** A line chart: one or more series over a shared x axis. */
export interface SeriesView {
  kind: 'series';
  title?: string;
  xLabel: string;
  yLabel?: string;
  x: number[];
  /** Series on the `right` axis (currents beside voltages) have a scale and a label of their own. */
  series: Array<{ name: string; values: number[]; axis?: 'right' }>;
  /** The right axis's label, when a series uses it. */
  rightLabel?: string;
  /** The x axis is logarithmic (an AC sweep by decades or octaves). */
  xLog?: boolean;
  /** A horizontal reference line, e.g. an exact energy. */
  reference?: number;
}

/** A 2-D numeric field (rows of equal length), drawn as a heatmap. */
export interface FieldView {
  kind: 'field';
  rows: number;
  columns: number;
  /** The values row by row. */
  values: Float64Array;
  min: number;
  max: number;
}

/** How one output is drawn in a node's result panel. */
export type OutputView =
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'text'; value: string }
  /** An SVG document, drawn as an <img> from this data: URL (its scripts never run). */
  | { kind: 'svg'; url: string }
  | { kind: 'table'; columns: string[]; rows: Json[][]; total: number }
  | SeriesView
  | FieldView
  | { kind: 'json'; text: string };

/** Tables show this many rows; the rest are counted. */
export const TABLE_ROWS = 200;
/** JSON beyond this many characters is cut (the full value is in the export). */
export const JSON_CHARS = 20_000;

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every(isFiniteNumber);
const isPlainObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Whether a string is an SVG document (optionally after an XML declaration, doctype or comments). */
export function isSvgDocument(text: string): boolean {
  const head = text.trimStart().replace(/^(<\?xml[^>]*\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>|\s)+/i, '');
  return /^<svg[\s>]/i.test(head) && /<\/svg>\s*$/i.test(text);
}

export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** A `{type: "line", x, y}` chart spec (Plot Convergence's `chart`), as a series view. */
function chartSpec(value: Record<string, Json>): SeriesView | undefined {
  if (value.type !== 'line' || !isNumberArray(value.y)) return undefined;
  const y = value.y;
  const x = isNumberArray(value.x) && value.x.length === y.length ? value.x : y.map((_, i) => i + 1);
  return {
    kind: 'series',
    title: typeof value.title === 'string' ? value.title : undefined,
    xLabel: typeof value.x_label === 'string' ? value.x_label : 'x',
    yLabel: typeof value.y_label === 'string' ? value.y_label : undefined,
    x,
    series: [{ name: typeof value.y_label === 'string' ? value.y_label : 'y', values: y }],
    reference: isFiniteNumber(value.reference) ? value.reference : undefined,
  };
}

/** Text cut after JSON_CHARS characters, saying how many more there are (the full value is in the export). */
const cut = (text: string): string => (text.length > JSON_CHARS ? `${text.slice(0, JSON_CHARS)}\n… (${text.length - JSON_CHARS} more characters)` : text);

/** Pretty JSON of a value, cut after JSON_CHARS characters. */
const jsonText = (value: Json): string => cut(JSON.stringify(value, null, 2) ?? 'null');

/** A field's numbers as JSON with one row to a line (pretty JSON would put each number on a line of its own), cut as JSON is. */
export function fieldText(view: FieldView): string {
  const rows = Array.from({ length: view.rows }, (_, r) => `[${Array.from(view.values.subarray(r * view.columns, (r + 1) * view.columns)).join(', ')}]`);
  return cut(`[\n${rows.join(',\n')}\n]`);
}

/** A 2-D field: at least 2 rows, all of the same length of at least 2, of finite numbers only. */
export function fieldOf(value: Json): FieldView | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const first = value[0];
  if (!Array.isArray(first) || first.length < 2) return undefined;
  const columns = first.length;
  const values = new Float64Array(value.length * columns);
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < value.length; r++) {
    const row = value[r];
    if (!Array.isArray(row) || row.length !== columns) return undefined;
    for (let c = 0; c < columns; c++) {
      const v = row[c];
      if (!isFiniteNumber(v)) return undefined;
      values[r * columns + c] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return { kind: 'field', rows: value.length, columns, values, min, max };
}

/** Decides how an output value is drawn: numbers, tables, plots, heatmaps, SVG pictures, text or JSON. */
export function classifyOutput(name: string, value: Json): OutputView {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'string') return isSvgDocument(value) ? { kind: 'svg', url: svgDataUrl(value) } : { kind: 'text', value };
  if (isNumberArray(value) && value.length >= 2) {
    return { kind: 'series', xLabel: 'index', x: value.map((_, i) => i), series: [{ name, values: value }] };
  }
  const field = fieldOf(value);
  if (field) return field;
  if (Array.isArray(value) && value.length > 0 && value.every((row) => isPlainObject(row) && Object.values(row).every(isScalar))) {
    const rows = value as Array<Record<string, Json>>;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return { kind: 'table', columns, rows: rows.slice(0, TABLE_ROWS).map((r) => columns.map((c) => r[c] ?? null)), total: rows.length };
  }
  if (isPlainObject(value)) {
    const chart = chartSpec(value);
    if (chart) return chart;
  }
  // A scene passed to the next Three.js node (EXEC-12) is drawn in that node's view; its JSON
  // (every vertex of every geometry) says nothing to a person.
  if (isSceneHandoff(value)) return { kind: 'text', value: sceneSummary(value.scene) };
  return { kind: 'json', text: jsonText(value) };
}

/** "A three.js scene of 3 objects (Mesh, DirectionalLight…), passed on to the next Three.js node". */
function sceneSummary(scene: Record<string, Json>): string {
  const root = scene.object;
  const children = isPlainObject(root) && Array.isArray(root.children) ? root.children : [];
  const types = [...new Set(children.map((c) => (isPlainObject(c) && typeof c.type === 'string' ? c.type : 'Object3D')))];
  return `A three.js scene of ${children.length} object${children.length === 1 ? '' : 's'}${types.length ? ` (${types.join(', ')})` : ''}, passed on to the next Three.js node.`;
}

/** A complex value of an AC vector, as the ngspice runtime outputs it. */
const isComplex = (v: unknown): v is { re: number; im: number } => isPlainObject(v) && isFiniteNumber(v.re) && isFiniteNumber(v.im);

/** A vector output as numbers: reals as they are, complex values by magnitude (by real part when all are real). */
function vectorValues(value: Json): { values: number[]; magnitude: boolean } | undefined {
  if (isNumberArray(value)) return { values: value, magnitude: false };
  if (!Array.isArray(value) || value.length === 0 || !value.every(isComplex)) return undefined;
  const complex = value as Array<{ re: number; im: number }>;
  if (complex.every((c) => c.im === 0)) return { values: complex.map((c) => c.re), magnitude: false };
  return { values: complex.map((c) => Math.hypot(c.re, c.im)), magnitude: true };
}

/**
 * The ngspice scale vectors an output can name, with the axis label: `time` (transient),
 * `frequency` (AC), the DC sweep (ngspice calls it `v(v-sweep)`, read by outputs named `sweep`
 * or `v_sweep`).
 */
const SCALES: Record<string, string> = {
  time: 'time (s)',
  frequency: 'frequency (Hz)',
  sweep: 'sweep (V)',
  v_sweep: 'sweep (V)',
  'v(v-sweep)': 'sweep (V)',
  i_sweep: 'sweep (A)',
  'i(i-sweep)': 'sweep (A)',
};

/** The unit of an output named after a node voltage (`v_out`, `v(out)`) or a branch current (`i_v1`, `i(v1)`). */
const unitOf = (name: string): 'V' | 'A' | undefined => (/^v[_(]/i.test(name) ? 'V' : /^i[_(]/i.test(name) ? 'A' : undefined);

/**
 * The swept variable of a netlist's DC sweep as an output: `.dc V1 …` with `V1 in 0 …` sweeps
 * v(in), which a skill outputs as `v_in`. Undefined for other analyses or a floating source.
 */
export function dcSweepAxis(netlist: string): { output: string; label: string } | undefined {
  const source = /^\s*\.dc\s+(v\S*)/im.exec(netlist)?.[1];
  if (!source) return undefined;
  const escaped = source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const nodes = new RegExp(`^\\s*${escaped}\\s+(\\S+)\\s+(\\S+)`, 'im').exec(netlist);
  if (!nodes?.[1] || !/^(0|gnd)$/i.test(nodes[2] ?? '')) return undefined;
  return { output: `v_${nodes[1].toLowerCase()}`, label: `${source} sweep (V)` };
}

/** A circuit plot, and the outputs it draws (they are not drawn again one by one). */
export type CircuitView = SeriesView & { drawn: string[] };

/**
 * Circuit vectors as one plot: every vector output of an ngspice node with the same length,
 * against the simulation's scale (time, frequency, the DC sweep) when the skill outputs it or
 * its netlist's DC sweep tells which output is the swept voltage, else the point index. Voltages
 * share the left axis, currents the right one, each with its unit; AC values by magnitude on a
 * logarithmic frequency axis.
 */
export function circuitPlot(outputs: Record<string, Json>, netlist = ''): CircuitView | undefined {
  const vectors = Object.entries(outputs).flatMap(([name, value]) => {
    const v = vectorValues(value);
    return v && v.values.length >= 2 ? [{ name, ...v }] : [];
  });
  if (vectors.length === 0) return undefined;
  const sweep = dcSweepAxis(netlist);
  const swept = sweep ? [sweep.output, `v(${sweep.output.slice(2)})`] : [];
  const scale = vectors.find((v) => SCALES[v.name.toLowerCase()] !== undefined) ?? vectors.find((v) => swept.includes(v.name.toLowerCase()));
  const length = (scale ?? vectors[0])?.values.length ?? 0;
  const plotted = vectors.filter((v) => v !== scale && v.values.length === length);
  if (plotted.length === 0) return undefined;
  const units = new Set(plotted.map((v) => unitOf(v.name)));
  // Two axes only when voltages and currents are both drawn; otherwise all share the left one.
  const split = units.has('A') && units.size > 1;
  const label = (name: string, magnitude: boolean) => (magnitude ? `|${name}|` : name);
  const xLabel = scale ? (SCALES[scale.name.toLowerCase()] ?? sweep?.label ?? scale.name) : 'point';
  const only = units.size === 1 ? [...units][0] : undefined;
  return {
    kind: 'series',
    drawn: [...(scale ? [scale.name] : []), ...plotted.map((v) => v.name)],
    xLabel,
    x: scale?.values ?? Array.from({ length }, (_, i) => i),
    series: plotted.map((v) => ({ name: label(v.name, v.magnitude), values: v.values, ...(split && unitOf(v.name) === 'A' ? { axis: 'right' as const } : {}) })),
    ...(split ? { yLabel: 'voltage (V)', rightLabel: 'current (A)' } : only ? { yLabel: only === 'V' ? 'voltage (V)' : 'current (A)' } : {}),
    ...(scale && scale.name.toLowerCase() === 'frequency' && scale.values.every((f) => f > 0) ? { xLog: true } : {}),
  };
}
