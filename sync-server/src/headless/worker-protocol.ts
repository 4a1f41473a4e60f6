/** Messages between a runtime's host (`WorkerPool`) and its worker thread (`serve`). */

/** Host → worker: run one job. A worker runs one job at a time. */
export interface RunMessage<P> {
  type: 'run';
  payload: P;
}

/** Worker → host. */
export type WorkerMessage<R> =
  | { type: 'ready' }
  /** The runtime could not start (e.g. Pyodide failed to load); the worker is useless. */
  | { type: 'fatal'; error: string }
  | { type: 'stdout'; text: string }
  | { type: 'done'; value: R; stdout: string }
  /** `skill`: the skill's own failure (shown on its node), else the runtime's. */
  | { type: 'failed'; error: string; stdout: string; skill: boolean };

/** What the boot module passes on to the entry. */
export interface BootData {
  entry: string;
}
