import { randomUUID } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  appendMessage,
  MESSAGE_ROLES,
  readMessages,
  readSessionMeta,
  SESSION_STATUSES,
  sessionExists,
  writeSessionMeta,
  type SessionMessage,
  type SessionMeta,
} from '../../../shared/src/documents/session';
import { trashSession } from '../../../shared/src/documents/trash';
import { getSessionListing, listSessions, putSessionListing } from '../../../shared/src/documents/volume-index';
import { nowIso, type Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { parseRoomName, sessionRoom, volumeRoom, VOLUMES } from '../../../shared/src/rooms';
import type { Identify } from '../access/identity';
import type { Rooms } from '../rooms/rooms';
import { HttpError } from '../http/errors';
import { IdSchema, idOr400, parseOr400 } from '../http/validate';
import { canAccess, requireAccess, searchOrder, targetIndex, VolumeQuerySchema, type VolumeQuery, type VolumeRef } from '../access/volumes';
import { deleterOf } from './trash';

const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([z.null(), z.boolean(), z.number(), z.string(), z.array(JsonValue), z.record(z.string(), JsonValue)]),
);

const CreateSession = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  volume: z.enum(VOLUMES).optional(),
  volume_id: IdSchema.optional(),
  initial_message: z.string().max(100_000).optional(),
  metadata: z.record(z.string(), JsonValue).optional(),
});

const UpdateSession = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  metadata: z.record(z.string(), JsonValue).optional(),
});

const NewMessage = z.strictObject({
  role: z.enum(MESSAGE_ROLES),
  content: z.string().max(1_000_000),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  traces: z.array(JsonValue).nullable().optional(),
  artifacts: z.array(z.string()).nullable().optional(),
});

/** A session as the original's API returned it: metadata plus its messages. */
type SessionBody = SessionMeta & { messages: SessionMessage[] };

