import type { Json } from '../../../shared/src/json';

/** A line chart: one or more series over a shared x axis. */
export interface SeriesView {
  kind: 'series';
  title?: string;
  xLabel: string;
  yLabel?: string;
  x: number[];
  series: Array<{ name: string; values: number[] }>;
  /** A horizontal reference line, e.g. an exact energy. */
  reference?: number;
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

/** Decides how an output value is drawn: numbers, tables, plots, SVG pictures, text or JSON. */
export function classifyOutput(name: string, value: Json): OutputView {
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (typeof value === 'string') return isSvgDocument(value) ? { kind: 'svg', url: svgDataUrl(value) } : { kind: 'text', value };
  if (isNumberArray(value) && value.length >= 2) {
    return { kind: 'series', xLabel: 'index', x: value.map((_, i) => i), series: [{ name, values: value }] };
  }
  if (Array.isArray(value) && value.length > 0 && value.every((row) => isPlainObject(row) && Object.values(row).every(isScalar))) {
    const rows = value as Array<Record<string, Json>>;
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return { kind: 'table', columns, rows: rows.slice(0, TABLE_ROWS).map((r) => columns.map((c) => r[c] ?? null)), total: rows.length };
  }
  if (isPlainObject(value)) {
    const chart = chartSpec(value);
    if (chart) return chart;
  }
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return { kind: 'json', text: text.length > JSON_CHARS ? `${text.slice(0, JSON_CHARS)}\n… (${text.length - JSON_CHARS} more characters)` : text };
}

/** Names of sweep axes: an ngspice output with one of these names is the x axis of the others. */
const AXES = ['time', 'frequency', 'sweep', 'v_sweep'];

/**
 * Circuit vectors as one plot: every numeric array output of an ngspice node that has the same
 * length, against `time`/`frequency` when the skill outputs it, else the point index.
 */
export function circuitPlot(outputs: Record<string, Json>): SeriesView | undefined {
  const arrays = Object.entries(outputs).filter((e): e is [string, number[]] => isNumberArray(e[1]) && e[1].length >= 2);
  if (arrays.length === 0) return undefined;
  const axis = arrays.find(([name]) => AXES.includes(name.toLowerCase()));
  const length = (axis ?? arrays[0])?.[1].length ?? 0;
  const series = arrays.filter(([name, values]) => name !== axis?.[0] && values.length === length).map(([name, values]) => ({ name, values }));
  if (series.length === 0) return undefined;
  return { kind: 'series', xLabel: axis?.[0] ?? 'point', x: axis?.[1] ?? Array.from({ length }, (_, i) => i), series };
}
