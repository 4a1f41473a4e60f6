import type * as Y from 'yjs';
import type { Access } from '../../../shared/src/access';
import { SERVER_ROOTS, SKILL_ROOTS } from '../../../shared/src/documents/volume-index';
import type { RoomName } from '../../../shared/src/rooms';
import { rootsChangedBy } from './roots-changed';

/**
 * What one connection may change in its room's document. DESIGN §7 splits a team's volume
 * index by part: members write its `sessions` and `workflows` listings, only admins its
 * skills (`skills`, with their `skillFiles` and `skillOrigins`), and no client its `purged` tombstones. So beside "anything" and "nothing" a connection may be barred from named root types.
 */
export type WritePolicy =
  | { kind: 'any' }
  | { kind: 'none' }
  /** Anything except these root types of the document (by their shared name). */
  | { kind: 'except'; roots: readonly string[] };

/** The write policy of an access decision in one room. */
export function writePolicyOf(access: Access, room: RoomName): WritePolicy {
  if (!access.write) return { kind: 'none' };
  if (room.kind !== 'volume') return { kind: 'any' };
  // The tombstones are the server's alone, whoever the client is.
  return { kind: 'except', roots: access.writeSkills ? SERVER_ROOTS : [...SKILL_ROOTS, ...SERVER_ROOTS] };
}

/** Why `policy` refuses `update` to `doc`, or null when it may be applied. */
export function refusalOf(policy: WritePolicy, doc: Y.Doc, update: Uint8Array): string | null {
  switch (policy.kind) {
    case 'any':
      return null;
    case 'none':
      return 'read-only';
    case 'except': {
      const roots = rootsChangedBy(doc, update);
      if (!roots) return 'depends on changes the server has not seen; reconnect to resynchronise';
      const barred = policy.roots.filter((r) => roots.has(r));
      return barred.length ? `you may not change ${barred.map((r) => `"${r}"`).join(', ')}` : null;
    }
  }
}
