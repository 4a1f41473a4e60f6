// SYNC-3: a malformed frame or an oversized message closes only that connection, with its
// catalogued code; other clients keep syncing and nothing stored changes.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { CLOSE } from '../../shared/src/codes';
import { connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { waitFor } from './harness/wait';

const MAX = 64 * 1024;
const ROOM = 'user/default/workflow/bad-input';
let server: Awaited<ReturnType<typeof startTestServer>>;
let a: TestClient;
let b: TestClient;

beforeAll(async () => {
  server = await startTestServer({ MAX_MESSAGE_BYTES: String(MAX), MAX_MESSAGES_PER_SECOND: '100' });
  a = await connectSynced(server.url, ROOM);
  b = await connectSynced(server.url, ROOM);
  a.doc.getMap('m').set('before', 1);
  await waitFor(() => b.doc.getMap('m').get('before') === 1, 'the first edit to sync');
});
afterAll(async () => {
  a.destroy();
  b.destroy();
  await server.close();
});

/** Opens a raw socket to a room, sends one frame once the server has greeted it, and returns the close code. */
function sendRaw(frame: Uint8Array | string, room = ROOM): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${room}`);
    let sent = false;
    ws.on('message', () => {
      if (sent) return;
      sent = true;
      ws.send(frame);
    });
    ws.on('close', (code) => resolve(code));
    // An upgrade the server refused outright (not a /sync/ path) reports its HTTP status.
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => undefined);
    setTimeout(() => reject(new Error('socket was not closed')), 5000);
  });
}

async function storedBytes(): Promise<string> {
  const stored = await server.storage.load(ROOM);
  return JSON.stringify([stored.snapshot ? [...stored.snapshot] : null, stored.updates.map((u) => [...u])]);
}

const malformed: Array<[string, Uint8Array | string]> = [
  ['a bad varint', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
  ['a truncated frame', new Uint8Array([0, 2, 50, 1, 2])],
  ['an unknown message type', new Uint8Array([7, 1, 2])],
  ['an unknown sync message type', new Uint8Array([0, 9, 0])],
  ['a huge claimed length', new Uint8Array([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1])],
  ['a corrupt update', new Uint8Array([0, 2, 6, 5, 1, 2, 3, 4, 5])],
  ['trailing bytes', new Uint8Array([0, 2, 2, 0, 0, 99])],
  ['a corrupt awareness update', new Uint8Array([1, 4, 1, 5, 1, 0x7b])],
  ['an empty frame', new Uint8Array([])],
  ['a text frame', 'hello'],
];

describe('hostile frames', () => {
  for (const [what, frame] of malformed) {
    it(`${what} closes that connection with ${CLOSE.malformedMessage.code}, storage untouched`, async () => {
      const before = await storedBytes();
      expect(await sendRaw(frame)).toBe(CLOSE.malformedMessage.code);
      expect(await storedBytes()).toBe(before);
    });
  }

  it(`an oversized message closes that connection with ${CLOSE.messageTooBig.code}`, async () => {
    const before = await storedBytes();
    const big = new Uint8Array(MAX + 1024);
    big[0] = 0;
    expect(await sendRaw(big)).toBe(CLOSE.messageTooBig.code);
    expect(await storedBytes()).toBe(before);
  });

  it(`SYNC-2: a bad room name is refused with ${CLOSE.invalidRoom.code}, a path out of /sync/ at the upgrade`, async () => {
    for (const room of ['user', 'user/a/b', 'user/%2e%2e', 'user/a%2Fb', 'system/other', 'nope/x', 'user/a/session/x.y', 'user/a/session/%ZZ']) {
      expect(await sendRaw(new Uint8Array([3]), room), room).toBe(CLOSE.invalidRoom.code);
    }
    // A name that climbs out of /sync/ is no room at all: the upgrade itself is refused.
    expect(await sendRaw(new Uint8Array([3]), '../../etc/passwd')).toBe(404);
  });

  it('SYNC-5: a flood of messages is slowed down, not closed: every frame is answered, no faster than the rate', async () => {
    const before = await storedBytes();
    // Sync step 1 frames, each answered by one sync step 2: 100 more than the burst of 200.
    const frames = 300;
    const started = Date.now();
    const outcome = await new Promise<{ answers: number; elapsedMs: number; closedWith?: number }>((resolve) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${ROOM}`);
      let answers = 0;
      ws.on('open', () => {
        for (let i = 0; i < frames; i++) ws.send(new Uint8Array([0, 0, 1, 0]));
      });
      ws.on('message', (data: Buffer) => {
        if (data[0] !== 0 || data[1] !== 1 || ++answers < frames) return;
        resolve({ answers, elapsedMs: Date.now() - started });
        ws.close(CLOSE.normal.code);
      });
      ws.on('close', (code) => resolve({ answers, elapsedMs: Date.now() - started, closedWith: code }));
      ws.on('error', () => undefined);
    });
    expect(outcome.closedWith).toBeUndefined();
    expect(outcome.answers).toBe(frames);
    // The budget allows 200 at once and 100 a second after that, counted from when the server
    // accepted the socket: the last 100 cannot have been answered sooner than a second later.
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(1000);
    expect(await storedBytes()).toBe(before);
  });

  it('other clients keep syncing afterwards', async () => {
    a.doc.getMap('m').set('after', 2);
    b.doc.getMap('m').set('fromB', 3);
    await waitFor(() => b.doc.getMap('m').get('after') === 2 && a.doc.getMap('m').get('fromB') === 3, 'edits after the attacks');
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    expect(a.closeCodes).toEqual([]);
  });
});

