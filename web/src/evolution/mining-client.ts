import type { Suggestion } from '../../../shared/src/evolution/suggest';
import type { MineReply, MineRequest } from './mining-job';

/** Where a mining request is, for the library to show. */
export type MiningStep = Extract<MineReply, { type: 'progress' }>['step'];

export interface MiningOutcome {
  suggestions: Suggestion[];
  runs: number;
  skipped: number;
}

/** The mining worker failed or said the request was wrong. */
export class MiningError extends Error {
  override name = 'MiningError';
}

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (o: MiningOutcome) => void; reject: (e: Error) => void; progress: (step: MiningStep, runs?: number) => void }>();

function failAll(message: string): void {
  for (const w of waiting.values()) w.reject(new MiningError(message));
  waiting.clear();
  worker?.terminate();
  worker = null;
}

/** The worker, started on first use (its code, the miner and YAML, loads only then). */
function miningWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL('./mining.worker.ts', import.meta.url), { type: 'module', name: 'mining' });
  worker.addEventListener('message', (e: MessageEvent<MineReply>) => {
    const reply = e.data;
    const w = waiting.get(reply.id);
    if (!w) return;
    if (reply.type === 'progress') return w.progress(reply.step, reply.runs);
    waiting.delete(reply.id);
    if (reply.type === 'result') w.resolve({ suggestions: reply.suggestions, runs: reply.runs, skipped: reply.skipped });
    else w.reject(new MiningError(reply.message));
  });
  worker.addEventListener('error', (e) => failAll(`The mining worker stopped: ${e.message || 'it could not start'}. Reload the app to try again.`));
  return worker;
}

/** Mines runs in the worker; `progress` hears each step. */
export function mineInWorker(request: Omit<MineRequest, 'type' | 'id'>, progress: (step: MiningStep, runs?: number) => void = () => undefined): Promise<MiningOutcome> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, progress });
    miningWorker().postMessage({ type: 'mine', id, ...request } satisfies MineRequest);
  });
}
