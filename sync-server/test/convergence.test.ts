// SYNC-1: clients editing one room concurrently, with disconnects, converge to the same document,
// and the server's copy (seen by a fresh client) equals theirs.
import * as prng from 'lib0/prng';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, connectSynced, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { contentOf, randomEdit, testSeed } from './harness/random-edits';
import { waitFor } from './harness/wait';

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function runRandomSession(seed: number, clientCount: number, rounds: number): Promise<void> {
  const gen = prng.create(seed);
  const room = `user/default/workflow/conv-${seed}`;
  const clients: TestClient[] = [];
  for (let i = 0; i < clientCount; i++) clients.push(await connectSynced(server.url, room));
  try {
    for (let round = 0; round < rounds; round++) {
      for (const client of clients) {
        const edits = prng.int32(gen, 0, 5);
        for (let e = 0; e < edits; e++) randomEdit(gen, client.doc);
        // Now and then a client drops offline and keeps editing, then comes back.
        if (prng.int32(gen, 0, 9) === 0) {
          if (client.provider.shouldConnect) client.provider.disconnect();
          else client.provider.connect();
        }
      }
      await new Promise((r) => setTimeout(r, prng.int32(gen, 0, 3)));
    }
    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();
    const expected = () => JSON.stringify(contentOf(clients[0]!.doc));
    await waitFor(
      () => clients.every((c) => c.provider.synced && JSON.stringify(contentOf(c.doc)) === expected()),
      `clients to converge (seed ${seed}; rerun with SEED=${seed})`,
      20_000,
    );
    const fresh = connectClient(server.url, room);
    await synced(fresh);
    expect(contentOf(fresh.doc), `server copy differs (seed ${seed})`).toEqual(contentOf(clients[0]!.doc));
    fresh.destroy();
  } finally {
    for (const c of clients) c.destroy();
  }
}

describe('concurrent random edits', () => {
  // Pinned seeds keep any seed that once failed as a regression test; the random one explores.
  for (const seed of [1, 2, 3]) {
    it(`converge with pinned seed ${seed}`, () => runRandomSession(seed, 2, 60));
  }
  it('converge with a fresh seed (printed on failure)', async () => {
    const seed = testSeed();
    await runRandomSession(seed, 3, 80);
  });
});
