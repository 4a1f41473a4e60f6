/**
 * The expected result of a workflow template (`skills/templates/<id>.expected.json`): for some
 * nodes, checks on some of their outputs. Every node of the template must end done; the checks
 * say what its results must look like, with tolerances where numbers come from a simulation:
 *
 *   { "nodes": { "vqe": { "eigenvalue": { "near": -1.1373, "within": 0.001 },
 *                         "convergence_trace": { "type": "array", "minLength": 10 } } } }
 *
 * A check is an object of any of these conditions, all of which must hold:
 *   equals (any JSON, deep) · near + within (a number within ± within; within defaults to 1e-9)
 *   · min / max (a number's bounds) · type (number, integer, string, boolean, array, object,
 *   null) · length / minLength / maxLength (an array's or a string's) · startsWith / contains
 *   (a string's) · keys (an object's exact keys, in any order) · fields (key → check) · items
 *   (a check for every element of an array) · first / last / at (index → check) · monotonic
 *   ("increasing": an array of numbers that never goes down; "decreasing": never up).
 */
import { z } from 'zod';
import type { Json } from '../../../shared/src/json';

export interface Check {
  equals?: Json;
  near?: number;
  within?: number;
  min?: number;
  max?: number;
  type?: 'number' | 'integer' | 'string' | 'boolean' | 'array' | 'object' | 'null';
  length?: number;
  minLength?: number;
  maxLength?: number;
  startsWith?: string;
  contains?: string;
  keys?: string[];
  fields?: Record<string, Check>;
  items?: Check;
  first?: Check;
  last?: Check;
  at?: Record<string, Check>;
  monotonic?: 'increasing' | 'decreasing';
}

const count = z.number().int().nonnegative();
const CheckSchema: z.ZodType<Check> = z.lazy(() =>
  z
    .strictObject({
      equals: z.json().optional(),
      near: z.number().optional(),
      within: z.number().positive().optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      type: z.enum(['number', 'integer', 'string', 'boolean', 'array', 'object', 'null']).optional(),
      length: count.optional(),
      minLength: count.optional(),
      maxLength: count.optional(),
      startsWith: z.string().optional(),
      contains: z.string().optional(),
      keys: z.array(z.string()).optional(),
      fields: z.record(z.string(), CheckSchema).optional(),
      items: CheckSchema.optional(),
      first: CheckSchema.optional(),
      last: CheckSchema.optional(),
      at: z.record(z.string().regex(/^\d+$/, 'indices are whole numbers'), CheckSchema).optional(),
      monotonic: z.enum(['increasing', 'decreasing']).optional(),
    })
    .refine((c) => Object.keys(c).length > 0, 'a check needs at least one condition')
    .refine((c) => c.within === undefined || c.near !== undefined, '"within" goes with "near"'),
);

/** An expected-result file: node id → output name → check. */
export const ExpectedSchema = z.strictObject({
  /** What the template shows, for whoever reads the file. */
  about: z.string().optional(),
  nodes: z.record(z.string(), z.record(z.string(), CheckSchema)),
});
export type Expected = z.infer<typeof ExpectedSchema>;

const kindOf = (v: Json): NonNullable<Check['type']> =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : 'object';

const show = (v: Json | undefined) => {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
};

/** Deep equality of JSON values (object keys in any order). */
function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]!));
  const ak = Object.keys(a);
  const bo = b as Record<string, Json>;
  return ak.length === Object.keys(bo).length && ak.every((k) => k in bo && same((a as Record<string, Json>)[k]!, bo[k]!));
}

/** Every way `value` (at `where`) fails `check`; empty when it passes. */
export function problemsOf(value: Json | undefined, check: Check, where: string): string[] {
  if (value === undefined) return [`${where} is missing`];
  const out: string[] = [];
  const fail = (what: string) => out.push(`${where} ${what}, got ${show(value)}`);
  const kind = kindOf(value);
  if (check.equals !== undefined && !same(value, check.equals)) fail(`should equal ${show(check.equals)}`);
  if (check.type && !(check.type === kind || (check.type === 'integer' && Number.isInteger(value)))) fail(`should be ${check.type === 'integer' ? 'an integer' : `of type ${check.type}`}`);
  if (check.near !== undefined || check.min !== undefined || check.max !== undefined) {
    if (typeof value !== 'number') fail('should be a number');
    else {
      const within = check.within ?? 1e-9;
      if (check.near !== undefined && !(Math.abs(value - check.near) <= within)) fail(`should be ${check.near} ± ${within}`);
      if (check.min !== undefined && value < check.min) fail(`should be at least ${check.min}`);
      if (check.max !== undefined && value > check.max) fail(`should be at most ${check.max}`);
    }
  }
  if (check.length !== undefined || check.minLength !== undefined || check.maxLength !== undefined) {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
    if (length === undefined) fail('should have a length (an array or a string)');
    else {
      if (check.length !== undefined && length !== check.length) fail(`should have length ${check.length}, not ${length}`);
      if (check.minLength !== undefined && length < check.minLength) fail(`should have length at least ${check.minLength}, not ${length}`);
      if (check.maxLength !== undefined && length > check.maxLength) fail(`should have length at most ${check.maxLength}, not ${length}`);
    }
  }
  if (check.startsWith !== undefined && !(typeof value === 'string' && value.trimStart().startsWith(check.startsWith))) fail(`should start with ${show(check.startsWith)}`);
  if (check.contains !== undefined && !(typeof value === 'string' && value.includes(check.contains))) fail(`should contain ${show(check.contains)}`);
  if (check.keys || check.fields) {
    if (kind !== 'object') fail('should be an object');
    else {
      const fields = value as Record<string, Json>;
      if (check.keys && !same([...Object.keys(fields)].sort(), [...check.keys].sort())) fail(`should have exactly the keys ${show(check.keys)}`);
      for (const [key, c] of Object.entries(check.fields ?? {})) out.push(...problemsOf(fields[key], c, `${where}.${key}`));
    }
  }
  if (check.items || check.first || check.last || check.at || check.monotonic) {
    if (!Array.isArray(value)) fail('should be an array');
    else {
      value.forEach((item, i) => check.items && out.push(...problemsOf(item, check.items, `${where}[${i}]`)));
      if (check.first) out.push(...problemsOf(value[0], check.first, `${where}[0]`));
      if (check.last) out.push(...problemsOf(value.at(-1), check.last, `${where}[${value.length - 1}]`));
      for (const [i, c] of Object.entries(check.at ?? {})) out.push(...problemsOf(value[Number(i)], c, `${where}[${i}]`));
      if (check.monotonic) {
        const sign = check.monotonic === 'increasing' ? 1 : -1;
        const bad = value.findIndex((v, i) => i > 0 && !(typeof v === 'number' && typeof value[i - 1] === 'number' && sign * (v - (value[i - 1] as number)) >= 0));
        if (bad > 0) fail(`should never go ${sign > 0 ? 'down' : 'up'}, but [${bad}] does`);
      }
    }
  }
  return out;
}
