import type * as Y from 'yjs';
import { storedRoomReader, type RoomReader } from '../mirrors/stored-rooms';
import type { Storage } from '../storage/storage';

interface Waiter {
  run(doc: Y.Doc): void;
  fail(error: unknown): void;
}

/**
 * A reader of stored rooms where reads of one room that overlap share one storage read and one
 * decoded document: the edge reads a volume index on every connection to a workflow or session
 * not loaded, and a thousand clients reconnecting at once to one volume would otherwise read and
 * decode the same index a thousand times (measured: ~4 ms of server CPU each for an index of 300
 * workflows, five times what the rest of a connection costs). A read that joins one under way
 * sees storage as it was when that read began, a few ms earlier: the same answer it would have
 * had arriving those ms sooner. Nothing is kept once a read is over.
 */
export function sharedStoredReader(storage: Pick<Storage, 'read'>): RoomReader {
  const stored = storedRoomReader(storage);
  const reading = new Map<string, Waiter[]>();
  return {
    read<T>(room: string, fn: (doc: Y.Doc) => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const waiter: Waiter = {
          run: (doc) => {
            try {
              resolve(fn(doc));
            } catch (e) {
              reject(e);
            }
          },
          fail: reject,
        };
        const under = reading.get(room);
        if (under) return void under.push(waiter);
        const waiters = [waiter];
        reading.set(room, waiters);
        // Later arrivals start a read of their own once this one has what storage holds.
        const done = () => reading.get(room) === waiters && reading.delete(room);
        stored
          .read(room, (doc) => {
            done();
            for (const w of waiters) w.run(doc);
          })
          .catch((e: unknown) => {
            done();
            for (const w of waiters) w.fail(e);
          });
      });
    },
  };
}
