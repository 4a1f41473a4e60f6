import type { Logger } from 'pino';
import type { Identity } from '../../../shared/src/access';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { RunReport } from '../../../shared/src/execution/types';
import { identityKey } from '../access/identity';
import type { RunsConfig } from '../config';
import { nodeRuntimes, type NodeRuntimeOptions, type NodeRuntimes } from '../headless/runtimes';
import { typesToRun } from '../headless/types-to-run';
import type { PreparedRun } from '../library/types';
import type { Rooms } from '../rooms/rooms';
import type { RunCache } from './run-cache';
import { runTimedOut } from './run-failure';
import { recordServerRun } from './run-records';
import { appendRunTrace } from './run-traces';
import { ServerRun } from './server-run';
import { RunsBusyError, type RunHandle, type RunService, type StartOptions } from './types';

export interface RunServiceDeps {
  config: RunsConfig;
  /** Where workflow runs' records are written (the workflow's runs room). */
  rooms: Pick<Rooms, 'use'>;
  cache: RunCache;
  /** `DATA_DIR/traces`; absent (memory storage): traces are not kept. */
  tracesDir?: string;
  log: Logger;
  runtimes?: NodeRuntimeOptions;
}

/** Rejects as soon as the signal aborts; the work goes on (a runtime's start-up is shared by every run). */
const unlessAborted = <T>(work: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });

/**
 * The server's runs: a FIFO queue in front of `RUN_CONCURRENCY` slots, each run executed with
 * the headless executor on runtimes shared by every run (created on the first, warmed only for
 * the skill types a run needs) and the one result cache; then its trace kept and, for a
 * workflow, its record written. Finished runs stay `RUNS_KEEP_MS` for polling.
 */
