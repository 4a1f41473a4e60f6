import type { RunRequest, RunResult } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import { replyError } from '../../../shared/src/execution/worker-protocol';
import { createStore, type ReadonlyStore } from '../documents/store';
import { RuntimeError, RuntimeLoadError } from './errors';
import type { CancelMessage, GpuAnswer, GpuRequest, LoadingReply, PreloadMessage, RunMessage, WorkerReply, WorkerSkill } from './protocol';

/** Answers a skill's `gpu.*` call for the run it belongs to (aborted with that run). */
export type GpuService = (request: GpuRequest, signal: AbortSignal) => Promise<Json>;

/** Where a runtime's engine is: not asked for yet, loading (with its progress), or ready. */
export type EngineState = { phase: 'idle' } | { phase: 'loading'; loaded: number; total?: number; step: 'downloading' | 'starting' } | { phase: 'ready' };

interface Pending {
  request: RunRequest;
  extra: Record<string, unknown>;
  transfer: Transferable[];
  resolve: (result: RunResult) => void;
  reject: (error: unknown) => void;
}

interface Current {
  id: number;
  job: Pending;
  /** The worker said the skill's code is running (its engine has loaded). */
  started: boolean;
}

/** The parts of a skill a worker needs. */
export const workerSkill = (request: RunRequest): WorkerSkill => ({
  skillId: request.skill.frontmatter.skill_id,
  file: request.skill.file,
  code: request.skill.code,
  codeLine: request.skill.codeLine,
  outputs: request.skill.frontmatter.outputs.map((p) => ({ name: p.name, type: p.type })),
});

/**
 * Owns one runtime worker: starts it on first use and runs one skill at a time in it (the rest
 * wait in order). When a run is aborted (timeout or cancel) while the skill's code runs, the
 * worker is terminated — a skill stuck in a loop cannot be interrupted any other way — and the
 * next run starts a fresh one. Aborted while the worker is still loading its engine (Pyodide's
 * 13 MB on a slow link), the run is withdrawn but the loading goes on, so a retry does not
 * start the download again.
 */
export class WorkerHost {
  private worker: Worker | null = null;
  private queue: Pending[] = [];
  private current: Current | null = null;
  /** Runs withdrawn before they started; if one starts anyway, the worker must go. */
  private withdrawn = new Set<number>();
  private nextId = 1;
  private readonly engineState = createStore<EngineState>({ phase: 'idle' });
  /** How far this runtime's engine has loaded, as its worker reports it (workers that say nothing stay idle). */
  readonly engine: ReadonlyStore<EngineState> = this.engineState;

  constructor(
    /** What the runtime is called in messages ("Python", "ngspice"). */
    readonly label: string,
    private readonly create: () => Worker,
    /** Serves `gpu.compute(...)` for the skills of this worker (the JavaScript runtime's). */
    private readonly gpu?: GpuService,
  ) {}

