import { RuntimeError, SkillRunError } from './types';

/**
 * What a runtime's worker says about a run, the same for the browser's Web Workers
 * (`web/src/runtimes/worker-host.ts`) and Node's worker threads (`sync-server/src/headless/
 * worker-pool.ts`). `id` pairs replies with the run they belong to; `R` is the runtime's result
 * (JSON outputs in the browser, an engine's raw answer headless).
 */
export type RunReply<R> =
  /** The engine is loaded and the skill's own code starts now (EXEC-9): its time limit starts. */
  | { type: 'started'; id: number }
  | { type: 'stdout'; id: number; text: string }
  | { type: 'done'; id: number; result: R; stdout: string }
  /**
   * `skill`: the skill's own code failed (shown on the node as the skill's error);
   * `runtime`: the runtime itself could not run it (engine failed to load, package missing).
   */
  | { type: 'failed'; id: number; kind: 'skill' | 'runtime'; message: string; stdout: string };

/** A failed reply as the error the host rejects the run with. */
export const replyError = (reply: Extract<RunReply<unknown>, { type: 'failed' }>): Error =>
  reply.kind === 'skill' ? new SkillRunError(reply.message, reply.stdout) : new RuntimeError(reply.message);

/** A worker's own error as a failed reply: the skill's when it is a `SkillRunError`. */
export function failedReply(id: number, error: unknown, stdout: string): Extract<RunReply<never>, { type: 'failed' }> {
  // Errors of skill code may come from another realm (node:vm) and be no host `Error`.
  const message = error !== null && typeof error === 'object' && 'message' in error ? String(error.message) : String(error);
  return { type: 'failed', id, kind: error instanceof SkillRunError ? 'skill' : 'runtime', message, stdout };
}
