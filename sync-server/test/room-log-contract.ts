import { afterEach, describe, expect, it } from 'vitest';
import type { RoomLog } from '../src/storage/room-log';
import { InvalidNameError, StorageError } from '../src/storage/storage';
import { UNPARSEABLE_ROOMS } from './storage-contract';

/**
 * The contract every `RoomLog` passes (file, Redis). `open` makes an empty log; `reopen` opens
 * the same data again after `close`, as a restarted server would; `tear` leaves what a crash in
 * the middle of writing a room's next entry leaves, for logs where that can happen (a file; a
 * Redis transaction is all or nothing); `addStrays` puts things that are not rooms where the log
 * finds its rooms.
 */
export interface RoomLogContractTarget {
  open(): Promise<RoomLog>;
  reopen(closed: RoomLog): Promise<RoomLog>;
  tear?: (log: RoomLog, room: string) => Promise<void>;
  addStrays(log: RoomLog): Promise<void>;
}

const bytes = (...values: number[]) => new Uint8Array(values);
const contents = (entries: Array<{ update: Uint8Array }>) => entries.map((e) => [...e.update]);

/** Runs the room log contract against one backend. */
export function roomLogContract(name: string, target: RoomLogContractTarget): void {
  describe(`room log contract: ${name}`, () => {
    const open: RoomLog[] = [];
    const track = (log: RoomLog) => {
      open.push(log);
      return log;
    };
    const fresh = async () => track(await target.open());
    const restart = async (log: RoomLog) => {
      await log.close();
      return track(await target.reopen(log));
    };
    afterEach(async () => {
      for (const log of open.splice(0)) await log.close().catch(() => undefined);
    });

    it('LOG-1: appends give one id per update, and read gives them back in order, byte for byte', async () => {
      const log = await fresh();
      const room = 'user/u1/workflow/w';
      const first = await log.append(room, [bytes(1, 2, 3), bytes(4)]);
      expect(await log.append(room, [])).toEqual([]);
      // Not awaited one by one: the log keeps call order.
      const [second, third] = await Promise.all([log.append(room, [bytes(5)]), log.append(room, [bytes(6, 7), bytes(8)])]);
      const ids = [...first, ...second!, ...third!];
      expect(ids).toHaveLength(5);
      expect(new Set(ids).size).toBe(5);
      const entries = await log.read(room, null);
      expect(entries.map((e) => e.id)).toEqual(ids);
      expect(contents(entries)).toEqual([[1, 2, 3], [4], [5], [6, 7], [8]]);
      expect(await log.read('user/u1/workflow/none', null)).toEqual([]);
    });

    it('LOG-2: read after an id gives exactly the entries after it', async () => {
      const log = await fresh();
      const room = 'team/t-1/session/s';
      const ids = await log.append(room, [bytes(1), bytes(2), bytes(3), bytes(4)]);
      expect(contents(await log.read(room, ids[0]!))).toEqual([[2], [3], [4]]);
      expect((await log.read(room, ids[2]!)).map((e) => e.id)).toEqual([ids[3]]);
      expect(await log.read(room, ids[3]!)).toEqual([]);
    });

    it('LOG-3: rooms are independent, and list names every room with entries and nothing else', async () => {
      const log = await fresh();
      await log.append('user/u1/session/a', [bytes(1)]);
      await log.append('user/u1/session/b', [bytes(2)]);
      await log.append('team/t-1/workflow/a_b', [bytes(3)]);
      await target.addStrays(log);
      expect(contents(await log.read('user/u1/session/a', null))).toEqual([[1]]);
      expect(contents(await log.read('user/u1/session/b', null))).toEqual([[2]]);
      expect(await log.list()).toEqual(['team/t-1/workflow/a_b', 'user/u1/session/a', 'user/u1/session/b']);
    });

    it('LOG-4: trim drops the entries up to and including an id, and keeps every later one', async () => {
      const log = await fresh();
      const room = 'user/u1/workflow/trim';
      const ids = await log.append(room, [bytes(1), bytes(2), bytes(3), bytes(4)]);
      await log.trim(room, ids[1]!);
      expect((await log.read(room, null)).map((e) => e.id)).toEqual(ids.slice(2));
      expect(contents(await log.read(room, ids[1]!))).toEqual([[3], [4]]);
      // A trim that covers every entry may keep the newest (a log whose ids are read back from
      // its own entries must, see LOG-5); it keeps nothing else, and nothing comes after it.
      await log.trim(room, ids[3]!);
      const left = (await log.read(room, null)).map((e) => e.id);
      expect([[], [ids[3]]]).toContainEqual(left);
      expect(await log.read(room, ids[3]!)).toEqual([]);
      // Trimming again, or up to an id already gone, changes nothing.
      await log.trim(room, ids[0]!);
      expect((await log.read(room, null)).map((e) => e.id)).toEqual(left);
    });

    it('LOG-5: after a close and reopen, entries are all there and new ids follow the old ones, even after a trim that covered everything', async () => {
      let log = await fresh();
      const kept = 'user/u1/workflow/kept';
      const trimmed = 'user/u1/workflow/trimmed';
      const keptIds = await log.append(kept, [bytes(1), bytes(2)]);
      const trimmedIds = await log.append(trimmed, [bytes(3), bytes(4)]);
      await log.trim(trimmed, trimmedIds[1]!);
      log = await restart(log);
      expect(contents(await log.read(kept, null))).toEqual([[1], [2]]);
      const [next] = await log.append(kept, [bytes(5)]);
      const [afterTrim] = await log.append(trimmed, [bytes(6)]);
      // A snapshot covering up to the old last id must not hide the new entry.
      expect(contents(await log.read(kept, keptIds[1]!))).toEqual([[5]]);
      expect(contents(await log.read(trimmed, trimmedIds[1]!))).toEqual([[6]]);
      log = await restart(log);
      expect((await log.read(kept, null)).map((e) => e.id)).toEqual([...keptIds, next]);
      expect((await log.read(trimmed, trimmedIds[1]!)).map((e) => e.id)).toEqual([afterTrim]);
      expect(await log.list()).toEqual([kept, trimmed]);
    });

    it('LOG-6: a large update and many small ones round-trip; release frees a room without losing it', async () => {
      const log = await fresh();
      const room = 'user/u1/workflow/big';
      const big = new Uint8Array(1_000_000).map((_, i) => i % 251);
      const small = Array.from({ length: 1000 }, (_, i) => bytes(i % 256, i >> 8));
      await log.append(room, [big]);
      await log.append(room, small);
      await log.release(room);
      await log.append(room, [bytes(9)]);
      const entries = await log.read(room, null);
      expect(entries).toHaveLength(1002);
      expect(Buffer.from(entries[0]!.update).equals(Buffer.from(big))).toBe(true);
      expect(contents(entries.slice(1))).toEqual([...small.map((u) => [...u]), [9]]);
    });

    it('LOG-7: a room name that does not parse is refused with an InvalidNameError, and an id the log never gives with a StorageError', async () => {
      const log = await fresh();
      for (const room of UNPARSEABLE_ROOMS) {
        await expect(log.read(room, null), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(log.append(room, [bytes(1)]), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(log.trim(room, '1'), room).rejects.toBeInstanceOf(InvalidNameError);
        await expect(log.delete(room), room).rejects.toBeInstanceOf(InvalidNameError);
      }
      expect(await log.list()).toEqual([]);
      const room = 'user/u1';
      const ids = await log.append(room, [bytes(1)]);
      for (const id of ['', 'not-an-id', '1-2-3', '../1', ' 1']) {
        await expect(log.read(room, id), JSON.stringify(id)).rejects.toBeInstanceOf(StorageError);
        await expect(log.trim(room, id), JSON.stringify(id)).rejects.toBeInstanceOf(StorageError);
      }
      expect((await log.read(room, null)).map((e) => e.id)).toEqual(ids);
    });

    it('LOG-9: delete drops a room and every entry of it, even after a release; entries appended afterwards are all it holds, across a restart', async () => {
      let log = await fresh();
      const room = 'user/u1/workflow/del';
      await log.append(room, [bytes(1), bytes(2)]);
      await log.append('user/u1/workflow/other', [bytes(3)]);
      await log.release(room);
      await log.delete(room);
      expect(await log.read(room, null)).toEqual([]);
      expect(await log.list()).toEqual(['user/u1/workflow/other']);
      await log.delete(room);
      await log.delete('user/u1/workflow/never');
      await log.append(room, [bytes(4)]);
      log = await restart(log);
      expect(contents(await log.read(room, null))).toEqual([[4]]);
      expect(contents(await log.read('user/u1/workflow/other', null))).toEqual([[3]]);
      expect(await log.list()).toEqual(['user/u1/workflow/del', 'user/u1/workflow/other']);
    });

    if (target.tear) {
      const tear = target.tear;
      it('LOG-8 (DUR-4): a torn last entry from a crash mid-write is cut off; later appends follow the last whole one', async () => {
        let log = await fresh();
        const room = 'user/u1/workflow/torn';
        const ids = await log.append(room, [bytes(1), bytes(2)]);
        await log.close();
        await tear(log, room);
        log = track(await target.reopen(log));
        expect((await log.read(room, null)).map((e) => e.id)).toEqual(ids);
        const [next] = await log.append(room, [bytes(3)]);
        log = await restart(log);
        expect((await log.read(room, null)).map((e) => e.id)).toEqual([...ids, next]);
        expect(contents(await log.read(room, ids[1]!))).toEqual([[3]]);
      });
    }
  });
}
