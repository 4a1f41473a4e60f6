import type { Json } from '../json';
import { SkillRunError } from './types';

/**
 * EXEC-1: how a skill's returned value becomes JSON outputs, the same in every runtime. A value
 * is converted where its meaning survives (a typed array or a Set becomes an array, a Map with
 * string or number keys an object, a Date its ISO string, a BigInt within ±2^53 a number) and
 * refused, naming the output and the path, where JSON would silently change it (NaN, ±Infinity,
 * a cycle, a function, a class instance). Values come from other realms too (node:vm, a worker),
 * so nothing here relies on `instanceof`.
 */

/** What to do instead, said after every refusal (the Python harness says it too). */
export const JSON_ADVICE = 'return numbers, strings, booleans, null, arrays or plain objects';
/** Refusals the Python harness words the same way. */
export const BIG_INTEGER = 'is an integer beyond ±2^53, which a JSON number cannot hold exactly (return it as a string)';
export const BAD_KEY = 'has a key that is not a string or a finite number';
export const CLASS_INSTANCE = '(a class instance; copy the fields you need into a plain object)';

/** A result that does not follow the output contract (EXEC-1 to EXEC-3): the skill's own error. */
export class OutputError extends SkillRunError {
  override name = 'OutputError';
}

/** The message for an output JSON cannot carry: `problem` is a path and what is wrong there. */
const notJsonMessage = (output: string, problem: string): string => `output "${output}" is not JSON: ${problem}; ${JSON_ADVICE}`;

/** An object's built-in tag (`Map`, `Float64Array`, `Error`…), whichever realm made it. */
export const tagOf = (value: object): string => Object.prototype.toString.call(value).slice(8, -1);

/** The class a value was made by, for messages (`Vector3`), from any realm. */
function className(value: object): string {
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name ? ctor.name : tagOf(value);
}

/** A plain object of any realm: its prototype is null or some realm's Object.prototype. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

class Refusal {
  constructor(readonly problem: string) {}
}

function convertNumber(value: number, path: string): number {
  if (Number.isFinite(value)) return value;
  throw new Refusal(`${path} is ${value}`);
}

function convertBigInt(value: bigint, path: string): number {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
  throw new Refusal(`${path} ${BIG_INTEGER}`);
}

/** A Map key as an object key: strings as they are, finite numbers as JSON writes them. */
function mapKey(key: unknown, path: string): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(key);
  throw new Refusal(`${path} ${BAD_KEY}`);
}

function convert(value: unknown, path: string, open: Set<object>): Json | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return convertNumber(value, path);
    case 'bigint':
      return convertBigInt(value, path);
    case 'undefined':
      return undefined;
    case 'function':
      throw new Refusal(`${path} is a function`);
    case 'symbol':
      throw new Refusal(`${path} is a symbol`);
  }
  if (value === null) return null;
  const object = value as object;
  if (open.has(object)) throw new Refusal(`${path} refers back to itself (a cycle)`);
  open.add(object);
  try {
    return convertObject(object, path, open);
  } finally {
    open.delete(object);
  }
}

function convertObject(object: object, path: string, open: Set<object>): Json {
  const tag = tagOf(object);
  // In an array, undefined becomes null, as JSON.stringify writes it.
  const element = (v: unknown, i: number) => convert(v, `${path}[${i}]`, open) ?? null;
  if (Array.isArray(object)) return object.map(element);
  if (ArrayBuffer.isView(object)) {
    if (tag === 'DataView') throw new Refusal(`${path} is a DataView (return a typed array or an array of numbers)`);
    return Array.from(object as unknown as ArrayLike<number | bigint>, element);
  }
  if (tag === 'Set') return Array.from(object as Set<unknown>, element);
  if (tag === 'Map') {
    const out: Record<string, Json> = {};
    for (const [k, v] of object as Map<unknown, unknown>) {
      const key = mapKey(k, path);
      const converted = convert(v, `${path}.${key}`, open);
      if (converted !== undefined) out[key] = converted;
    }
    return out;
  }
  if (tag === 'Date') {
    const time = (object as Date).getTime();
    if (Number.isNaN(time)) throw new Refusal(`${path} is an invalid Date`);
    return new Date(time).toISOString();
  }
  if (!isPlainObject(object)) throw new Refusal(`${path} is a ${className(object)} ${CLASS_INSTANCE}`);
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(object)) {
    // A property left undefined is left out, as JSON.stringify does.
    const converted = convert(v, `${path}.${k}`, open);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

/** How a returned value is described when it is not an object of outputs. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return isPlainObject(value) ? 'an object' : `a ${className(value)}`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}

/**
 * Converts what a skill returned to JSON outputs (EXEC-1), or throws an `OutputError` naming
 * the output and the path that JSON cannot carry. `what` names the function in messages.
 * An output whose value is undefined is left out (and so reported missing if declared).
 */
export function toJsonOutputs(result: unknown, what = 'execute(inputs)'): Record<string, Json> {
  if (result === null || typeof result !== 'object' || Array.isArray(result) || !(isPlainObject(result) || tagOf(result) === 'Map')) {
    throw new OutputError(`${what} must return an object keyed by output names, got ${kindOf(result)}`);
  }
  const entries: Array<[string, unknown]> = tagOf(result) === 'Map' ? [...(result as Map<unknown, unknown>)].map(([k, v]) => [String(k), v]) : Object.entries(result);
  const outputs: Record<string, Json> = {};
  for (const [name, value] of entries) {
    try {
      const converted = convert(value, name, new Set([result]));
      if (converted !== undefined) outputs[name] = converted;
    } catch (e) {
      if (e instanceof Refusal) throw new OutputError(notJsonMessage(name, e.problem));
      throw e;
    }
  }
  return outputs;
}
