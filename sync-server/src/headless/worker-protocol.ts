import type { RunReply } from '../../../shared/src/execution/worker-protocol';

/** Messages between a runtime's host (`WorkerPool`) and its worker thread (`serve`). */

/** Host → worker: run one job. A worker runs one job at a time. */
export interface RunMessage<P> {
  type: 'run';
  id: number;
  payload: P;
}

/** Worker → host: its engine's state, then the replies about runs every runtime sends. */
export type WorkerMessage<R> =
  | { type: 'ready' }
  /** The runtime could not start (e.g. Pyodide failed to load); the worker is useless. */
  | { type: 'fatal'; error: string }
  | RunReply<R>;

/** What the boot module passes on to the entry. */
export interface BootData {
  entry: string;
}
