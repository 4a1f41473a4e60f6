import * as Y from 'yjs';
import type { Access } from '../../../shared/src/access';
import type { RoomName } from '../../../shared/src/rooms';

/**
 * What one connection may change in its room's document. DESIGN §7 splits a team's volume
 * index by part: members write its `sessions` and `workflows` listings, only admins its
 * `skills`. So beside "anything" and "nothing" a connection may be barred from named root types.
 */
export type WritePolicy =
  | { kind: 'any' }
  | { kind: 'none' }
  /** Anything except these root types of the document (by their shared name). */
  | { kind: 'except'; roots: readonly string[] };

/** The root types of a volume index that hold the volume's skills. */
const SKILL_ROOTS = ['skills'] as const;

/** The write policy of an access decision in one room. */
export function writePolicyOf(access: Access, room: RoomName): WritePolicy {
  if (!access.write) return { kind: 'none' };
  if (room.kind === 'volume' && !access.writeSkills) return { kind: 'except', roots: SKILL_ROOTS };
  return { kind: 'any' };
}

/** A Yjs shared type, as transactions name the ones they changed. */
type SharedType = Parameters<Y.Transaction['changed']['get']>[0];

/** The shared name under which a root type is kept in its document. */
function rootNameOf(doc: Y.Doc, type: SharedType): string | undefined {
  let root = type;
  // Nested types hang off an item whose parent is the enclosing type; roots have no item.
  while (root._item && root._item.parent instanceof Y.AbstractType) root = root._item.parent;
  for (const [name, shared] of doc.share) if (shared === root) return name;
  return undefined;
}

/**
 * The names of the root types an update would change in `doc` (inserts and deletes, at any
 * depth), found by applying it to a copy. Null when the update cannot be judged on its own:
 * it depends on changes the document has not seen, so Yjs would hold it pending and apply it
 * later, when what it changes is no longer visible to this check.
 */
export function rootsChangedBy(doc: Y.Doc, update: Uint8Array): Set<string> | null {
  const trial = new Y.Doc({ gc: false });
  Y.applyUpdate(trial, Y.encodeStateAsUpdate(doc));
  const roots = new Set<string>();
  trial.on('afterTransaction', (tr: Y.Transaction) => {
    for (const type of tr.changed.keys()) roots.add(rootNameOf(trial, type) ?? '');
  });
  Y.applyUpdate(trial, update);
  if (trial.store.pendingStructs || trial.store.pendingDs) return null;
  return roots;
}

/**
 * Why `policy` refuses `update` to `doc`, or null when it may be applied. Only a restricted
 * policy pays for the trial application, and only the few connections that carry one.
 */
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
