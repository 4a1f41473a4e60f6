import { Worker } from 'node:worker_threads';
import { RuntimeError, SkillRunError } from '../../../shared/src/execution/types';
import { replyError } from '../../../shared/src/execution/worker-protocol';
import type { RunMessage, WorkerMessage } from './worker-protocol';
import { workerStart, type WorkerName } from './worker-start';

export interface PoolOptions {
  /** Shown in errors, e.g. "Python (Pyodide)". */
  name: string;
  /** The worker thread's module (`worker-start.ts`), which calls `serve`. */
  entry: WorkerName;
  /** Most workers alive at once; runs beyond it wait for one to be free. */
  size: number;
}

export interface JobResult<R> {
  value: R;
  stdout: string;
}

interface Job<R> {
  id: number;
  resolve: (r: JobResult<R>) => void;
  reject: (e: unknown) => void;
  onStdout?: (text: string) => void;
  onStart?: () => void;
}

/** One worker thread: started, ready once its engine has loaded, running at most one job. */
class Slot<P, R> {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  job: Job<R> | undefined;
  dead = false;
  private stopReason: string | undefined;

  constructor(
    private readonly name: string,
    entry: WorkerName,
    private readonly onDeath: (slot: Slot<P, R>) => void,
  ) {
    // stdout/stderr piped, not inherited: the CLI's stdout carries only its JSON answer.
    // An empty environment of its own: skill code in any runtime (Python reaches it through
    // `js.process`) must not read the secrets of whoever runs the CLI or the server.
    const { script, workerData } = workerStart(entry);
    this.worker = new Worker(script, { workerData, stdout: true, stderr: true, env: {} });
    this.worker.stdout.on('data', (d: Buffer) => this.job?.onStdout?.(d.toString()));
    this.worker.stderr.on('data', (d: Buffer) => this.job?.onStdout?.(d.toString()));
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (m: WorkerMessage<R>) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'fatal') {
          reject(new RuntimeError(`The ${this.name} runtime could not start: ${m.error}`));
          this.kill();
        } else this.onMessage(m);
      });
      const died = (why: string) => {
        const error = new RuntimeError(this.stopReason ?? `The ${this.name} worker stopped unexpectedly (${why}).`);
        reject(error);
        this.job?.reject(error);
        this.job = undefined;
        this.markDead();
      };
      this.worker.on('error', (e) => died(e.message));
      this.worker.on('exit', (code) => died(`exit code ${code}`));
    });
    this.ready.catch(() => undefined); // observed by whoever waits on it
  }

  private onMessage(m: Exclude<WorkerMessage<R>, { type: 'ready' | 'fatal' }>): void {
    const job = this.job;
    if (!job || m.id !== job.id) return;
    if (m.type === 'started') job.onStart?.();
    else if (m.type === 'stdout') job.onStdout?.(m.text);
    else {
      this.job = undefined;
      if (m.type === 'done') job.resolve({ value: m.result, stdout: m.stdout });
      else job.reject(replyError(m));
    }
  }

  run(payload: P, job: Job<R>): void {
    this.job = job;
    this.worker.postMessage({ type: 'run', id: job.id, payload } satisfies RunMessage<P>);
  }

  private markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.onDeath(this);
  }

  /** Stops the thread at once, even inside an endless loop (V8 terminates running code). */
  kill(reason?: string): void {
    this.stopReason ??= reason;
    this.markDead();
    void this.worker.terminate();
  }
}

/**
 * Worker threads for one runtime, started on first use and kept warm. A run that is aborted
 * (cancel or timeout) terminates its worker, which is the only way to stop code that never
 * yields; the next run starts a fresh one.
 */
export class WorkerPool<P, R> {
  private readonly slots = new Set<Slot<P, R>>();
  private readonly idle: Slot<P, R>[] = [];
  private readonly waiting: Array<{ take: (slot: Slot<P, R>) => void; fail: (e: unknown) => void }> = [];
  private closed = false;
  private nextId = 1;

  constructor(private readonly o: PoolOptions) {}

  /** Starts a worker ahead of the first run (so loading is not counted in a node's time). */
  async warm(): Promise<void> {
    if (this.closed) throw new RuntimeError(`The ${this.o.name} runtime is closed.`);
    const existing = [...this.slots][0];
    if (existing) return existing.ready;
    const slot = this.spawn();
    await slot.ready;
    this.release(slot);
  }

  /** Runs one job; `onStart` is called when its worker starts the skill's code (after any queue and start-up). */
  async run(payload: P, signal: AbortSignal, onStdout?: (text: string) => void, onStart?: () => void): Promise<JobResult<R>> {
    if (this.closed) throw new RuntimeError(`The ${this.o.name} runtime is closed.`);
    signal.throwIfAborted();
    const slot = await this.acquire(signal);
    return new Promise<JobResult<R>>((resolve, reject) => {
      let done = false;
      const onAbort = () => {
        if (done) return;
        done = true;
        slot.kill();
        reject(signal.reason);
      };
      const settle = () => {
        done = true;
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      slot.ready.then(
        () => {
          if (done) return;
          slot.run(payload, {
            id: this.nextId++,
            onStart: () => !done && onStart?.(),
            onStdout: (text) => !done && onStdout?.(text),
            resolve: (r) => {
              if (done) return;
              settle();
              this.release(slot);
              resolve(r);
            },
            reject: (e) => {
              if (done) return;
              settle();
              // The engine itself failed (e.g. a fatal Pyodide error): the next run gets a fresh one.
              if (e instanceof SkillRunError) this.release(slot);
              else slot.kill();
              reject(e);
            },
          });
        },
        (e: unknown) => {
          if (done) return;
          settle();
          reject(e);
        },
      );
    });
  }

  private acquire(signal: AbortSignal): Promise<Slot<P, R>> {
    const free = this.idle.pop();
    if (free) return Promise.resolve(free);
    if (this.slots.size < this.o.size) return Promise.resolve(this.spawn());
    return new Promise((resolve, reject) => {
      const waiter = {
        take: (slot: Slot<P, R>) => {
          signal.removeEventListener('abort', onAbort);
          resolve(slot);
        },
        fail: reject,
      };
      const onAbort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private spawn(): Slot<P, R> {
    const slot = new Slot<P, R>(this.o.name, this.o.entry, (dead) => {
      this.slots.delete(dead);
      const i = this.idle.indexOf(dead);
      if (i >= 0) this.idle.splice(i, 1);
      // A waiting run gets a fresh worker in place of the one that died.
      if (!this.closed && this.waiting.length > 0 && this.slots.size < this.o.size) this.waiting.shift()?.take(this.spawn());
    });
    this.slots.add(slot);
    return slot;
  }

  private release(slot: Slot<P, R>): void {
    if (slot.dead) return;
    const next = this.waiting.shift();
    if (next) next.take(slot);
    else this.idle.push(slot);
  }

  /** Terminates every worker; runs still going fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const w of this.waiting.splice(0)) w.fail(new RuntimeError(`The ${this.o.name} runtime was closed.`));
    const all = [...this.slots];
    for (const slot of all) slot.kill(`The ${this.o.name} runtime was closed.`);
    await Promise.all(all.map((s) => s.worker.terminate()));
  }
}
