import { workflowRoom, type RoomName } from './rooms';

/** Who is asking: a signed-in person, a share-link holder, or the server itself. */
export type Identity =
  | { kind: 'user'; sub: string; teams: readonly string[]; team_admin: readonly string[] }
  | { kind: 'share'; room: string; mode: 'read' | 'write' }
  | { kind: 'server' };

/** What an identity may do in one room. `writeSkills` matters only in volume index rooms. */
export interface Access {
  read: boolean;
  /** May change sessions and workflows (and, in a volume index, their listings). */
  write: boolean;
  /** May add, change or delete skills of the volume. */
  writeSkills: boolean;
}

const NONE: Access = { read: false, write: false, writeSkills: false };
const READ: Access = { read: true, write: false, writeSkills: false };
const ALL: Access = { read: true, write: true, writeSkills: true };

/**
 * The access rules of DESIGN §7 as one pure function of (identity, room):
 * system is readable by all and written only by the server; a team is read and written by its
 * members, its skills only by its admins; a user volume belongs to its owner alone.
 * A share link grants exactly its room and mode, and reading the system volume like everyone.
 * A workflow's run history room (`…/runs/{id}`) has its workflow room's access: a share link to
 * the workflow opens its runs too (the runs are part of what was shared), never the other way.
 */
export function accessTo(identity: Identity, room: RoomName, roomName: string): Access {
  switch (identity.kind) {
    case 'server':
      return ALL;
    case 'share':
      // System is read by everyone (a shared workflow needs its skills) and written by nobody
      // over the network, whatever a link claims.
      if (room.volume === 'system') return READ;
      if (identity.room !== roomName && identity.room !== sharedThrough(room)) return NONE;
      return identity.mode === 'write' ? { read: true, write: true, writeSkills: false } : READ;
    case 'user':
      switch (room.volume) {
        case 'system':
          return READ;
        case 'team': {
          if (!identity.teams.includes(room.volumeId) && !identity.team_admin.includes(room.volumeId)) return NONE;
          return { read: true, write: true, writeSkills: identity.team_admin.includes(room.volumeId) };
        }
        case 'user':
          return identity.sub === room.volumeId ? ALL : NONE;
      }
  }
}

/** The room whose share link also opens `room`: a runs room's workflow room. */
const sharedThrough = (room: RoomName): string | null =>
  room.kind === 'runs' ? workflowRoom(room.volume, room.volumeId, room.id) : null;

/** The identity of the one person in single-user local mode. */
export const localIdentity = (sub: string): Identity => ({ kind: 'user', sub, teams: [], team_admin: [] });
