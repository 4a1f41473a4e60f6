// SCALE-1: several server instances on one Redis serve one room together: clients connected
// to different instances converge on random concurrent edits, and awareness crosses instances.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
