// SYNC-6: a connection speaks only for its own awareness ids. Another identity's entries for an
// id someone else holds are dropped (no wiping or freezing other people's cursors, a read-only
// link included); the same person reconnecting takes their id over; and one connection cannot
// fill a room with ids. Echoes of others' states, which stock clients send, claim nothing.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { mintShareToken, mintUserToken } from '../src/access/tokens';
import { encodeAwarenessEntries, type AwarenessEntry } from '../src/sync/awareness-update';
import { MESSAGE } from '../src/sync/protocol';
import { connectClient, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const SECRET = 'awareness-owners-secret-0123456789-abcdef';
const ROOM = 'user/alice/workflow/presence';
let server: Awaited<ReturnType<typeof startTestServer>>;
let alice: string;
let reader: string;

beforeAll(async () => {
  server = await startTestServer({ AUTH_SECRET: SECRET });
  alice = await mintUserToken(SECRET, { sub: 'alice' });
  reader = await mintShareToken(SECRET, ROOM, 'read');
});
afterAll(async () => {
  await server.close();
});

/**
 * A raw connection that sends awareness entries as they are given, then a query to flush them
 * through; resolves once they were handled, with a function that closes the connection.
 */
async function sendAwareness(token: string, entries: AwarenessEntry[]): Promise<() => void> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${ROOM}?token=${token}`);
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE.awareness);
  encoding.writeVarUint8Array(e, encodeAwarenessEntries(entries));
  ws.send(encoding.toUint8Array(e));
  // The server handles a connection's frames in order: once a query is answered, the update was handled.
  const answered = new Promise((resolve) => ws.on('message', (data: Buffer) => data[0] === MESSAGE.awareness && resolve(undefined)));
  ws.send(new Uint8Array([MESSAGE.queryAwareness]));
  await answered;
  return () => ws.close();
}

const nameOf = (watcher: TestClient, id: number) => (watcher.provider.awareness.getStates().get(id) as { user?: { name?: string } } | undefined)?.user?.name;
const roomAwareness = async () => (await server.rooms.use(ROOM, (room) => room.awareness));

it('another identity cannot change, freeze or remove someone’s awareness state', async () => {
  const owner = connectClient(server.url, ROOM, { params: { token: alice } });
  const watcher = connectClient(server.url, ROOM, { params: { token: alice } });
  await Promise.all([synced(owner), synced(watcher)]);
  owner.provider.awareness.setLocalStateField('user', { name: 'Alice' });
  const id = owner.doc.clientID;
  await waitFor(() => nameOf(watcher, id) === 'Alice', 'the watcher to see Alice');

  (await sendAwareness(reader, [{ clientId: id, clock: 2 ** 40, state: JSON.stringify({ user: { name: 'Mallory' } }) }]))();
  (await sendAwareness(reader, [{ clientId: id, clock: 2 ** 41, state: 'null' }]))();
  // Alice goes on updating her state (her clock is small): it must still be taken.
  owner.provider.awareness.setLocalStateField('user', { name: 'Alice again' });
  await waitFor(() => nameOf(watcher, id) === 'Alice again', 'Alice’s own update to arrive');
  expect((await roomAwareness()).getStates().get(id)).toEqual({ user: { name: 'Alice again' } });
  owner.destroy();
  watcher.destroy();
});

it('the same person reconnecting takes over their id while the old connection lingers', async () => {
  const old = connectClient(server.url, ROOM, { params: { token: alice } });
  const watcher = connectClient(server.url, ROOM, { params: { token: alice } });
  await Promise.all([synced(old), synced(watcher)]);
  old.provider.awareness.setLocalStateField('user', { name: 'Alice on the old socket' });
  const id = old.doc.clientID;
  await waitFor(() => nameOf(watcher, id) === 'Alice on the old socket', 'the first state');
  const clock = (await roomAwareness()).meta.get(id)?.clock ?? 0;
  const close = await sendAwareness(alice, [{ clientId: id, clock: clock + 1, state: JSON.stringify({ user: { name: 'Alice, reconnected' } }) }]);
  await waitFor(() => nameOf(watcher, id) === 'Alice, reconnected', 'the reconnected state');
  close();
  old.destroy();
  watcher.destroy();
});

it('one connection speaks for a handful of ids at most, and they go when it leaves', async () => {
  const watcher = connectClient(server.url, ROOM, { params: { token: alice } });
  await synced(watcher);
  const isFlood = (id: number) => id >= 1_000_000 && id < 1_000_500;
  const flooded = () => [...watcher.provider.awareness.getStates().keys()].filter(isFlood).length;
  let most = 0;
  watcher.provider.awareness.on('change', () => (most = Math.max(most, flooded())));
  const flood = Array.from({ length: 500 }, (_, i) => ({ clientId: 1_000_000 + i, clock: 1, state: JSON.stringify({ n: i }) }));
  const close = await sendAwareness(reader, flood);
  await waitFor(() => flooded() > 0, 'the flood to arrive');
  close();
  await waitFor(() => flooded() === 0, 'the flood to go with its connection');
  expect(most).toBe(4);
  // The room keeps the clocks of the four it took (so late echoes cannot revive them), of no other.
  expect([...(await roomAwareness()).meta.keys()].filter(isFlood)).toHaveLength(4);
  watcher.destroy();
});

it('a second tab of the same person echoing the first tab’s state does not take it: closing it leaves the first tab shown', async () => {
  const tab1 = connectClient(server.url, ROOM, { params: { token: alice } });
  const tab2 = connectClient(server.url, ROOM, { params: { token: alice } });
  const watcher = connectClient(server.url, ROOM, { params: { token: reader } });
  await Promise.all([synced(tab1), synced(tab2), synced(watcher)]);
  tab1.provider.awareness.setLocalStateField('user', { name: 'Alice, tab 1' });
  const id = tab1.doc.clientID;
  // tab2 hears it and (as stock clients do) sends it back to the server.
  await waitFor(() => nameOf(tab2, id) === 'Alice, tab 1' && nameOf(watcher, id) === 'Alice, tab 1', 'both to see tab 1');
  await new Promise((r) => setTimeout(r, 100));
  // (A stock client puts its own state back when told it was removed, so watch for the removal itself.)
  const removed: number[] = [];
  watcher.provider.awareness.on('change', (changes: { removed: number[] }) => removed.push(...changes.removed));
  tab2.destroy();
  await waitFor(() => !watcher.provider.awareness.getStates().has(tab2.doc.clientID), 'tab 2 to leave');
  await new Promise((r) => setTimeout(r, 100));
  expect(removed).not.toContain(id);
  expect(nameOf(watcher, id)).toBe('Alice, tab 1');
  tab1.destroy();
  watcher.destroy();
});
