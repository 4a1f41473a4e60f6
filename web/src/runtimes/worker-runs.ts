import type { CancelMessage, PreloadMessage, RunMessage, WorkerReply } from './protocol';

/**
 * Worker-side bookkeeping of the run protocol: receives runs, withdrawals and (for a worker whose
 * engine takes a while) requests to load ahead, and tells the host when a run's skill code starts
 * (until then the host may withdraw it without killing the worker).
 */
export function serveRuns<T extends RunMessage>(run: (message: T) => Promise<void>, preload?: () => void): void {
  self.addEventListener('message', (event: MessageEvent<T | CancelMessage | PreloadMessage>) => {
    const message = event.data;
    if (message?.type === 'cancel') withdrawn.add(message.id);
    else if (message?.type === 'run') void run(message);
    else if (message?.type === 'preload') preload?.();
  });
}

const withdrawn = new Set<number>();
let started: number | undefined;

/** The run whose code started last (the host refuses requests of runs that have ended). */
export const currentRun = (): number | undefined => started;
/** Taken at load: a skill sandbox may take `postMessage` away from the global scope later. */
export const post = self.postMessage.bind(self) as (reply: WorkerReply) => void;

/**
 * Call right before the skill's own code runs: false if the host withdrew the run meanwhile
 * (then do not run it), else tells the host the code is starting.
 */
export function startRun(id: number): boolean {
  if (withdrawn.delete(id)) {
    post({ type: 'failed', id, kind: 'runtime', message: 'withdrawn', stdout: '' });
    return false;
  }
  started = id;
  post({ type: 'started', id });
  return true;
}
