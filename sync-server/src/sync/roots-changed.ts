import * as Y from 'yjs';

/** A struct that Yjs would integrate as garbage (its neighbour or parent was collected): no change. */
const GONE = Symbol('gone');
/** A struct that refers to something neither the document nor the update holds. */
const UNKNOWN = Symbol('unknown');
type Where = string | typeof GONE | typeof UNKNOWN;

type Struct = Y.Item | Y.GC | Y.Skip;
/** A Yjs shared type, as items name their parent once integrated. */
type SharedType = Parameters<Y.Transaction['changed']['get']>[0];

/** The shared name of the root type that holds `type` (itself, or the type it is nested in). */
function rootNameOf(doc: Y.Doc, type: SharedType): Where {
  let root = type;
  while (root._item) {
    const parent = root._item.parent;
    if (!(parent instanceof Y.AbstractType)) return GONE;
    root = parent;
  }
  for (const [name, shared] of doc.share) if (shared === root) return name;
  return UNKNOWN;
}

/**
 * The names of the root types an update would change in `doc` — inserts anywhere below them, and
 * deletions of items not already deleted — read from the update's structs without applying it,
 * so the cost is the update's size, not the document's. Null when the update cannot be judged on
 * its own: it depends on structs the document has not seen (Yjs would hold it pending and apply
 * it later, out of sight of this check), or it refers to them in ways Yjs itself would reject.
 *
 * The resolution mirrors how Yjs integrates an item (`Item.getMissing`): an item names its parent
 * by root name, by the id of the item holding a nested type, or not at all, when it takes the
 * parent of its left or right neighbour; a collected neighbour or parent makes it garbage.
 */
export function rootsChangedBy(doc: Y.Doc, update: Uint8Array): Set<string> | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const store = doc.store;
  const known = (client: number) => Y.getState(store, client);

  const fresh = new Map<number, Struct[]>();
  for (const s of structs as Struct[]) {
    const list = fresh.get(s.id.client) ?? [];
    list.push(s);
    fresh.set(s.id.client, list);
  }
  // A gap between what the document has of a client and what the update brings is a dependency
  // Yjs would wait for.
  for (const [client, list] of fresh) {
    list.sort((a, b) => a.id.clock - b.id.clock);
    let next = known(client);
    for (const s of list) {
      if (s.id.clock > next || s instanceof Y.Skip) return null;
      next = Math.max(next, s.id.clock + s.length);
    }
  }
  /** The update's struct holding `id` (each client's structs are sorted by clock, without overlaps). */
  const inUpdate = (id: Y.ID): Struct | undefined => {
    const list = fresh.get(id.client) ?? [];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid] as Struct;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  };

  const memo = new Map<Y.Item, Where>();
  /** Where the struct holding `id` lives (in the document if it has it, else in the update). */
  function whereIs(id: Y.ID): Where {
    if (id.clock < known(id.client)) {
      const s = Y.getItem(store, id) as Struct;
      if (!(s instanceof Y.Item)) return GONE;
      return s.parent instanceof Y.AbstractType ? rootNameOf(doc, s.parent) : GONE;
    }
    const s = inUpdate(id);
    if (!s) return UNKNOWN;
    return s instanceof Y.Item ? whereNew(s) : GONE;
  }
  /** Where the nested type held by the item `id` lives. */
  function whereInside(id: Y.ID): Where {
    if (id.clock < known(id.client)) {
      const s = Y.getItem(store, id) as Struct;
      if (!(s instanceof Y.Item)) return GONE;
      return s.content instanceof Y.ContentType ? rootNameOf(doc, s.content.type) : UNKNOWN;
    }
    const s = inUpdate(id);
    if (!s) return UNKNOWN;
    if (!(s instanceof Y.Item)) return GONE;
    return s.content instanceof Y.ContentType ? whereNew(s) : UNKNOWN;
  }
  function whereNew(item: Y.Item): Where {
    const cached = memo.get(item);
    if (cached !== undefined) return cached;
    memo.set(item, UNKNOWN); // a cycle of references resolves to "cannot judge"
    let where: Where;
    const neighbours = [item.origin, item.rightOrigin].filter((id): id is Y.ID => id !== null).map(whereIs);
    if (neighbours.includes(UNKNOWN)) where = UNKNOWN;
    else if (neighbours.includes(GONE)) where = GONE;
    else if (typeof item.parent === 'string') where = item.parent;
    else if (item.parent instanceof Y.ID) where = whereInside(item.parent);
    else where = neighbours[0] ?? UNKNOWN;
    memo.set(item, where);
    return where;
  }

  const roots = new Set<string>();
  const add = (where: Where): boolean => {
    if (where === UNKNOWN) return false;
    if (where !== GONE) roots.add(where);
    return true;
  };
  for (const list of fresh.values()) {
    for (const s of list) {
      // Structs the document already holds are skipped by Yjs, as they are here.
      if (!(s instanceof Y.Item) || s.id.clock + s.length <= known(s.id.client)) continue;
      if (!add(whereNew(s))) return null;
    }
  }
  for (const [client, ranges] of ds.clients) {
    for (const { clock, len } of ranges) {
      for (let c = clock; c < clock + len; ) {
        if (c < known(client)) {
          const s = Y.getItem(store, Y.createID(client, c)) as Struct;
          // Deleting what is already deleted changes nothing (every sync step 2 resends them all).
          if (s instanceof Y.Item && !s.deleted && s.parent instanceof Y.AbstractType && !add(rootNameOf(doc, s.parent))) return null;
          c = s.id.clock + s.length;
        } else {
          const s = inUpdate(Y.createID(client, c));
          if (!s) return null;
          if (s instanceof Y.Item && !add(whereNew(s))) return null;
          c = s.id.clock + s.length;
        }
      }
    }
  }
  return roots;
}
