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
