// SYNC-1 (awareness): presence set by one stock client reaches the others, late joiners get the
// current states at once, and a client's state disappears when its connection closes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { connectSynced } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

it('awareness reaches others, late joiners, and is cleared when a connection drops', async () => {
  const room = 'user/default/workflow/presence';
  const alice = await connectSynced(server.url, room);
  const bob = await connectSynced(server.url, room);
  alice.provider.awareness.setLocalStateField('user', { name: 'Alice', color: '#f00' });
  const aliceId = alice.doc.clientID;
  await waitFor(() => bob.provider.awareness.getStates().get(aliceId)?.user?.name === 'Alice', 'Bob to see Alice');

  const late = await connectSynced(server.url, room);
  await waitFor(() => late.provider.awareness.getStates().get(aliceId)?.user?.name === 'Alice', 'a late joiner to see Alice');

  // Vanish without the goodbye a client sends on a clean disconnect: the server must clear it.
  alice.provider.shouldConnect = false;
  (alice.provider.ws as unknown as WebSocket).terminate();
  await waitFor(() => !bob.provider.awareness.getStates().has(aliceId), 'Alice to leave Bob’s view');
  expect(late.provider.awareness.getStates().has(aliceId)).toBe(false);
  for (const c of [alice, bob, late]) c.destroy();
});