/** An awareness frame holding `entries` of (client id, clock, JSON text). */
function awarenessFrame(entries: Array<[number, number, string]>): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const [client, clock, json] of entries) {
    encoding.writeVarUint(update, client);
    encoding.writeVarUint(update, clock);
    encoding.writeVarString(update, json);
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update));
  return encoding.toUint8Array(frame);
}

/** Runs `fn`, failing if it leaves an uncaught exception or unhandled rejection behind (either would stop a server process). */
async function withoutCrashes(fn: () => Promise<void>): Promise<void> {
  const crashes: unknown[] = [];
  const record = (e: unknown) => crashes.push(e);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  try {
    await fn();
    // Let anything thrown in a later tick surface while we still listen.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    process.off('uncaughtException', record);
    process.off('unhandledRejection', record);
  }
  expect(crashes.map(String)).toEqual([]);
}

// Found by the protocol fuzz test (fuzz.test.ts).
describe('hostile input found by fuzzing', () => {
  it('an oversized frame on a socket being refused does not crash the server', async () => {
    await withoutCrashes(async () => {
      const code = await new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/nope/x`);
        // Sent at once, so it arrives while the server is closing the socket for its room name.
        ws.on('open', () => ws.send(new Uint8Array(MAX + 1024)));
        ws.on('close', (c) => resolve(c));
        ws.on('error', () => undefined);
      });
      expect([CLOSE.invalidRoom.code, CLOSE.messageTooBig.code]).toContain(code);
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it(`an awareness state nested thousands of levels deep closes that connection with ${CLOSE.malformedMessage.code}; newcomers still join`, async () => {
    await withoutCrashes(async () => {
      // Under the id of a client the server already knows, so closing the sender would not remove it.
      a.provider.awareness.setLocalStateField('user', { name: 'a' });
      await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'a', 'b to see a’s awareness');
      const deep = '['.repeat(30_000) + ']'.repeat(30_000);
      expect(await sendRaw(awarenessFrame([[a.doc.clientID, 1_000_000, deep]]))).toBe(CLOSE.malformedMessage.code);
      const newcomer = await connectSynced(server.url, ROOM);
      expect(newcomer.provider.awareness.getStates().get(a.doc.clientID)).toEqual(a.provider.awareness.getLocalState());
      newcomer.destroy();
    });
  });

  it('an awareness update with one bad entry applies none of them', async () => {
    const frame = awarenessFrame([
      [777, 1, '{"name":"ghost"}'],
      [778, 1, '{bogus'],
    ]);
    expect(await sendRaw(frame)).toBe(CLOSE.malformedMessage.code);
    const newcomer = await connectSynced(server.url, ROOM);
    expect(newcomer.provider.awareness.getStates().has(777)).toBe(false);
    newcomer.destroy();
  });
});
