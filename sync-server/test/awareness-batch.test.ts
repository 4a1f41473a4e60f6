// SYNC-7: awareness changes go out in batches. Stock clients echo every awareness change they
// hear, and the per-connection rate limit counts the echoes; without batches one connection
// changing its cursor as fast as its own limit allows would get everyone else slowed down.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeAwarenessEntries } from '../src/sync/awareness-update';
import { MESSAGE } from '../src/sync/protocol';
import { connectClient, synced } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const ROOM = 'user/default/workflow/busy-cursor';
const RATE = 100;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer({ MAX_MESSAGES_PER_SECOND: String(RATE) });
});
afterAll(async () => {
  await server.close();
});

it('cursors changing as fast as their connections may send do not get the others closed for echoing them', async () => {
  const watchers = [0, 1, 2].map(() => connectClient(server.url, ROOM));
  await Promise.all(watchers.map((w) => synced(w)));
  const heard = watchers.map(() => 0);
  watchers.forEach((w, i) => w.provider.awareness.on('update', (_: unknown, origin: unknown) => origin !== 'local' && heard[i]!++));

  // Three connections, each within its own burst (twice the rate), so none is closed itself; but
  // echoing every one of their frames would be more than a watcher's own burst allows.
  const frames = RATE * 2 - 10;
  const ids = [424242, 424243, 424244];
  const sockets = await Promise.all(
    ids.map(async (clientId) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${ROOM}`);
      await new Promise((resolve) => ws.once('open', resolve));
      return { ws, clientId };
    }),
  );
  for (let clock = 1; clock <= frames; clock++) {
    for (const { ws, clientId } of sockets) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MESSAGE.awareness);
      encoding.writeVarUint8Array(e, encodeAwarenessEntries([{ clientId, clock, state: JSON.stringify({ cursor: { x: clock } }) }]));
      ws.send(encoding.toUint8Array(e));
    }
  }
  const cursorOf = (i: number, id: number) => (watchers[i]!.provider.awareness.getStates().get(id) as { cursor?: { x: number } } | undefined)?.cursor?.x;
  await waitFor(() => watchers.every((_, i) => ids.every((id) => cursorOf(i, id) === frames)), 'every watcher to hold the last cursors');
  for (const { ws } of sockets) ws.close();
  await waitFor(() => watchers.every((w) => ids.every((id) => !w.provider.awareness.getStates().has(id))), 'the cursors to go');

  for (const [i, w] of watchers.entries()) {
    expect(w.closeCodes, `watcher ${i}`).toEqual([]);
    // A handful of batches, not one message per change.
    expect(heard[i]).toBeLessThan(frames);
  }
  for (const w of watchers) w.destroy();
});
