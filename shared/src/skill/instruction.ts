/**
 * The type of a skill with nothing to run. Kept apart from `schema.ts` so that code on the app's
 * first screen (the canvas's workflow checks) can name it without loading the schema library.
 */
export const INSTRUCTION_TYPE = 'instruction';

/** The type of a skill whose code is a workflow: it runs as its inner nodes. Kept here for the same reason. */
export const COMPOUND_TYPE = 'compound';
