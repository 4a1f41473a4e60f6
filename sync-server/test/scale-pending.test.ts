// SCALE-4 (DUR-1 with several instances): a client's change that builds on another instance's change this
// instance has not read yet waits in the document (Yjs keeps it pending). When the other
// instance's entry arrives from the stream, both integrate in one transaction whose update holds
// the client's change too: it must be logged before it goes out, as any change of our clients.
// (A browser's tabs share changes over BroadcastChannel: a tab on instance A can build on what
// its sibling on instance B received a moment before A reads it from Redis.)
import * as decoding from 'lib0/decoding';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CloseCode } from '../../shared/src/codes';
import { Room, type RoomPeer } from '../src/rooms/room';
import { MemorySnapshotStore } from '../src/storage/memory-snapshots';
import { RedisRoomLog } from '../src/storage/redis-log';
import { SplitStorage } from '../src/storage/split';
import { startRedis, type RedisServer } from './harness/redis-server';
import { storedDoc } from './harness/stored';
import { waitFor } from './harness/wait';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
});

const instance = (id: string, snapshots: MemorySnapshotStore) => new SplitStorage(RedisRoomLog.connect(redis.url, { instanceId: id }), snapshots);

const storedText = async (storage: SplitStorage, room: string): Promise<string[]> => (await storedDoc(storage, room)).getArray<string>('a').toArray();

describe('a change waiting for another instance\'s', () => {
  it('DUR-1: is logged by this instance once it integrates, before any client receives it', async () => {
    const snapshots = new MemorySnapshotStore();
    const a = instance('instance-a', snapshots);
    const b = instance('instance-b', snapshots);
    const name = 'user/default/workflow/pending-across-instances';
    const room = await Room.load(name, a, { compactAfter: 1000, groupCommitMs: 0, onFailure: () => undefined }, pino({ level: 'silent' }));

    // Y's change reaches B; X (on A) has it already (from a sibling tab) and builds on it.
    const y = new Y.Doc();
    const yUpdates: Uint8Array[] = [];
    y.on('update', (u: Uint8Array) => yUpdates.push(u));
    y.getArray('a').insert(0, ['from-y']);
    const x = new Y.Doc();
    Y.applyUpdate(x, yUpdates[0]!);
    const xUpdates: Uint8Array[] = [];
    x.on('update', (u: Uint8Array) => xUpdates.push(u));
    x.getArray('a').insert(1, ['from-x']);

    // What another client of A receives, and what the log held at that moment.
    const received: Array<{ text: string[]; logged: Promise<string[]> }> = [];
    const other = new Y.Doc();
    const checker = instance('instance-c', snapshots);
    const reader: RoomPeer = {
      who: 'reader',
      writes: { kind: 'any' },
      send: (message) => {
        // Sync updates only (message type 0, sync type 2); sync step 1 and awareness carry no change.
        const d = decoding.createDecoder(message);
        if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 2) return;
        const before = other.getArray<string>('a').toArray().join();
        Y.applyUpdate(other, decoding.readVarUint8Array(d));
        if (other.getArray<string>('a').toArray().join() !== before) received.push({ text: other.getArray<string>('a').toArray(), logged: storedText(checker, name) });
      },
      close: (_code: CloseCode) => undefined,
    };
    const writer: RoomPeer = { ...reader, who: 'x', send: () => undefined };
    room.addPeer(reader);
    room.addPeer(writer);
    room.receive(writer, { type: 'update', update: xUpdates[0]! });
    expect(room.doc.getArray('a').toArray(), "X's change waits for Y's").toEqual([]);

    await b.append(name, [yUpdates[0]!]);
    await waitFor(() => room.doc.getArray('a').length === 2, "A to read Y's change from the stream");
    await room.durable();
    await waitFor(() => received.some((r) => r.text.includes('from-x')), "the reader to receive X's change");

    expect(await storedText(checker, name), 'what the log holds').toEqual(['from-y', 'from-x']);
    for (const r of received) expect(await r.logged, `the log when the reader got ${r.text.join(', ')}`).toEqual(expect.arrayContaining(r.text));
    await room.unload();
    await Promise.all([a.close(), b.close(), checker.close()]);
  });
});

