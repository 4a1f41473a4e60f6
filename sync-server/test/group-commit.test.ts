// DUR-3: appends are group-committed. Updates that come while a write is in flight (or while a
// batch waits out GROUP_COMMIT_MS, when one is set) join one append, and the broadcasts of that batch leave a
// reader's socket in one write. A raw socket reader sees each write the server makes as one
// chunk on loopback, so the test counts the chunks the broadcasts arrive in.
import crypto from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MESSAGE } from '../src/sync/protocol';
import { startTestServer } from './harness/in-process';
import { openPeer, type RawPeer } from './harness/raw-peer';
import { startRedis } from './harness/redis-server';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-group-commit-');

/** A reader on the raw socket: the server's frames, each with the index of the chunk it ended in. */
interface ChunkReader {
  frames: Array<{ payload: Uint8Array; chunk: number }>;
  chunks: number;
}

/** Upgrades a plain socket to the room and records every server frame (unmasked, binary) by chunk. */
async function chunkReader(serverUrl: string, room: string): Promise<ChunkReader> {
  const { hostname, port } = new URL(serverUrl);
  const reader: ChunkReader = { frames: [], chunks: 0 };
  let pending = Buffer.alloc(0);
  const take = (chunk: Buffer) => {
    const index = reader.chunks++;
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      if (pending.length < 2) return;
      let length = (pending[1] as number) & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (pending.length < 4) return;
        length = pending.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (pending.length < 10) return;
        length = Number(pending.readBigUInt64BE(2));
        offset = 10;
      }
      if (pending.length < offset + length) return;
      reader.frames.push({ payload: new Uint8Array(pending.subarray(offset, offset + length)), chunk: index });
      pending = pending.subarray(offset + length);
    }
  };
  const socket = await new Promise<Duplex>((resolve, reject) => {
    const req = http.request({
      host: hostname,
      port,
      path: `/sync/${room}`,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': crypto.randomBytes(16).toString('base64') },
    });
    req.on('upgrade', (_res, upgraded: Duplex, head: Buffer) => {
      if (head.length > 0) take(head);
      resolve(upgraded);
    });
    req.on('error', reject);
    req.end();
  });
  socket.on('data', take);
  socket.on('error', () => undefined);
  cleanups.push(() => void socket.destroy());
  return reader;
}

/** The Yjs updates among a reader's frames, with the chunk each arrived in. */
function updatesOf(reader: ChunkReader): Array<{ update: Uint8Array; chunk: number }> {
  return reader.frames.flatMap(({ payload, chunk }) => {
    const decoder = decoding.createDecoder(payload);
    if (decoding.readVarUint(decoder) !== MESSAGE.sync || decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate) return [];
    return [{ update: decoding.readVarUint8Array(decoder), chunk }];
  });
}

/** `count` one-key updates, each sent as a frame of its own. */
function burst(writer: RawPeer, from: number, count: number): void {
  for (let k = from; k < from + count; k++) writer.write((doc) => doc.getMap('m').set(`k${k}`, k));
}

/** A server started with `env`, a raw writer and a chunk reader in one room. */
async function serverWithReader(env: Record<string, string>) {
  const server = await startTestServer({ STORAGE: 'file', DATA_DIR: await tempDir(), ...env });
  cleanups.push(() => server.close());
  const room = 'user/default/workflow/group-commit';
  const opened = await openPeer(server.url, room);
  if (!opened.ok) throw new Error(`the writer was refused with ${opened.code}`);
  cleanups.push(() => opened.peer.close());
  const reader = await chunkReader(server.url, room);
  // The server greets the reader with its sync step 1; the broadcasts come after.
  await waitFor(() => reader.frames.length > 0, 'the greeting of the reader');
  return { writer: opened.peer, reader };
}

describe('group commit', () => {
  it('DUR-3: updates that come within GROUP_COMMIT_MS of a batch join it, and its broadcasts reach a reader in one write', async () => {
    // GROUP_COMMIT_MS' maximum, so a slow machine's timers stay well inside the window.
    const { writer, reader } = await serverWithReader({ GROUP_COMMIT_MS: '100' });
    burst(writer, 0, 40);
    // Well inside the window the first update opened: these join the same append.
    await new Promise((r) => setTimeout(r, 10));
    burst(writer, 40, 40);
    await waitFor(() => updatesOf(reader).length >= 80, 'the 80 updates to reach the reader');

    const received = updatesOf(reader);
    const doc = new Y.Doc();
    for (const { update } of received) Y.applyUpdate(doc, update);
    expect(doc.getMap('m').size).toBe(80);
    expect(new Set(received.map((u) => u.chunk)), 'socket writes the 80 broadcasts arrived in').toEqual(new Set([received[0]!.chunk]));
  });

  it('DUR-3: updates that come while a write is in flight join the next one, and reach a reader in one write', async () => {
    const redis = await startRedis();
    cleanups.push(() => redis.destroy());
    // No commit window (the default): only the write in flight gathers the later updates.
    const { writer, reader } = await serverWithReader({ REDIS_URL: redis.url });
    // Redis holds every write for 400 ms: the first update's append stays in flight that long.
    const admin = new Redis(redis.url);
    cleanups.push(() => admin.disconnect());
    await admin.call('CLIENT', 'PAUSE', '400', 'WRITE');
    burst(writer, 0, 1);
    // Ten more, each in a turn of its own, while the first one's append is held.
    for (let k = 1; k <= 10; k++) {
      await new Promise((r) => setTimeout(r, 15));
      burst(writer, k, 1);
    }
    await waitFor(() => updatesOf(reader).length >= 11, 'the 11 updates to reach the reader');

    const [first, ...rest] = updatesOf(reader);
    expect(new Set(rest.map((u) => u.chunk)), 'socket writes the ten later broadcasts arrived in').toEqual(new Set([rest[0]!.chunk]));
    // The first update's own write comes one Redis round trip before the batch's; a reader slowed
    // by a busy machine may take both from its socket at once, so only their order is certain.
    expect(first!.chunk, 'the first update no later than the batch').toBeLessThanOrEqual(rest[0]!.chunk);
    const firstDoc = new Y.Doc();
    Y.applyUpdate(firstDoc, first!.update);
    expect([...firstDoc.getMap('m').keys()], 'the update sent first arrives first, alone').toEqual(['k0']);
  });
});