  /** Runs a skill; `extra` fields are added to the run message (with `transfer` moved, not copied). */
  run(request: RunRequest, extra: Record<string, unknown> = {}, transfer: Transferable[] = []): Promise<RunResult> {
    return new Promise<RunResult>((resolve, reject) => {
      if (request.signal.aborted) return reject(request.signal.reason);
      const job: Pending = { request, extra, transfer, resolve, reject };
      request.signal.addEventListener('abort', () => this.abort(job), { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Starts the worker and its engine's download now, so a first run later does not wait for it. */
  preload(): void {
    if (this.worker) return;
    this.ensureWorker().postMessage({ type: 'preload' } satisfies PreloadMessage);
  }

  /** Stops the worker (and whatever runs in it) now. */
  terminate(reason: unknown = new RuntimeError(`${this.label} runtime stopped`)): void {
    this.worker?.terminate();
    this.worker = null;
    this.engineState.set({ phase: 'idle' });
    this.withdrawn.clear();
    const current = this.current;
    this.current = null;
    current?.job.reject(reason);
  }

  private abort(job: Pending): void {
    const current = this.current;
    if (current?.job !== job) {
      this.queue = this.queue.filter((j) => j !== job);
      job.reject(job.request.signal.reason);
      return;
    }
    if (current.started) {
      this.terminate(job.request.signal.reason);
    } else {
      this.withdrawn.add(current.id);
      this.worker?.postMessage({ type: 'cancel', id: current.id } satisfies CancelMessage);
      this.current = null;
      job.reject(job.request.signal.reason);
    }
    this.pump();
  }

  private pump(): void {
    if (this.current) return;
    const job = this.queue.shift();
    if (!job) return;
    const worker = this.ensureWorker();
    const id = this.nextId++;
    this.current = { id, job, started: false };
    const message: RunMessage & Record<string, unknown> = { ...job.extra, type: 'run', id, skill: workerSkill(job.request), inputs: job.request.inputs };
    try {
      worker.postMessage(message, job.transfer);
    } catch (e) {
      this.finish(id, () => job.reject(new RuntimeError(`could not send the inputs to the ${this.label} runtime: ${(e as Error).message}`)));
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.create();
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => this.onReply(event.data));
    // A module that fails to load (offline before it was cached) or throws at the top level.
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      const message = event.message || 'the worker script could not be loaded';
      this.failWorker(new RuntimeLoadError(`The ${this.label} runtime could not start: ${message}${navigator.onLine ? '' : ' (you are offline and it has not been cached yet)'}`));
    });
    worker.addEventListener('messageerror', () => this.failWorker(new RuntimeError(`the ${this.label} runtime sent a result that could not be read`)));
    this.worker = worker;
    return worker;
  }

  private failWorker(error: Error): void {
    this.terminate(error);
    this.pump();
  }

  private onReply(reply: WorkerReply): void {
    if (reply.type === 'loading' || reply.type === 'ready' || reply.type === 'load-failed') return this.onEngine(reply);
    if (reply.type === 'gpu') return this.onGpu(reply);
    if (this.withdrawn.has(reply.id)) return this.onWithdrawnReply(reply);
    const current = this.current;
    if (!current || reply.id !== current.id) return;
    const { job } = current;
    switch (reply.type) {
      case 'started':
        current.started = true;
        job.request.onStart?.();
        return;
      case 'stdout':
        job.request.onStdout?.(reply.text);
        return;
      case 'done':
        return this.finish(reply.id, () => job.resolve({ outputs: reply.result, stdout: reply.stdout }));
      case 'failed':
        return this.finish(reply.id, () => job.reject(replyError(reply)));
    }
  }

  /** Runs the skill's GPU call for its run and answers the worker that asked (unless it has gone since). */
  private onGpu(request: GpuRequest): void {
    const { current, worker, gpu } = this;
    const send = (answer: GpuAnswer) => this.worker === worker && worker?.postMessage(answer);
    const refuse = (message: string) => send({ type: 'gpu-answer', call: request.call, ok: false, message });
    if (!gpu) return void refuse(`gpu is not available in the ${this.label} runtime`);
    if (current?.id !== request.id) return void refuse('gpu was called after the run that called it ended');
    gpu(request, current.job.request.signal).then(
      (value) => send({ type: 'gpu-answer', call: request.call, ok: true, value }),
      (e: unknown) => refuse(e instanceof Error ? e.message : String(e)),
    );
  }


  private onEngine(reply: LoadingReply): void {
    if (reply.type === 'ready') return this.engineState.set({ phase: 'ready' });
    if (reply.type === 'load-failed') return this.engineState.set({ phase: 'idle' });
    const { loaded, total, step } = reply;
    this.engineState.set({ phase: 'loading', loaded, step, ...(total !== undefined ? { total } : {}) });
  }

  /**
   * A withdrawn run normally ends quietly. If its code started before the worker saw the
   * withdrawal, nothing else can stop it: terminate, and give the run waiting behind it (which
   * that worker has not started) to a fresh worker.
   */
  private onWithdrawnReply(reply: Exclude<WorkerReply, LoadingReply>): void {
    if (reply.type === 'done' || reply.type === 'failed') {
      this.withdrawn.delete(reply.id);
      return;
    }
    if (reply.type !== 'started') return;
    const waiting = this.current;
    this.current = null;
    this.worker?.terminate();
    this.worker = null;
    this.withdrawn.clear();
    if (waiting?.job.transfer.length) waiting.job.reject(new RuntimeError(`the ${this.label} runtime was restarted; run the node again`));
    else if (waiting) this.queue.unshift(waiting.job);
    this.pump();
  }

  private finish(id: number, settle: () => void): void {
    if (this.current?.id !== id) return;
    this.current = null;
    settle();
    this.pump();
  }
}