export function createRunService(deps: RunServiceDeps): RunService {
  const { config, log } = deps;
  const queue: ServerRun[] = [];
  const active = new Set<ServerRun>();
  /** Every run not yet forgotten, by id. */
  const runs = new Map<string, ServerRun>();
  let runtimes: NodeRuntimes | undefined;
  let closed = false;

  /** Tells the run's caller where it is; a listener that throws is logged, not the run's failure. */
  const tell = (run: ServerRun) => {
    try {
      run.options.onProgress?.(run.view());
    } catch (e) {
      log.warn({ err: e, run: run.id }, 'a run progress listener failed');
    }
  };

  /** Forgets finished runs kept longer than RUNS_KEEP_MS, and the oldest beyond RUNS_KEEP_MAX. */
  const prune = () => {
    const now = Date.now();
    const finished = [...runs.values()].filter((r) => r.over).sort((a, b) => a.finishedAt! - b.finishedAt!);
    const excess = finished.length - config.keepMax;
    finished.forEach((r, i) => {
      if (i < excess || now - r.finishedAt! > config.keepMs) runs.delete(r.id);
    });
  };

  const finish = (run: ServerRun) => {
    run.finish();
    tell(run);
    prune();
  };

  const keepTrace = async (run: ServerRun, result: RunReport) => {
    if (!deps.tracesDir) return;
    try {
      await appendRunTrace(deps.tracesDir, run.options.identity, result.trace);
    } catch (e) {
      log.warn({ err: e, run: run.id }, 'a run trace could not be written; the run is not affected');
    }
  };

  const keepRecord = async (run: ServerRun, result: RunReport) => {
    try {
      await recordServerRun(deps.rooms, run.options.identity, run.prepared, result, {
        id: run.id,
        startedAt: run.startedAt!,
        finishedAt: Date.now(),
        trigger: run.options.trigger,
      });
    } catch (e) {
      log.warn({ err: e, run: run.id, room: run.prepared.workflowRoom }, 'a run record could not be written; the run is not affected');
    }
  };

  const execute = async (run: ServerRun) => {
    const { prepared } = run;
    const { signal } = run.abort;
    run.begin();
    tell(run);
    const limit = setTimeout(() => {
      run.timedOut = runTimedOut(config.runTimeoutMs);
      run.abort.abort(new Error(run.timedOut));
    }, config.runTimeoutMs);
    try {
      runtimes ??= nodeRuntimes(deps.runtimes);
      // Only the engines that will run start (Pyodide takes seconds); a cancel does not wait for them.
      const types = await typesToRun(run.expanded, prepared.resolve, deps.cache.cache);
      await unlessAborted(runtimes.warm(types), signal).catch((e: unknown) => {
        if (!signal.aborted) log.warn({ err: e, run: run.id }, 'a runtime did not start; its nodes will say why');
      });
      const result = await runWorkflow({
        graph: prepared.graph,
        targets: prepared.graph.nodes.map((n) => n.id),
        resolve: prepared.resolve,
        library: prepared.library,
        compounds: prepared.compounds,
        runtimes,
        cache: deps.cache.cache,
        signal,
        timeoutMs: config.nodeTimeoutMs,
        onState: (id, state) => {
          if (run.nodeState(id, state) && state.status !== 'queued') tell(run);
        },
        workflow: prepared.name,
        newId: () => run.id,
      });
      run.ended(result, config.nodeTimeoutMs);
      await Promise.all([
        keepTrace(run, result),
        keepRecord(run, result),
        deps.cache.flush().catch((e: unknown) => log.warn({ err: e }, 'the run result cache could not be saved')),
      ]);
    } catch (e) {
      log.error({ err: e, run: run.id }, 'a run failed on the server');
      run.broke(`the server could not run it: ${(e as Error).message}`);
    } finally {
      clearTimeout(limit);
    }
  };

  const pump = () => {
    while (active.size < config.concurrency && queue.length > 0) {
      const run = queue.shift()!;
      active.add(run);
      void execute(run).finally(() => {
        active.delete(run);
        finish(run);
        pump();
      });
    }
  };

  const cancel = (run: ServerRun) => {
    const queued = queue.indexOf(run);
    if (queued >= 0) {
      queue.splice(queued, 1);
      run.cancelledWhileQueued();
      finish(run);
    } else if (!run.over) {
      run.abort.abort(new Error('cancelled'));
    }
  };

  const handleOf = (run: ServerRun): RunHandle => ({ id: run.id, view: () => run.view(), done: run.done, cancel: () => cancel(run) });

  return {
    start(prepared: PreparedRun, options: StartOptions): RunHandle {
      if (closed) throw new RunsBusyError('The server is shutting down and takes no new runs; try again once it is back.');
      if (active.size >= config.concurrency && queue.length >= config.queueMax) {
        throw new RunsBusyError(
          `The server is busy: ${active.size} run(s) running and ${queue.length} waiting, the most it queues (RUN_QUEUE_MAX=${config.queueMax}). Try again in a moment.`,
        );
      }
      const run = new ServerRun(prepared, options, (r) => {
        const at = queue.indexOf(r);
        return at >= 0 ? at : undefined;
      });
      runs.set(run.id, run);
      queue.push(run);
      const { signal } = options;
      if (signal) {
        const onAbort = () => cancel(run);
        signal.addEventListener('abort', onAbort, { once: true });
        void run.done.then(() => signal.removeEventListener('abort', onAbort));
        if (signal.aborted) cancel(run);
      }
      pump();
      return handleOf(run);
    },

    get(runId: string, identity: Identity): RunHandle | undefined {
      prune();
      const run = runs.get(runId);
      return run && identityKey(run.options.identity) === identityKey(identity) ? handleOf(run) : undefined;
    },

    async close(): Promise<void> {
      closed = true;
      for (const run of [...queue, ...active]) cancel(run);
      await Promise.all([...runs.values()].map((r) => r.done));
      await deps.cache.flush().catch((e: unknown) => log.warn({ err: e }, 'the run result cache could not be saved'));
      await runtimes?.close();
      runtimes = undefined;
    },
  };
}
