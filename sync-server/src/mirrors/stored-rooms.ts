import * as Y from 'yjs';
import type { RoomLog } from '../storage/room-log';
import type { SnapshotStore } from '../storage/snapshot-store';
import type { StoredRoom } from '../storage/storage';

/**
 * What is stored of a room (its snapshot and the log after it), read without joining the room:
 * a read moves no follow position and keeps no file open, so it may run while the room is
 * loaded, or long after it was unloaded, and never loads it into memory.
 */
export type ReadStored = (room: string) => Promise<StoredRoom>;

/**
 * A split storage's room, read as `SplitStorage.load` reads it but without recording how far the
 * room has read its log: that position belongs to the loaded room (its stream follower starts
 * there), and a mirror moving it past entries the room has not applied would skip them.
 */
export function readSplit(log: RoomLog, snapshots: SnapshotStore): ReadStored {
  return async (room) => {
    const snapshot = await snapshots.get(room);
    const entries = await log.read(room, snapshot?.upTo ?? null);
    return { snapshot: snapshot?.data ?? null, updates: entries.map((e) => e.update) };
  };
}

/** Reads a room's document as it is stored: every change the server has made durable, nothing else. */
export interface RoomReader {
  read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

/** A reader that builds each document from storage, for one read, and frees it after. */
export function storedRoomReader(readStored: ReadStored): RoomReader {
  return {
    async read(room, fn) {
      const stored = await readStored(room);
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
