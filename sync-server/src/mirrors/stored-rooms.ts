import * as Y from 'yjs';
import type { Storage } from '../storage/storage';

/** Reads a room's document as it is stored: every change the server has made durable, nothing else. */
export interface RoomReader {
  read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

/** A reader that builds each document from storage, for one read, and frees it after. */
export function storedRoomReader(storage: Pick<Storage, 'read'>): RoomReader {
  return {
    async read(room, fn) {
      const stored = await storage.read(room);
      const doc = new Y.Doc();
      try {
        doc.transact(() => {
          if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
          for (const update of stored.updates) Y.applyUpdate(doc, update);
        });
        return fn(doc);
      } finally {
        doc.destroy();
      }
    },
  };
}
