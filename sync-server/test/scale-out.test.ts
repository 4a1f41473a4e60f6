// SCALE-1: several server instances on one Redis serve one room together: clients connected
// to different instances converge on random concurrent edits, and awareness crosses instances
// (SYNC-6: a client's awareness id belongs to its own instance's connection).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeAwarenessEntries } from '../src/sync/awareness-update';
import { MESSAGE } from '../src/sync/protocol';
import { connectClient, connectSynced, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { contentOf, randomEdit, testSeed } from './harness/random-edits';
import { startRedis, type RedisServer } from './harness/redis-server';
import { waitFor } from './harness/wait';

let redis: RedisServer;
let dataDir: string;
let a: Awaited<ReturnType<typeof startTestServer>>;
let b: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  redis = await startRedis();
  // Snapshots in one shared place (S3 in production): every instance loads what any compacted.
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-scale-'));
  const env = { REDIS_URL: redis.url, DATA_DIR: dataDir, STORAGE: 'file', COMPACT_AFTER_UPDATES: '50' };
  a = await startTestServer(env);
  b = await startTestServer(env);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await redis?.destroy();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function converge(seed: number): Promise<void> {
  const gen = prng.create(seed);
  const room = `user/default/workflow/scale-${seed}`;
  const clients: TestClient[] = [await connectSynced(a.url, room), await connectSynced(b.url, room), await connectSynced(a.url, room), await connectSynced(b.url, room)];
  try {
    for (let round = 0; round < 60; round++) {
      for (const c of clients) for (let e = prng.int32(gen, 0, 4); e > 0; e--) randomEdit(gen, c.doc);
      await new Promise((r) => setTimeout(r, prng.int32(gen, 0, 4)));
    }
    const expected = () => JSON.stringify(contentOf(clients[0]!.doc));
    await waitFor(() => clients.every((c) => JSON.stringify(contentOf(c.doc)) === expected()), `clients on two instances to converge (seed ${seed}; rerun with SEED=${seed})`, 20_000);
    // A fresh client on either instance gets the same document.
    for (const server of [a, b]) {
      const fresh = connectClient(server.url, room);
      await synced(fresh);
      await waitFor(() => JSON.stringify(contentOf(fresh.doc)) === expected(), `a fresh client on ${server.url} (seed ${seed})`);
      fresh.destroy();
    }
  } finally {
    for (const c of clients) c.destroy();
  }
}

describe('two instances on one Redis', () => {
  for (const seed of [11, 12]) it(`converge with pinned seed ${seed}`, () => converge(seed));
  it('converge with a fresh seed (printed on failure)', () => converge(testSeed()));

  it('awareness crosses instances', async () => {
    const room = 'user/default/workflow/scale-presence';
    const alice = await connectSynced(a.url, room);
    const bob = await connectSynced(b.url, room);
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => (bob.provider.awareness.getStates().get(alice.doc.clientID) as { user?: { name?: string } } | undefined)?.user?.name === 'Alice', 'Bob on instance B to see Alice on A');
    // Alice leaves: her state disappears from Bob's view on the other instance too.
    alice.destroy();
    await waitFor(() => !bob.provider.awareness.getStates().has(alice.doc.clientID), 'Alice to leave Bob’s view');
    expect(bob.provider.awareness.getStates().size).toBe(1);
    bob.destroy();
  });

  it('a connection on one instance cannot take over the awareness id of a client on another', async () => {
    const room = 'user/default/workflow/scale-presence-owner';
    const alice = await connectSynced(a.url, room);
    const bob = await connectSynced(b.url, room);
    const id = alice.doc.clientID;
    const nameOnB = () => (bob.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await waitFor(() => nameOnB() === 'Alice', 'Bob on B to see Alice on A');
    // On B, claim Alice's id with a clock far ahead: were it taken, her own updates would never count again.
    const ws = new WebSocket(`${b.url.replace('http', 'ws')}/sync/${room}`);
    await new Promise((resolve) => ws.once('open', resolve));
    const answered = new Promise((resolve) => ws.on('message', (data: Buffer) => data[0] === MESSAGE.awareness && resolve(undefined)));
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE.awareness);
    encoding.writeVarUint8Array(e, encodeAwarenessEntries([{ clientId: id, clock: 2 ** 40, state: JSON.stringify({ user: { name: 'Mallory' } }) }]));
    ws.send(encoding.toUint8Array(e));
    ws.send(new Uint8Array([MESSAGE.queryAwareness]));
    await answered;
    alice.provider.awareness.setLocalStateField('user', { name: 'Alice again' });
    await waitFor(() => nameOnB() === 'Alice again', 'Alice’s own update to reach B');
    ws.close();
    alice.destroy();
    bob.destroy();
  });
});
