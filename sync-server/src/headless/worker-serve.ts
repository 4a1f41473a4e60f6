import { parentPort } from 'node:worker_threads';
import { formatConsoleLine, Stdout } from '../../../shared/src/execution/stdout';
import { SkillRunError } from '../../../shared/src/execution/types';
import type { RunMessage, WorkerMessage } from './worker-protocol';

const port = parentPort;
const send = <R>(message: WorkerMessage<R>) => port?.postMessage(message);

/**
 * Serves a runtime in this worker thread: `init` once (loading the engine), then one job at a
 * time. Anything the engine or the skill prints through `console` goes to the current job's
 * output: the worker's own stdout would otherwise reach the CLI's stdout, which holds only JSON.
 */
export function serve<P, R, S>(init: () => Promise<S>, handle: (payload: P, state: S, out: Stdout) => Promise<R>): void {
  if (!port) throw new Error('serve() runs inside a worker thread');
  let current: Stdout | undefined;
  let fail: ((e: unknown) => void) | undefined;
  const startupLog: string[] = [];
  const print = (...args: unknown[]) => {
    const text = formatConsoleLine(args);
    if (current) current.write(text);
    else if (startupLog.length < 200) startupLog.push(text);
  };
  Object.assign(console, { log: print, info: print, debug: print, warn: print, error: print, trace: print });
  // A skill's stray rejection or timer exception must not kill a worker other runs share.
  process.on('unhandledRejection', (e) => print('Unhandled promise rejection:', e));
  process.on('uncaughtException', (e) => (fail ? fail(e) : print('Uncaught exception:', e)));

  const ready = init().then(
    (state) => {
      send({ type: 'ready' });
      return state;
    },
    (e: unknown) => {
      const log = startupLog.join('').trim();
      send({ type: 'fatal', error: `${e instanceof Error ? e.message : String(e)}${log ? `\n${log}` : ''}` });
      return undefined;
    },
  );

  port.on('message', async (message: RunMessage<P>) => {
    const state = await ready;
    if (state === undefined || message.type !== 'run') return;
    const out = new Stdout((text) => send({ type: 'stdout', text }));
    current = out;
    let settled = false;
    const finish = (m: WorkerMessage<R>) => {
      if (settled) return;
      settled = true;
      out.flush();
      current = undefined;
      fail = undefined;
      send(m);
    };
    fail = (e) => finish(failure(e, out));
    try {
      const value = await handle(message.payload, state, out);
      finish({ type: 'done', value, stdout: out.all });
    } catch (e) {
      finish(failure(e, out));
    }
  });
}

function failure(e: unknown, out: Stdout): WorkerMessage<never> {
  if (e instanceof SkillRunError) return { type: 'failed', error: e.message, stdout: out.all, skill: true };
  // Errors of skill code come from its own realm (node:vm) and are no host `Error`.
  const message = e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
  return { type: 'failed', error: message, stdout: out.all, skill: false };
}
