import type { InputPort } from './schema';

/**
 * Port rules that need no schema library, so the app's first screen loads without one
 * (`schema.ts` and the parser load later).
 */

/** An input is required when it has no default and does not say `required: false`. */
export const isRequiredInput = (port: InputPort): boolean => port.required ?? port.default === undefined;