/** The REST face of sessions (`/api/sessions`), read from and written to the same Yjs documents. */
export function sessionsRouter(rooms: Rooms, identify: Identify): Router {
  const router = Router();

  const readSession = (ref: VolumeRef, id: string): Promise<SessionBody> =>
    rooms.use(sessionRoom(ref.volume, ref.volumeId, id), (room) => ({
      ...readSessionMeta(room.doc),
      messages: readMessages(room.doc),
    }));

  /** Finds which readable volume lists a session id. */
  async function locate(req: Request, q: VolumeQuery, id: string): Promise<VolumeRef> {
    const identity = identify(req);
    // A share link names its session's room outright; the volume's index is not its to read.
    const shared = identity.kind === 'share' ? parseRoomName(identity.room) : undefined;
    if (shared?.ok && shared.value.kind === 'session' && shared.value.id === id) {
      const ref = { volume: shared.value.volume, volumeId: shared.value.volumeId };
      const listed = await rooms.use(volumeRoom(ref.volume, ref.volumeId), (room) => getSessionListing(room.doc, id) !== undefined);
      if (listed) return ref;
      throw new HttpError('not_found', `No session "${id}".`);
    }
    for (const ref of searchOrder(identity, q, false)) {
      const index = volumeRoom(ref.volume, ref.volumeId);
      if (q.volume) requireAccess(identity, index, 'read');
      else if (!canAccess(identity, index, 'read')) continue;
      const found = await rooms.use(index, (room) => getSessionListing(room.doc, id) !== undefined);
      if (found) return ref;
    }
    throw new HttpError('not_found', `No session "${id}".`);
  }

  router.get('/', async (req, res) => {
    const { ref, index } = targetIndex(identify(req), parseOr400(VolumeQuerySchema, req.query, 'query'), 'read');
    const sessions = await rooms.use(index, (room) => listSessions(room.doc));
    res.json({ sessions: sessions.map((s) => ({ ...s, volume: ref.volume, volume_id: ref.volumeId })) });
  });

  router.post('/', async (req, res) => {
    const body = parseOr400(CreateSession, req.body, 'session');
    const { ref, index } = targetIndex(identify(req), { volume: body.volume, volume_id: body.volume_id }, 'write');
    const id = randomUUID();
    const now = nowIso();
    const meta: SessionMeta = {
      id,
      name: body.name,
      volume: ref.volume,
      volume_id: ref.volumeId,
      status: 'active',
      created_at: now,
      updated_at: now,
      metadata: body.metadata ?? {},
    };
    // The session's own room first: a crash before the index write leaves only an unlisted room.
    await rooms.use(sessionRoom(ref.volume, ref.volumeId, id), (room) =>
      room.doc.transact(() => {
        writeSessionMeta(room.doc, meta);
        if (body.initial_message) {
          appendMessage(room.doc, { role: 'user', content: body.initial_message, timestamp: now, traces: null, artifacts: null });
        }
      }, ORIGIN.rest),
    );
    await rooms.use(index, (room) =>
      room.doc.transact(
        () => putSessionListing(room.doc, id, { name: meta.name, status: meta.status, created_at: now, updated_at: now }),
        ORIGIN.rest,
      ),
    );
    res.status(201).json(await readSession(ref, id));
  });

  router.get('/:id', async (req, res) => {
    const id = idOr400(req.params.id, 'id', 'session id');
    const ref = await locate(req, parseOr400(VolumeQuerySchema, req.query, 'query'), id);
    res.json(await readSession(ref, id));
  });

  router.put('/:id', async (req, res) => {
    const id = idOr400(req.params.id, 'id', 'session id');
    // The original took the new status as a query parameter: the rest of the query is the update.
    const { volume, volume_id, ...queryFields } = req.query;
    const q = parseOr400(VolumeQuerySchema, { volume, volume_id }, 'query');
    const fields = parseOr400(UpdateSession, { ...queryFields, ...(req.body ?? {}) }, 'session update');
    const ref = await locate(req, q, id);
    requireAccess(identify(req), sessionRoom(ref.volume, ref.volumeId, id), 'write');
    const updated_at = nowIso();
    await rooms.use(sessionRoom(ref.volume, ref.volumeId, id), (room) =>
      room.doc.transact(() => writeSessionMeta(room.doc, { ...fields, updated_at }), ORIGIN.rest),
    );
    await rooms.use(volumeRoom(ref.volume, ref.volumeId), (room) =>
      room.doc.transact(() => putSessionListing(room.doc, id, { name: fields.name, status: fields.status, updated_at }), ORIGIN.rest),
    );
    res.json(await readSession(ref, id));
  });

  // To the trash: the listing moves into the volume's trash and the room keeps its messages until it is purged.
  router.delete('/:id', async (req, res) => {
    const id = idOr400(req.params.id, 'id', 'session id');
    const identity = identify(req);
    const ref = await locate(req, parseOr400(VolumeQuerySchema, req.query, 'query'), id);
    requireAccess(identity, volumeRoom(ref.volume, ref.volumeId), 'write');
    const trashed = await rooms.use(volumeRoom(ref.volume, ref.volumeId), (room) =>
      room.doc.transact(() => trashSession(room.doc, ref, id, { by: deleterOf(identity), at: nowIso() }), ORIGIN.rest),
    );
    if (!trashed.ok) throw new HttpError('not_found', `No session "${id}".`);
    res.json({ deleted: true, id, trash_id: trashed.value.id });
  });

  router.post('/:id/messages', async (req, res) => {
    const id = idOr400(req.params.id, 'id', 'session id');
    const body = parseOr400(NewMessage, req.body, 'message');
    const ref = await locate(req, parseOr400(VolumeQuerySchema, req.query, 'query'), id);
    const room = sessionRoom(ref.volume, ref.volumeId, id);
    requireAccess(identify(req), room, 'write');
    const message: SessionMessage = {
      role: body.role,
      content: body.content,
      timestamp: body.timestamp ?? nowIso(),
      traces: body.traces ?? null,
      artifacts: body.artifacts ?? null,
    };
    const updated_at = nowIso();
    const count = await rooms.use(room, (r) => {
      if (!sessionExists(r.doc)) throw new HttpError('not_found', `No session "${id}".`);
      r.doc.transact(() => {
        appendMessage(r.doc, message);
        writeSessionMeta(r.doc, { updated_at });
      }, ORIGIN.rest);
      return readMessages(r.doc).length;
    });
    await rooms.use(volumeRoom(ref.volume, ref.volumeId), (r) =>
      r.doc.transact(() => putSessionListing(r.doc, id, { updated_at }), ORIGIN.rest),
    );
    res.status(201).json({ session_id: id, message, message_count: count });
  });

  return router;
}
