import { openDB } from 'idb';
import * as Y from 'yjs';
import { runCacheKeys } from '../../../shared/src/documents/runs';
import { roomDbName } from '../documents/rooms';

/*
 * The cache keys each run history room pins, kept in memory between budget passes and storage
 * panel reads. A runs room open here (the runs panel, a run being recorded) is read from its
 * live document, collaborators' runs included as they arrive; one that is not is read once from
 * its local copy, straight from IndexedDB: opening it with y-indexeddb would append a record to
 * it on every pass. A copy read from IndexedDB is read again only when its newest record changed
 * (another tab of this browser added runs to it): y-indexeddb's record keys only grow.
 */

const live = new Map<string, Y.Doc>();
const read = new Map<string, { keys: Set<string>; last: IDBValidKey }>();

/** Follows a runs room's open document: its keys are read from it while it is open. */
export function trackRunsDoc(room: string, doc: Y.Doc): void {
  if (live.get(room) === doc) return;
  live.set(room, doc);
  doc.once('destroy', () => {
    if (live.get(room) === doc) live.delete(room);
    // The local copy has what the document had: read it again next time.
    read.delete(room);
  });
}

/** Forgets what is known of a runs room (deleted for good here). */
export function forgetRunsKeys(room: string): void {
  live.delete(room);
  read.delete(room);
}

/**
 * The cache keys of the runs in one runs room's local copy, read without y-indexeddb (and read
 * again only when it changed). A room with no copy here pins nothing; a copy that cannot be read
 * throws, so the caller drops nothing.
 */
async function keysOfLocalCopy(room: string): Promise<Set<string>> {
  let absent = false;
  const db = await openDB(roomDbName(room), undefined, {
    // No such database: opening would make an empty one; abort instead, and note that none is held.
    upgrade(_db, _old, _new, tx) {
      absent = true;
      tx.abort();
    },
  }).catch((e: unknown) => {
    if (absent) return null;
    throw e;
  });
  if (!db) return new Set();
  try {
    if (!db.objectStoreNames.contains('updates')) return new Set();
    const tx = db.transaction('updates');
    const last = (await tx.store.openCursor(null, 'prev'))?.key;
    if (last === undefined) return new Set();
    const known = read.get(room);
    if (known && indexedDB.cmp(known.last, last) === 0) return known.keys;
    const doc = new Y.Doc();
    try {
      for (const update of (await tx.store.getAll()) as unknown[]) {
        if (!(update instanceof Uint8Array)) throw new Error(`The run history "${room}" in this browser holds something that is not a Yjs update.`);
        Y.applyUpdate(doc, update);
      }
      const keys = runCacheKeys(doc);
      read.set(room, { keys, last });
      return keys;
    } finally {
      doc.destroy();
    }
  } finally {
    db.close();
  }
}

/** The keys one runs room pins now: from its open document, else from its local copy. */
export async function keysOfRunsRoom(room: string): Promise<Set<string>> {
  const doc = live.get(room);
  return doc ? runCacheKeys(doc) : keysOfLocalCopy(room);
}
