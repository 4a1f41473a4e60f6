import type { InputPort } from './schema';

/**
 * Port rules that need no schema library, so the app's first screen loads without one
 * (`schema.ts` and the parser load later).
 */

/** Types a port can declare; `any` connects to everything, `integer` feeds `number`. */
export const PORT_TYPES = ['number', 'integer', 'string', 'boolean', 'object', 'array', 'any'] as const;
export type PortType = (typeof PORT_TYPES)[number];

/**
 * The value an input takes when nothing feeds or sets it, or undefined when it has none. The
 * original's writer emits `default: null` with `required: true` for "no default", so that pair
 * means none; any other default, `null` included, is a value.
 */
export const inputDefault = (port: InputPort): unknown => (port.default === null && port.required === true ? undefined : port.default);

/**
 * An input must be fed or set when it has no default and does not say `required: false`; a
 * default satisfies it whether or not it says `required: true`. A WebGPU array input with a
 * `length` needs nothing either: left unfed, it is a zero-filled buffer of that length.
 */
export const isRequiredInput = (port: InputPort): boolean => inputDefault(port) === undefined && port.required !== false && port.length === undefined;
