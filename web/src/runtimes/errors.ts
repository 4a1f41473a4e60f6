import { RuntimeError } from '../../../shared/src/execution/types';

export { RuntimeError };

/** A runtime's worker failed to load (offline before its files were cached, a crash at start). */
export class RuntimeLoadError extends RuntimeError {
  override name = 'RuntimeLoadError';
}
