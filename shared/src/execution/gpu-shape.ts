import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import { evaluateGpuExpr, parseGpuExpr, type GpuExprScope, type GpuExprSource } from '../skill/gpu-expression';
import { inputDefault } from '../skill/ports';
import type { Skill } from '../skill/parse';

/** The value of each input a run sees: the one given, else the skill's default. */
export function inputValues(skill: Skill, inputs: Record<string, Json>): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const port of skill.frontmatter.inputs) {
    const value = port.name in inputs ? inputs[port.name] : inputDefault(port);
    if (value !== undefined) values.set(port.name, value);
  }
  return values;
}

/** A JSON array of numbers or of rows, flattened row-major; or the first element that is not a number. */
export function flattenNumbers(value: unknown): Result<number[], { index: string; value: unknown }> {
  if (!Array.isArray(value)) return err({ index: '', value });
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item === 'number') out.push(item);
    else if (Array.isArray(item)) {
      const inner = flattenNumbers(item);
      if (!inner.ok) return err({ index: `[${i}]${inner.error.index}`, value: inner.error.value });
      out.push(...inner.value);
    } else return err({ index: `[${i}]`, value: item });
  }
  return ok(out);
}

/** What expressions read from a run's inputs: numbers by name, `len(x)` as flattened lengths. */
export function gpuScope(values: Map<string, unknown>): GpuExprScope {
  return {
    value: (name) => {
      const v = values.get(name);
      return typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : undefined;
    },
    length: (name) => {
      const flat = flattenNumbers(values.get(name));
      return flat.ok ? flat.value.length : undefined;
    },
  };
}

/** Evaluates one expression of the skill's frontmatter (already checked by the schema). */
export function evaluateField(source: GpuExprSource, scope: GpuExprScope): Result<number, string> {
  const expr = parseGpuExpr(source);
  return expr.ok ? evaluateGpuExpr(expr.value, scope) : expr;
}

/** Each output's `shape` evaluated for these inputs (outputs whose shape has no value are left out). */
export function outputShapes(skill: Skill, inputs: Record<string, Json>): Map<string, number[]> {
  const scope = gpuScope(inputValues(skill, inputs));
  const shapes = new Map<string, number[]>();
  for (const port of skill.frontmatter.outputs) {
    if (!port.shape) continue;
    const dims = port.shape.map((d) => evaluateField(d, scope));
    if (dims.every((d) => d.ok)) shapes.set(port.name, dims.map((d) => (d as { value: number }).value));
  }
  return shapes;
}

/** A flat array as nested rows of `shape` (row-major); anything else (already rows, no shape) as it is. */
export function toRows(value: Json, shape: number[] | undefined): Json {
  if (!shape || shape.length < 2 || !Array.isArray(value) || value.some((v) => Array.isArray(v))) return value;
  const [, ...rest] = shape;
  const size = rest.reduce((a, b) => a * b, 1);
  const rows: Json[] = [];
  for (let i = 0; i * size < value.length; i++) rows.push(toRows(value.slice(i * size, (i + 1) * size), rest));
  return rows;
}
