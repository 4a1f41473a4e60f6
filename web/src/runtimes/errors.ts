/** A runtime could not start or could not run a skill for reasons outside the skill's code. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** A runtime's worker failed to load (offline before its files were cached, a crash at start). */
export class RuntimeLoadError extends RuntimeError {
  override name = 'RuntimeLoadError';
}
