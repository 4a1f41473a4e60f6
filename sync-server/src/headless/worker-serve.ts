import { parentPort } from 'node:worker_threads';
import { formatConsoleLine, Stdout } from '../../../shared/src/execution/stdout';
import { failedReply } from '../../../shared/src/execution/worker-protocol';
import type { RunMessage, WorkerMessage } from './worker-protocol';

const port = parentPort;
const send = <R>(message: WorkerMessage<R>) => port?.postMessage(message);

/**
 * Serves a runtime in this worker thread: `init` once (loading the engine), then one job at a
 * time. Anything the engine or the skill prints through `console` goes to the current job's
 * output: the worker's own stdout would otherwise reach the CLI's stdout, which holds only JSON.
 */
export function serve<P, R, S>(init: () => Promise<S>, handle: (payload: P, state: S, out: Stdout, start: () => void) => Promise<R>): void {
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
    const { id } = message;
    const out = new Stdout((text) => send({ type: 'stdout', id, text }));
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
    const fails = (e: unknown) => {
      out.flush();
      finish(failedReply(id, e, out.all));
    };
    fail = fails;
    let started = false;
    // The handler calls this once its engine is ready and the skill's own code starts (EXEC-9).
    const start = () => {
      if (!started) send({ type: 'started', id });
      started = true;
    };
    try {
      const result = await handle(message.payload, state, out, start);
      out.flush();
      finish({ type: 'done', id, result, stdout: out.all });
    } catch (e) {
      fails(e);
    }
  });
}
