/**
 * The type of a skill with nothing to run. Kept apart from `schema.ts` so that code on the app's
 * first screen (the canvas's workflow checks) can name it without loading the schema library.
 */
export const INSTRUCTION_TYPE = 'instruction';
