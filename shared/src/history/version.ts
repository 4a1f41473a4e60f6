import { isValidId, parseRoomName, VOLUMES, type Volume } from '../rooms';
import { err, ok, type Result } from '../result';

/**
 * What has versions (DESIGN §11): a workflow or session room, or one skill of a volume. Its
 * name is the room's name, and for a skill `{volume}/{volumeId}/skill/{skillId}`: the REST
 * API's `?room=` takes either.
 */
export type HistorySubject =
  | { kind: 'workflow' | 'session'; volume: Volume; volumeId: string; id: string; /** The live room. */ room: string; name: string }
  | { kind: 'skill'; volume: Volume; volumeId: string; id: string; /** The volume index room holding the skill. */ room: string; name: string };

export interface SubjectError {
  code: 'invalid_subject';
  message: string;
}

/** Parses a subject name: a workflow or session room, or `{volume}/{volumeId}/skill/{skillId}`. */
export function parseSubject(name: string): Result<HistorySubject, SubjectError> {
  const bad = (why: string) =>
    err<SubjectError>({
      code: 'invalid_subject',
      message: `Invalid room "${String(name).slice(0, 200)}": ${why}. Versions belong to "user/{id}/workflow/{id}", "user/{id}/session/{id}" or "user/{id}/skill/{skill_id}" (or team/…).`,
    });
  if (typeof name !== 'string') return bad('it is not a string');
  const parts = name.split('/');
  if (parts.length === 4 && parts[2] === 'skill') {
    const [volume, volumeId, , id] = parts as [string, string, string, string];
    if (!(VOLUMES as readonly string[]).includes(volume)) return bad(`the volume must be one of ${VOLUMES.join(', ')}`);
    if (!isValidId(volumeId) || !isValidId(id)) return bad('ids are letters, digits, "-" or "_"');
    const room = parseRoomName(`${volume}/${volumeId}`);
    if (!room.ok) return bad(room.error.message);
    return ok({ kind: 'skill', volume: volume as Volume, volumeId, id, room: `${volume}/${volumeId}`, name });
  }
  const room = parseRoomName(name);
  if (!room.ok) return bad(room.error.message);
  if (room.value.kind !== 'workflow' && room.value.kind !== 'session') return bad('only workflows, sessions and skills have versions');
  return ok({ kind: room.value.kind, volume: room.value.volume, volumeId: room.value.volumeId, id: room.value.id, room: name, name });
}

/** The subject name of one skill of a volume. */
export const skillSubject = (volume: Volume, volumeId: string, skillId: string): string => `${volume}/${volumeId}/skill/${skillId}`;

/** What changed in a version against the one before it, small enough to list without its content. */
export type VersionChanges =
  | {
      kind: 'graph';
      nodes: { added: NamedItem[]; removed: NamedItem[]; changed: NamedItem[] };
      edges: { added: number; removed: number; changed: number };
      /** The workflow's name or description changed. */
      meta: boolean;
      /** Sticky notes added, removed and changed (absent in versions listed before notes were counted). */
      notes?: { added: number; removed: number; changed: number };
    }
  | {
      kind: 'text';
      /** Lines added and removed. */
      added: number;
      removed: number;
      /** The skill's other files added, removed and changed (absent in versions listed before files were counted). */
      files?: { added: number; removed: number; changed: number };
    }
  | { kind: 'messages'; added: number; removed: number; changed: number };

/** A node by id, with the label it had (or its skill id when it had none), to name it in a list. */
export interface NamedItem {
  id: string;
  label: string;
}

/** One version as listed: everything but its content. */
export interface VersionMeta {
  id: string;
  /** The subject name (see `parseSubject`). */
  room: string;
  /** A person's name for it, or null for an automatic checkpoint. */
  name: string | null;
  /** ISO time it was taken. */
  created_at: string;
  /** Who changed the subject since the version before (identity `sub`s, or share-link names), sorted. */
  authors: string[];
  changes: VersionChanges;
  /** The content's size in bytes. */
  size: number;
}

/**
 * A version's content as stored: for a workflow or session, the room's whole state as one Yjs
 * update (`Y.encodeStateAsUpdate`); for a skill, this JSON as UTF-8.
 */
export interface SkillVersionContent {
  markdown: string;
  /** The skill's other files (Agent Skills folders), path → base64 bytes. */
  files: Record<string, string>;
}

/**
 * Version ids name their subject, so any backend finds a version from its id alone: the
 * subject's parts joined by "." (ids never hold a dot), then "." and a stamp that sorts by time.
 */
export function versionIdOf(subject: string, at: number, random: string): string {
  return `${subject.split('/').join('.')}.${at.toString(36).padStart(9, '0')}${random}`;
}

/** The subject name of a version id, or null when the id is not one. */
export function subjectOfVersionId(id: string): string | null {
  if (typeof id !== 'string' || id.length > 400) return null;
  const parts = id.split('.');
  if (parts.length !== 3 && parts.length !== 5) return null;
  const stamp = parts.pop() as string;
  if (!/^[0-9a-z]{9,40}$/.test(stamp)) return null;
  const subject = parts.join('/');
  return parseSubject(subject).ok ? subject : null;
}
