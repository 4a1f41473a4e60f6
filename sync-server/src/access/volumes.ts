import { z } from 'zod';
import { accessTo, type Access, type Identity } from '../../../shared/src/access';
import { parseRoomName, SYSTEM_VOLUME_ID, volumeRoom, VOLUMES, type Volume } from '../../../shared/src/rooms';
import { HttpError } from '../http/errors';
import { IdSchema } from '../http/validate';

/**
 * The optional `volume` and `volume_id` query parameters of the original's API, and nothing
 * else: an unknown key is refused rather than ignored, since `volume_id[]=x` or `volume_id[$ne]=1`
 * is someone trying another shape of the same parameter.
 */
export const VolumeQuerySchema = z.strictObject({
  volume: z.enum(VOLUMES).optional(),
  volume_id: IdSchema.optional(),
});
export type VolumeQuery = z.infer<typeof VolumeQuerySchema>;

export interface VolumeRef {
  volume: Volume;
  volumeId: string;
}

/** The volume a person works in by default: their own. */
function homeVolume(identity: Identity): VolumeRef | undefined {
  if (identity.kind === 'user') return { volume: 'user', volumeId: identity.sub };
  if (identity.kind === 'share') {
    const room = parseRoomName(identity.room);
    if (room.ok) return { volume: room.value.volume, volumeId: room.value.volumeId };
  }
  return undefined;
}

/** The one volume a request names, or the caller's own. */
export function resolveVolume(identity: Identity, q: VolumeQuery): VolumeRef {
  if (q.volume === 'system') return { volume: 'system', volumeId: SYSTEM_VOLUME_ID };
  if (q.volume) {
    if (q.volume_id) return { volume: q.volume, volumeId: q.volume_id };
    const home = homeVolume(identity);
    if (q.volume === 'user' && home?.volume === 'user') return home;
    throw new HttpError('bad_request', `volume_id is required with volume "${q.volume}".`);
  }
  const home = homeVolume(identity);
  if (!home) throw new HttpError('bad_request', 'Name the volume with ?volume=…&volume_id=….');
  return home;
}

/**
 * Where to look for an id when no volume is named, in DESIGN §3's order: the caller's user
 * volume, then their teams, then the system volume.
 */
export function searchOrder(identity: Identity, q: VolumeQuery, includeSystem: boolean): VolumeRef[] {
  if (q.volume) return [resolveVolume(identity, q)];
  const out: VolumeRef[] = [];
  const home = homeVolume(identity);
  if (home) out.push(home);
  if (identity.kind === 'user') {
    for (const team of new Set([...identity.teams, ...identity.team_admin])) out.push({ volume: 'team', volumeId: team });
  }
  if (includeSystem) out.push({ volume: 'system', volumeId: SYSTEM_VOLUME_ID });
  return out;
}

/** The part of a volume's access that changing an item of `kind` needs: a skill's own right for skills, `write` for the rest. */
export function writeNeedOf(kind: string): 'write' | 'writeSkills' {
  return kind === 'skill' ? 'writeSkills' : 'write';
}

/** The caller's access to a room, or a 403 when it lacks the part it needs. */
export function requireAccess(identity: Identity, roomName: string, need: keyof Access): Access {
  const room = parseRoomName(roomName);
  if (!room.ok) throw new HttpError('bad_request', room.error.message);
  const access = accessTo(identity, room.value, roomName);
  if (!access[need]) {
    const verb = need === 'read' ? 'read' : 'change';
    const what = need === 'writeSkills' ? 'skills of' : '';
    throw new HttpError('forbidden', `You may not ${verb} ${what} "${roomName}".`.replace(/\s+/g, ' '));
  }
  return access;
}

/** Whether the caller has `need` in a room, for searches that skip what they may not see. */
export function canAccess(identity: Identity, roomName: string, need: keyof Access): boolean {
  const room = parseRoomName(roomName);
  return room.ok && accessTo(identity, room.value, roomName)[need];
}

/** The volume index room a request targets (named, or the caller's own), checked for `need`. */
export function targetIndex(identity: Identity, q: VolumeQuery, need: keyof Access): { ref: VolumeRef; index: string } {
  const ref = resolveVolume(identity, q);
  const index = volumeRoom(ref.volume, ref.volumeId);
  requireAccess(identity, index, need);
  return { ref, index };
}
