import { describeJavaScriptError } from '../../../shared/src/execution/javascript-errors';
import { toJsonOutputs } from '../../../shared/src/execution/json-outputs';
import type { Json } from '../../../shared/src/json';
import { Stdout } from '../../../shared/src/execution/stdout';
import { RuntimeError } from '../../../shared/src/execution/types';
import type { RunMessage } from './protocol';
import { browserErrorLocator, captureConsole } from './sandbox';
import { post, startRun } from './worker-runs';

/** How a sandboxed worker runs one kind of skill code. */
export interface SandboxedKind {
  /** Names the skill's function in messages, e.g. "execute(inputs)". */
  what: string;
  /** Compiles code as the worker does (used to find a syntax error's line). */
  compile: (code: string) => unknown;
  /** Lines the compiled source has before the skill's first line. */
  headerLines: number;
}

let current: Stdout | null = null;

/** Sends the skill's console output to the run it belongs to; call once, before the lock-down. */
export const captureRunOutput = (): void => captureConsole((text) => current?.write(text));

/**
 * Runs one skill in a JavaScript-sandbox worker (JavaScript and Three.js): stdout captured and
 * streamed (EXEC-4), the result converted to JSON (EXEC-1), an exception described at the
 * skill's lines (EXEC-7). `body` compiles and calls the skill's code.
 */
export async function runSandboxed(
  { id, skill }: RunMessage,
  kind: SandboxedKind,
  body: () => Promise<unknown>,
  /** Runs on the converted outputs before the run is done (Three.js draws scene descriptions). */
  after?: (outputs: Record<string, Json>) => void,
): Promise<void> {
  if (!startRun(id)) return;
  const out = new Stdout((text) => post({ type: 'stdout', id, text }));
  current = out;
  try {
    const outputs = toJsonOutputs(await body(), kind.what);
    after?.(outputs);
    out.flush();
    post({ type: 'done', id, result: outputs, stdout: out.all });
  } catch (e) {
    out.flush();
    // WebGL missing is the browser's failure, not the skill's.
    const failure =
      e instanceof RuntimeError
        ? { kind: 'runtime' as const, message: e.message }
        : { kind: 'skill' as const, message: describeJavaScriptError(e, skill, browserErrorLocator(skill, kind.compile, kind.headerLines)) };
    post({ type: 'failed', id, ...failure, stdout: out.all });
  } finally {
    current = null;
  }
}
