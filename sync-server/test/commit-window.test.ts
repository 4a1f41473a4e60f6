// DUR-3's adaptive commit window at the room, on the real file log: with no GROUP_COMMIT_MS (the
// default) an idle room writes a lone update at once, with no timer; what arrives while a write
// is in flight joins the next write, whose broadcasts leave together (corked); and every
// broadcast still finds its update in the log file when it leaves (DUR-1).
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { loadConfig } from '../src/config';
import { Room, type RoomPeer } from '../src/rooms/room';
import { ROOMS_FOLDER } from '../src/storage/file-migration';
import { decodeRecords } from '../src/storage/log-record';
import { roomFile } from '../src/storage/room-files';
import { FileStorage } from '../src/storage/file';
import { decodeClientMessage } from '../src/sync/client-message';
import { encodeUpdate } from '../src/sync/protocol';
import { teardownEachTest } from './harness/teardown';

const { cleanups, tempDir } = teardownEachTest('llmunix-commit-window-');
const log = pino({ level: 'silent' });
const ROOM = 'user/default/workflow/commit-window';

afterEach(() => {
  // A window still open on the stopped clock would hold the room's unload (the teardown) forever.
  if (vi.isFakeTimers()) vi.runOnlyPendingTimers();
  vi.useRealTimers();
});

/** Taken before any test fakes the timers: a bound on waits that must not hang when they fail. */
const realSetTimeout = globalThis.setTimeout;

/** Resolves when the room is durable; rejects after `ms` of real time (a write that waited on a stopped clock). */
function durableWithin(room: Room, ms: number): Promise<void> {
  return Promise.race([
    room.durable(),
    new Promise<never>((_, reject) => realSetTimeout(() => reject(new Error(`not written within ${ms} ms of real time: the write waited on a timer`)), ms)),
  ]);
}

/** A room on a fresh file backend, and the path of its log file. */
async function fileRoom(groupCommitMs: number): Promise<{ room: Room; logFile: string }> {
  const dataDir = await tempDir();
  const storage = await FileStorage.open(dataDir);
  const room = await Room.load(ROOM, storage, { compactAfter: 1000, groupCommitMs, onFailure: () => undefined }, log);
  cleanups.push(async () => {
    await room.unload();
    await storage.close();
  });
  return { room, logFile: roomFile(path.join(dataDir, ROOMS_FOLDER), ROOM, 'log') };
}

/** The map keys each update in the log file sets, in log order. */
function keysInLog(logFile: string): string[] {
  const bytes = fs.existsSync(logFile) ? fs.readFileSync(logFile) : Buffer.alloc(0);
  return decodeRecords(bytes).records.flatMap(({ update }) => keysOf(update));
}

/** The map keys an update sets, read from its items (it need not apply alone: it follows others). */
function keysOf(update: Uint8Array): string[] {
  return Y.decodeUpdate(update).structs.flatMap((s) => (s instanceof Y.Item && s.parentSub !== null ? [s.parentSub] : []));
}

/**
 * A reader peer that records what reaches it: each broadcast's keys, and corks. At each send it
 * reads the log file, so a broadcast that left before its update was stored is caught.
 */
function reader(logFile: string) {
  const events: string[] = [];
  const undurable: string[] = [];
  const peer: RoomPeer = {
    who: 'reader',
    writes: { kind: 'none' },
    close: () => undefined,
    cork: () => void events.push('cork'),
    uncork: () => void events.push('uncork'),
    send: (message) => {
      const decoded = decodeClientMessage(message);
      if (decoded.type !== 'update') return;
      const keys = keysOf(decoded.update);
      const stored = new Set(keysInLog(logFile));
      undurable.push(...keys.filter((k) => !stored.has(k)));
      events.push(keys.join(','));
    },
  };
  return { peer, events, undurable };
}

/** A writer that sends one-key updates as their own frames, as an editing client does. */
function writer() {
  const doc = new Y.Doc();
  const peer: RoomPeer = { who: 'writer', writes: { kind: 'any' }, close: () => undefined, send: () => undefined };
  return {
    peer,
    set(room: Room, key: string): void {
      let update: Uint8Array | null = null;
      doc.once('update', (u: Uint8Array) => (update = u));
      doc.getMap('m').set(key, key);
      room.receive(peer, decodeClientMessage(encodeUpdate(update!)));
    },
  };
}

it('DUR-3: by default an idle room writes a lone update at once, waiting on no timer, and delivers it once stored', async () => {
  // Only timers are stopped: setImmediate and the file system's callbacks run as ever.
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
  const { room, logFile } = await fileRoom(loadConfig({}).groupCommitMs);
  const { peer, events, undurable } = reader(logFile);
  room.addPeer(peer);
  const w = writer();
  room.addPeer(w.peer);
  w.set(room, 'k0');
  // Broadcasts leave as the write resolves, before the room reports itself durable.
  await durableWithin(room, 5000);
  expect(keysInLog(logFile)).toEqual(['k0']);
  expect(events).toEqual(['k0']);
  expect(undurable, 'broadcasts that left before their update was in the log').toEqual([]);
});

it('DUR-3: with GROUP_COMMIT_MS set, the first update waits out the window before it is written', async () => {
  // The contrast to the test above: the same lone update, held by a window the clock must pass.
  vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
  const { room, logFile } = await fileRoom(5);
  const { peer, events } = reader(logFile);
  room.addPeer(peer);
  const w = writer();
  room.addPeer(w.peer);
  w.set(room, 'k0');
  let stored = false;
  void room.durable().then(() => (stored = true));
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  expect(stored, 'stored before the window passed').toBe(false);
  expect(keysInLog(logFile)).toEqual([]);
  await vi.advanceTimersByTimeAsync(5);
  await room.durable();
  expect(keysInLog(logFile)).toEqual(['k0']);
  expect(events).toEqual(['k0']);
});

it('DUR-3: updates that arrive while a write is in flight join the next write, whose broadcasts leave corked together', async () => {
  const { room, logFile } = await fileRoom(0);
  const { peer, events, undurable } = reader(logFile);
  room.addPeer(peer);
  const w = writer();
  room.addPeer(w.peer);
  w.set(room, 'k0');
  // The room's write of k0 starts after this turn of the event loop; a write of the file log
  // completes in a later turn at the soonest, so these come while it is in flight.
  await new Promise((r) => setImmediate(r));
  expect(events, 'k0 delivered before its write could complete').toEqual([]);
  for (let k = 1; k <= 5; k++) w.set(room, `k${k}`);
  await room.durable();
  expect(events).toEqual(['k0', 'cork', 'k1', 'k2', 'k3', 'k4', 'k5', 'uncork']);
  expect(keysInLog(logFile)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  expect(undurable, 'broadcasts that left before their update was in the log').toEqual([]);
});
