import { err, ok, type Result } from './result';

/** The three kinds of volume, as in the original: who owns a document. */
export const VOLUMES = ['system', 'team', 'user'] as const;
export type Volume = (typeof VOLUMES)[number];

/** The only volume id of the system volume. */
export const SYSTEM_VOLUME_ID = 'system';

/** The user id of the one person in single-user local mode. */
export const LOCAL_USER_ID = 'default';

/**
 * Ids (volume ids, session, workflow and skill ids) are short slugs. Dots and slashes are
 * excluded so an id can never climb out of its folder or key prefix in any backend.
 */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export type RoomName =
  | { kind: 'volume'; volume: Volume; volumeId: string }
  | { kind: 'session'; volume: Volume; volumeId: string; id: string }
  | { kind: 'workflow'; volume: Volume; volumeId: string; id: string }
  /** The run history of the workflow `id`: a room of its own, so runs never weigh on the workflow's load. */
  | { kind: 'runs'; volume: Volume; volumeId: string; id: string };

export type RoomKind = RoomName['kind'];

export interface RoomNameError {
  code: 'invalid_room';
  room: string;
  message: string;
}

const invalid = (room: string, why: string): { ok: false; error: RoomNameError } =>
  err({
    code: 'invalid_room',
    room,
    message: `Invalid room name "${room.slice(0, 200)}": ${why}. Rooms look like "user/{id}", "team/{id}/session/{id}", "user/{id}/runs/{workflowId}" or "system/system".`,
  });

/** Tells whether a string is a valid id (volume id, session, workflow or skill id). */
export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Parses a room name; a bad name is an error value, never a path. */
export function parseRoomName(room: string): Result<RoomName, RoomNameError> {
  const parts = room.split('/');
  if (parts.length !== 2 && parts.length !== 4) return invalid(room, 'it must have 2 or 4 parts separated by "/"');
  const [volume, volumeId, kind, id] = parts as [string, string, string?, string?];
  if (!(VOLUMES as readonly string[]).includes(volume)) {
    return invalid(room, `the volume must be one of ${VOLUMES.join(', ')}`);
  }
  if (!isValidId(volumeId)) return invalid(room, 'the volume id must be letters, digits, "-" or "_"');
  if (volume === 'system' && volumeId !== SYSTEM_VOLUME_ID) return invalid(room, 'the system volume id is "system"');
  const v = volume as Volume;
  if (kind === undefined) return ok({ kind: 'volume', volume: v, volumeId });
  if (kind !== 'session' && kind !== 'workflow' && kind !== 'runs') return invalid(room, 'the third part must be "session", "workflow" or "runs"');
  if (id === undefined || !isValidId(id)) return invalid(room, `the ${kind} id must be letters, digits, "-" or "_"`);
  return ok({ kind, volume: v, volumeId, id });
}

/** Builds the canonical room name; throws on invalid parts since callers pass checked ids. */
export function roomNameOf(name: RoomName): string {
  const base = `${name.volume}/${name.volumeId}`;
  const room = name.kind === 'volume' ? base : `${base}/${name.kind}/${name.id}`;
  const parsed = parseRoomName(room);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return room;
}

/** The volume index room of a volume. */
export const volumeRoom = (volume: Volume, volumeId: string): string => roomNameOf({ kind: 'volume', volume, volumeId });

/** The room of one session. */
export const sessionRoom = (volume: Volume, volumeId: string, id: string): string =>
  roomNameOf({ kind: 'session', volume, volumeId, id });

/** The room of one workflow. */
export const workflowRoom = (volume: Volume, volumeId: string, id: string): string =>
  roomNameOf({ kind: 'workflow', volume, volumeId, id });

/** The run history room of one workflow. */
export const runsRoom = (volume: Volume, volumeId: string, workflowId: string): string =>
  roomNameOf({ kind: 'runs', volume, volumeId, id: workflowId });

/** The run history room of a workflow room; null when `room` is not a workflow's. */
export function runsRoomOf(room: string): string | null {
  const parsed = parseRoomName(room);
  if (!parsed.ok || parsed.value.kind !== 'workflow') return null;
  return runsRoom(parsed.value.volume, parsed.value.volumeId, parsed.value.id);
}

/** The workflow room a run history room belongs to; null when `room` is not a runs room. */
export function workflowRoomOfRuns(room: string): string | null {
  const parsed = parseRoomName(room);
  if (!parsed.ok || parsed.value.kind !== 'runs') return null;
  return workflowRoom(parsed.value.volume, parsed.value.volumeId, parsed.value.id);
}
