import { Router } from 'express';
import { z } from 'zod';
import type { Identify } from '../access/identity';
import { targetIndex, VolumeQuerySchema } from '../access/volumes';
import { parseOr400 } from '../http/validate';
import { readRunTraces } from '../runs/run-traces';

const DAY_MS = 86_400_000;

const TracesQuery = VolumeQuerySchema.extend({ days: z.coerce.number().int().min(1).max(90).default(7) });

/**
 * `GET /api/traces?volume=&volume_id=&days=`: the traces of the runs the server made for a volume
 * (MCP tool calls, REST runs; `runs/run-traces.ts`), newest first, so the app's evolution engine
 * mines them with the runs this browser made. Who may read the volume may read its traces. A
 * server that keeps no traces (memory storage) answers none.
 */
export function runTracesRouter(deps: { identify: Identify; tracesDir?: string }): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = parseOr400(TracesQuery, req.query, 'query');
    const { volume, volume_id, days } = q;
    const { ref } = targetIndex(deps.identify(req), { volume, volume_id }, 'read');
    const since = Date.now() - days * DAY_MS;
    const traces = deps.tracesDir ? await readRunTraces(deps.tracesDir, ref.volume, ref.volumeId, since) : [];
    res.json({ volume: ref.volume, volume_id: ref.volumeId, days, traces });
  });
  return router;
}
