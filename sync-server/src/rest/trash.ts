import { Router } from 'express';
import type { Identity } from '../../../shared/src/access';
import { listTrash, restoreFromTrash, subjectOfTrashId, type TrashEntry, type TrashError, type TrashVolume } from '../../../shared/src/documents/trash';
import { parseSubject } from '../../../shared/src/history/version';
import { ORIGIN } from '../../../shared/src/origins';
import { volumeRoom } from '../../../shared/src/rooms';
import type { Identify } from '../access/identity';
import { canAccess, requireAccess, searchOrder, VolumeQuerySchema, writeNeedOf } from '../access/volumes';
import { HttpError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import { purgeTrashEntry, type PurgeDeps } from '../trash/purge';
import { trashExpiresAt } from '../trash/trash-expiry';

export interface TrashRouterDeps extends PurgeDeps {
  identify: Identify;
  /** `TRASH_DAYS`, to say when each entry expires. */
  trashDays: number;
}

/** Who a REST delete names as its deleter: a person's `sub`, else what the identity is. */
export function deleterOf(identity: Identity): string {
  switch (identity.kind) {
    case 'user':
      return identity.sub;
    case 'share':
      return 'a share link';
    case 'server':
      return 'the server';
  }
}

/** A trash id from the path: the volume index it lives in and what it holds, or a 400 that says what a trash id is. */
function locate(raw: unknown): { id: string; index: string; where: TrashVolume; kind: TrashEntry['kind'] } {
  const id = String(raw);
  const subject = subjectOfTrashId(id);
  const parsed = subject === null ? null : parseSubject(subject);
  if (!parsed?.ok) {
    throw new HttpError('invalid_id', `Invalid trash id ${JSON.stringify(id.slice(0, 200))}: trash ids look like "user.alice.workflow.w1" or "team.lab.skill.s1"; GET /api/trash lists them.`, [
      { field: 'id', message: 'is not a trash id' },
    ]);
  }
  const { volume, volumeId } = parsed.value;
  return { id, index: volumeRoom(volume, volumeId), where: { volume, volumeId }, kind: parsed.value.kind };
}

// A bad entry is the trash's state, not the request's fault: 409 like the other states that refuse a restore.
const STATUS_OF: Record<TrashError['code'], 'not_found' | 'conflict'> = { not_found: 'not_found', in_use: 'conflict', bad_entry: 'conflict', purging: 'conflict' };

/**
 * The trash by REST (`/api/trash`): what the caller may restore, restoring, and deleting for
 * good. The trash lives in each volume index (`shared/src/documents/trash.ts`), so these follow
 * the index's access: workflows and sessions for those who may write the volume, skills for
 * those who may write its skills.
 */
export function trashRouter(deps: TrashRouterDeps): Router {
  const { rooms, identify } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    const identity = identify(req);
    const q = parseOr400(VolumeQuerySchema, req.query, 'query');
    const trash = [];
    // A named volume must be one the caller may restore in; otherwise every one they may.
    for (const ref of searchOrder(identity, q, false)) {
      const index = volumeRoom(ref.volume, ref.volumeId);
      if (q.volume) requireAccess(identity, index, 'write');
      else if (!canAccess(identity, index, 'write')) continue;
      const skills = canAccess(identity, index, 'writeSkills');
      const entries = await rooms.use(index, (room) => listTrash(room.doc, ref));
      for (const e of entries) {
        if (e.kind === 'skill' && !skills) continue;
        trash.push({
          id: e.id,
          kind: e.kind,
          item_id: e.item_id,
          room: e.room,
          name: e.name,
          deleted_at: e.deleted_at,
          deleted_by: e.deleted_by,
          expires_at: trashExpiresAt(e, deps.trashDays),
          volume: ref.volume,
          volume_id: ref.volumeId,
        });
      }
    }
    trash.sort((a, b) => b.deleted_at.localeCompare(a.deleted_at) || a.id.localeCompare(b.id));
    res.json({ trash });
  });

  router.post('/:id/restore', async (req, res) => {
    const { id, index, where, kind } = locate(req.params.id);
    requireAccess(identify(req), index, writeNeedOf(kind));
    const restored = await rooms.use(index, (room) =>
      room.doc.transact(() => restoreFromTrash(room.doc, where, id), ORIGIN.rest),
    );
    if (!restored.ok) throw new HttpError(STATUS_OF[restored.error.code], restored.error.message);
    const e = restored.value;
    res.json({ restored: e.id, kind: e.kind, item_id: e.item_id, room: e.room, name: e.name });
  });

  router.delete('/:id', async (req, res) => {
    const { id, index, kind } = locate(req.params.id);
    requireAccess(identify(req), index, writeNeedOf(kind));
    const purged = await purgeTrashEntry(deps, index, id, ORIGIN.rest);
    if (!purged) throw new HttpError('not_found', `Nothing in the trash has id "${id}".`);
    res.json({ deleted: true, id });
  });

  return router;
}
