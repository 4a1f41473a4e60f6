import * as Y from 'yjs';
import type { Storage } from '../../src/storage/storage';

/** A room's document as storage holds it (snapshot and logged updates), not as a live room has it. */
export async function storedDoc(storage: Pick<Storage, 'load'>, room: string): Promise<Y.Doc> {
  const stored = await storage.load(room);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return doc;
}

/** The stored document's state as text, to check that a refused write left storage as it was. */
export const storedBytes = async (storage: Pick<Storage, 'load'>, room: string): Promise<string> =>
  Buffer.from(Y.encodeStateAsUpdate(await storedDoc(storage, room))).toString('base64');

/** One update made by `edit` on a fresh document: what a test appends to storage as a room's content. */
export function updateOf(edit: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc();
  edit(doc);
  const out = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return out;
}
