import { Router, type Request } from 'express';
import { z } from 'zod';
import { decodeSkillContent, roomDocOf } from '../../../shared/src/history/content';
import { restShapeOf } from '../../../shared/src/history/rest-shape';
import { restoreRoom, restoreSkill, SkillRestoreError } from '../../../shared/src/history/restore';
import { parseSubject, subjectOfVersionId, type HistorySubject } from '../../../shared/src/history/version';
import { ORIGIN } from '../../../shared/src/origins';
import type { Identify } from '../access/identity';
import { requireAccess, writeNeedOf } from '../access/volumes';
import type { Checkpoints } from '../history/checkpoints';
import type { HistoryStore } from '../history/history-store';
import { HttpError } from '../http/errors';
import { parseOr400 } from '../http/validate';
import type { Rooms } from '../rooms/rooms';
import { refuseTrashed } from '../trash/in-trash';

const ListQuery = z.strictObject({ room: z.string().max(400) });
const NewVersion = z.strictObject({
  room: z.string().max(400),
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
});

/** The subject a `room` names, or a 400 naming it. */
function subjectOr400(room: string): HistorySubject {
  const parsed = parseSubject(room);
  if (!parsed.ok) throw new HttpError('bad_request', parsed.error.message, { field: 'room' });
  return parsed.value;
}

/**
 * What a caller may do with a subject's versions is what they may do to it: a workflow or
 * session as its room's access; a skill as the volume's, where changing needs `writeSkills`.
 */
function requireSubjectAccess(req: Request, identify: Identify, subject: HistorySubject, need: 'read' | 'write'): void {
  requireAccess(identify(req), subject.room, need === 'read' ? 'read' : writeNeedOf(subject.kind));
}

/**
 * The REST face of versions (`/api/versions`): list a room's (or a skill's) versions, name one,
 * read one in the shape the REST reads of the live subject give, and restore one as a new
 * change every collaborator receives.
 */
export function versionsRouter(deps: { rooms: Rooms; history: HistoryStore; checkpoints: Checkpoints; identify: Identify }): Router {
  const { rooms, history, checkpoints, identify } = deps;
  const router = Router();

  /** The version an `:id` names, once the caller may `need` its subject; 404 when there is none. */
  async function versionOf(req: Request, need: 'read' | 'write') {
    const id = String(req.params.id);
    const name = subjectOfVersionId(id);
    if (name === null) throw new HttpError('not_found', `No version "${id.slice(0, 200)}".`);
    const subject = subjectOr400(name);
    requireSubjectAccess(req, identify, subject, need);
    const version = await history.get(id);
    if (!version) throw new HttpError('not_found', `No version "${id.slice(0, 200)}" of "${subject.name}"; list them with GET /api/versions?room=${subject.name}.`);
    return { subject, ...version };
  }

  router.get('/', async (req, res) => {
    const { room } = parseOr400(ListQuery, req.query, 'query');
    const subject = subjectOr400(room);
    requireSubjectAccess(req, identify, subject, 'read');
    res.json({ room: subject.name, versions: await history.list(subject.name) });
  });

  router.post('/', async (req, res) => {
    const body = parseOr400(NewVersion, req.body, 'version');
    const subject = subjectOr400(body.room);
    requireSubjectAccess(req, identify, subject, 'write');
    await refuseTrashed(rooms, subject);
    const meta = await checkpoints.named(subject, body.name);
    if (!meta) {
      throw new HttpError('not_found', subject.kind === 'skill' ? `No skill "${subject.id}" in "${subject.room}".` : `No ${subject.kind} "${subject.room}": nothing was ever written to it.`);
    }
    res.status(201).json(meta);
  });

  router.get('/:id', async (req, res) => {
    const { subject, meta, content } = await versionOf(req, 'read');
    res.json({ ...meta, content: restShapeOf(subject, content) });
  });

  router.get('/:id/raw', async (req, res) => {
    const { content } = await versionOf(req, 'read');
    res.type('application/octet-stream').send(Buffer.from(content.buffer, content.byteOffset, content.byteLength));
  });

  router.post('/:id/restore', async (req, res) => {
    const { subject, meta, content } = await versionOf(req, 'write');
    await refuseTrashed(rooms, subject);
    if (subject.kind === 'skill') {
      const skill = decodeSkillContent(content);
      try {
        await rooms.use(subject.room, (room) => room.doc.transact(() => restoreSkill(room.doc, subject.id, skill), ORIGIN.rest));
      } catch (e) {
        if (e instanceof SkillRestoreError) throw new HttpError('unprocessable', e.message);
        throw e;
      }
    } else {
      const version = roomDocOf(content);
      try {
        await rooms.use(subject.room, (room) => room.doc.transact(() => restoreRoom(room.doc, version, subject.kind), ORIGIN.rest));
      } finally {
        version.destroy();
      }
    }
    res.json({ restored: meta.id, room: subject.name });
  });

  return router;
}
