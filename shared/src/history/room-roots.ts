import type * as Y from 'yjs';

/** The kinds of room that have versions as whole documents (skills are versioned one by one in their index). */
export type RoomKind = 'workflow' | 'session';

/**
 * The root types the app and server read in each kind of room, with their Yjs type. A version
 * holds the whole document, but restoring and comparing go by these: a root outside them is not
 * content (and a root asked for with the wrong type would throw).
 */
export const ROOM_ROOTS: Record<RoomKind, Readonly<Record<string, 'map' | 'array'>>> = {
  // `compound` is the compound-skill draft's state (web/src/compound/compound-draft.ts); drafts are workflow rooms.
  workflow: { meta: 'map', nodes: 'map', edges: 'map', notes: 'map', compound: 'map' },
  session: { meta: 'map', messages: 'array' },
};

/** One root of a room's document, by its name and type in `ROOM_ROOTS`. */
export function roomRoot(doc: Y.Doc, name: string, type: 'map' | 'array'): Y.Map<unknown> | Y.Array<unknown> {
  return type === 'map' ? doc.getMap<unknown>(name) : doc.getArray<unknown>(name);
}

/** The roots of a kind of room, as [name, root] pairs. */
export const roomRoots = (doc: Y.Doc, kind: RoomKind): Array<[string, Y.Map<unknown> | Y.Array<unknown>]> =>
  Object.entries(ROOM_ROOTS[kind]).map(([name, type]) => [name, roomRoot(doc, name, type)]);
