import type { Identity } from '../../../shared/src/access';
import { addRun, type RunRecord } from '../../../shared/src/documents/runs';
import type { RunReport } from '../../../shared/src/execution/types';
import { runRecordOf } from '../../../shared/src/execution/run-record';
import { runsRoomOf } from '../../../shared/src/rooms';
import { identityKey } from '../access/identity';
import { canAccess } from '../access/volumes';
import { changesBy } from '../history/authors';
import type { PreparedRun } from '../library/types';
import type { Rooms } from '../rooms/rooms';

/** Who a run's record says ran it: a person by their id, a share link as "shared link". */
export function runnerOf(identity: Identity): RunRecord['by'] {
  switch (identity.kind) {
    case 'user':
      return { sub: identity.sub, name: identity.sub };
    case 'share':
      return { sub: 'share', name: 'shared link' };
    case 'server':
      return { sub: 'server', name: 'server' };
  }
}

export interface RunFactsOnServer {
  id: string;
  startedAt: number;
  finishedAt: number;
  trigger: 'mcp' | 'api';
}

/**
 * Adds a workflow run's record to its run history room, as the app's `recordRun` does, as the
 * caller's change. Nothing is written for a skill's run (no workflow), a run that did not start
 * (validation issues), or a caller who may not write the runs room: a read link may run a
 * workflow but never change anything. Answers the record written, or null.
 */
export async function recordServerRun(
  rooms: Pick<Rooms, 'use'>,
  identity: Identity,
  run: PreparedRun,
  report: RunReport,
  facts: RunFactsOnServer,
): Promise<RunRecord | null> {
  const runsRoom = run.workflowRoom ? runsRoomOf(run.workflowRoom) : null;
  if (!run.workflowRoom || !runsRoom || report.issues.length > 0 || !canAccess(identity, runsRoom, 'write')) return null;
  const record = runRecordOf(report, run.graph, { ...facts, workflowRoom: run.workflowRoom, by: runnerOf(identity), resolve: run.resolve });
  await changesBy(identityKey(identity), () => rooms.use(runsRoom, (room) => addRun(room.doc, record)));
  return record;
}
