import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Json } from '../../../shared/src/json';
import { VOLUMES } from '../../../shared/src/rooms';
import type { Identify } from '../access/identity';
import { resolveVolume } from '../access/volumes';
import { HttpError } from '../http/errors';
import { IdSchema, idOr400, parseOr400 } from '../http/validate';
import type { Library } from '../library/types';
import type { RunHandle, RunService } from '../runs/types';

/** `POST /api/workflows/:id/run`: the workflow's volume (the caller's own by default), its inputs, and whether to wait. */
const RunBody = z.strictObject({
  volume: z.enum(VOLUMES).optional(),
  volume_id: IdSchema.optional(),
  /** `"<node id>.<input>": value`; the library checks each against the workflow. */
  inputs: z.record(z.string().max(300), z.json()).optional(),
  wait: z.boolean().optional(),
});

export const runLink = (id: string): string => `/api/runs/${encodeURIComponent(id)}`;

/**
 * Stored workflows run on the server (DESIGN §6): with `wait`, the answer is the run once over
 * (if the client goes away first, the run is cancelled); without, `202` and where to poll.
 */
export function workflowRunsRouter(deps: { library: Library; runs: RunService; identify: Identify }): Router {
  const router = Router();
  router.post('/:id/run', async (req, res) => {
    const id = idOr400(req.params.id, 'id', 'workflow id');
    const body = parseOr400(RunBody, req.body, 'run request');
    const identity = deps.identify(req);
    const ref = resolveVolume(identity, body);
    const prepared = await deps.library.prepareWorkflow(identity, ref, id, (body.inputs ?? {}) as Record<string, Json>);
    if (!body.wait) {
      const run = deps.runs.start(prepared, { identity, trigger: 'api' });
      const { state } = run.view();
      res.status(202).location(runLink(run.id)).json({ run_id: run.id, state, links: { self: runLink(run.id) } });
      return;
    }
    const gone = new AbortController();
    const run = deps.runs.start(prepared, { identity, trigger: 'api', signal: gone.signal });
    // The client closed the connection before the answer: nobody is waiting for the run.
    const onClose = () => {
      if (!res.writableEnded) gone.abort(new Error('the client went away'));
    };
    res.on('close', onClose);
    const view = await run.done;
    res.off('close', onClose);
    if (!res.destroyed) res.status(200).location(runLink(run.id)).json(view);
  });
  return router;
}

/** `GET /api/runs/:run_id` (its state and outputs) and `DELETE /api/runs/:run_id` (cancel). */
export function runsRouter(deps: { runs: RunService; identify: Identify; keepMs: number }): Router {
  const router = Router();
  const found = (req: { params: Record<string, string | string[] | undefined> }, identity: Parameters<RunService['get']>[1]): RunHandle => {
    const runId = idOr400(req.params.run_id, 'run_id', 'run id');
    const run = deps.runs.get(runId, identity);
    // Another identity's run is not found either: a run id says nothing of whose it is.
    if (!run) {
      throw new HttpError('not_found', `No run ${JSON.stringify(runId)}: a run is kept ${Math.round(deps.keepMs / 60_000)} minute(s) after it ends (RUNS_KEEP_MS), for whoever started it.`);
    }
    return run;
  };
  const answer = (res: Response, run: RunHandle, view = run.view()) => res.json(view);
  router.get('/:run_id', (req, res) => {
    answer(res, found(req, deps.identify(req)));
  });
  // Idempotent: a run still going is cancelled and answered once over (state "cancelled"); one
  // already over is answered as it ended, unchanged.
  router.delete('/:run_id', async (req, res) => {
    const run = found(req, deps.identify(req));
    run.cancel();
    answer(res, run, await run.done);
  });
  return router;
}
