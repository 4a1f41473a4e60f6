// SYNC-5 and SYNC-8 with stock y-websocket providers. A provider that makes a few thousand small
// transactions at once (a script, a large paste applied edit by edit) is slowed, not closed:
// y-websocket never reconnects after a close code of 4400-4499, so a close would leave its
// later edits on its own machine. And every change comes back to its sender once it is stored,
// which is how newer clients (syncStatus) learn that the server has it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { mintUserToken } from '../src/access/tokens';
import { connectClient, connectSynced, synced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { waitFor } from './harness/wait';
import { observedWebSocket, ownChangesReturned } from './harness/wire';

const BURST = 6000;
const clients: TestClient[] = [];
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-stock-'));
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});
afterAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
});

interface ObservedClient {
  client: TestClient;
  /** How many of its own changes, in order, the server has sent back. */
  sentBack: () => number;
  /** Permission-denied messages received. */
  denials: () => number;
  /** Closes of its socket, the provider's own (a null event) included. */
  closes: () => number;
}

/** A stock provider whose own changes and refusals are counted as they come back over the wire. */
function observedClient(url: string, room: string, params: Record<string, string> = {}): ObservedClient {
  const doc = new Y.Doc();
  const returned = ownChangesReturned(doc.clientID);
  let denials = 0;
  const onFrame = (frame: Uint8Array) => {
    returned.onFrame(frame);
    if (frame[0] === 2) denials++;
  };
  const client = connectClient(url, room, { doc, params, WebSocketPolyfill: observedWebSocket(onFrame) });
  clients.push(client);
  let closes = 0;
  client.provider.on('connection-close', () => closes++);
  return { client, sentBack: returned.sentBack, denials: () => denials, closes: () => closes };
}

/**
 * Sends a sync step 1 on the client's socket and waits for the answer. The server answers it once
 * everything applied before it is stored, so an echo of anything it applied earlier comes first.
 */
async function roundTrip(client: TestClient): Promise<void> {
  const ws = client.provider.ws as unknown as WebSocket;
  const answered = new Promise<void>((resolve) => {
    // The provider reads frames as ArrayBuffers.
    const onMessage = (data: ArrayBuffer) => {
      const frame = new Uint8Array(data);
      if (frame[0] !== 0 || frame[1] !== 1) return;
      ws.off('message', onMessage);
      resolve();
    };
    ws.on('message', onMessage);
  });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeSyncStep1(e, client.doc);
  ws.send(encoding.toUint8Array(e));
  await answered;
}

describe('the default configuration (file storage, MAX_MESSAGES_PER_SECOND 2000)', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ STORAGE: 'file', DATA_DIR: path.join(dataDir, 'default') });
  });
  afterAll(async () => {
    await server.close();
  });

  it(`SYNC-5, SYNC-8: a burst of ${BURST} one-edit transactions reaches a second client whole, nobody reconnects, and every edit comes back to its sender`, async () => {
    expect(server.config.maxMessagesPerSecond).toBe(2000);
    const room = 'user/default/workflow/burst';
    const writer = observedClient(server.url, room);
    const reader = connectClient(server.url, room);
    clients.push(reader);
    let readerCloses = 0;
    reader.provider.on('connection-close', () => readerCloses++);
    await Promise.all([synced(writer.client), synced(reader)]);

    const items = writer.client.doc.getArray<number>('items');
    for (let i = 0; i < BURST; i++) items.push([i]);
    // Twice the burst the budget allows at once: past it, the writer waits, it is not closed.
    expect(BURST).toBeGreaterThan(2 * server.config.maxMessagesPerSecond);

    const received = reader.doc.getArray<number>('items');
    await waitFor(() => received.length === BURST, `the reader to hold all ${BURST} edits`, 60_000);
    expect(received.toArray()).toEqual(Array.from({ length: BURST }, (_, i) => i));
    await waitFor(() => writer.sentBack() === BURST, `all ${BURST} edits to come back to the writer`, 60_000);
    expect(writer.closes()).toBe(0);
    expect(readerCloses).toBe(0);
    expect(writer.client.provider.wsconnected && reader.provider.wsconnected).toBe(true);
  }, 90_000);

  it('SYNC-8: a change refused by the write policy is answered with permission denied and never comes back', async () => {
    // The system volume is read-only over the network for everyone.
    const reader = observedClient(server.url, 'system/system');
    await synced(reader.client);
    reader.client.doc.getMap('skills').set('mine', 'not allowed');
    await waitFor(() => reader.denials() === 1, 'the permission-denied answer');
    await roundTrip(reader.client);
    expect(reader.sentBack()).toBe(0);
  });
});

describe('echoes and the per-part write policy', () => {
  const SECRET = 'stock-client-secret-0123456789-abcdef';
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    server = await startTestServer({ AUTH_SECRET: SECRET });
  });
  afterAll(async () => {
    await server.close();
  });

  it("SYNC-8: a team member's change to the listings comes back; one to the skills is refused and does not", async () => {
    const token = await mintUserToken(SECRET, { sub: 'bob', teams: ['lab'] });
    const member = observedClient(server.url, 'team/lab', { token });
    await synced(member.client);
    const doc = member.client.doc;
    doc.getMap('sessions').set('s1', 'listed');
    const listed = Y.getState(doc.store, doc.clientID);
    await waitFor(() => member.sentBack() === listed, 'the listing change to come back');

    doc.getMap('skills').set('k1', 'not for members');
    await waitFor(() => member.denials() === 1, 'the permission-denied answer');
    await roundTrip(member.client);
    expect(member.sentBack()).toBe(listed);
    expect(Y.getState(doc.store, doc.clientID)).toBeGreaterThan(listed);
  });
});

describe('with the server killed', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.stop('SIGKILL');
  });

  it('SYNC-8: an edit comes back only once it is stored: kill -9 the instant the 100th returns loses none that returned', async () => {
    const room = 'user/default/workflow/echo-kill9';
    const dir = path.join(dataDir, 'kill9');
    server = await startServerProcess({ DATA_DIR: dir, ROOM_IDLE_MS: '60000' });
    const doc = new Y.Doc();
    const returned = ownChangesReturned(doc.clientID);
    let returnedAtKill = -1;
    const running = server;
    const writer = connectClient(running.url, room, {
      doc,
      WebSocketPolyfill: observedWebSocket((frame) => {
        returned.onFrame(frame);
        if (returnedAtKill < 0 && returned.sentBack() >= 100) {
          returnedAtKill = returned.sentBack();
          running.child.kill('SIGKILL');
        }
      }),
    });
    clients.push(writer);
    await synced(writer);
    const items = doc.getArray<number>('items');
    for (let i = 0; i < 500; i++) items.push([i]);
    await waitFor(() => returnedAtKill > 0, 'the 100th edit to come back');
    writer.destroy();
    await running.stop('SIGKILL');

    server = await startServerProcess({ DATA_DIR: dir, ROOM_IDLE_MS: '60000' });
    const fresh = await connectSynced(server.url, room);
    clients.push(fresh);
    const stored = fresh.doc.getArray<number>('items').toArray();
    expect(stored.length).toBeGreaterThanOrEqual(returnedAtKill);
    expect(stored.slice(0, returnedAtKill)).toEqual(Array.from({ length: returnedAtKill }, (_, i) => i));
  }, 60_000);
});
