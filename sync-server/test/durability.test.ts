// DUR-1: an update is in the log before any other client receives it, so kill -9 loses nothing
// anyone has seen. DUR-2: after a restart every room comes back from DATA_DIR, and a client's
// first sync already holds the whole document (the server never answers before the room loads).
// DUR-4: a torn last record is cut off at load and later edits follow it.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectClient, connectSynced, type TestClient } from './harness/clients';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { waitFor } from './harness/wait';

let dataDir: string;
const running: ServerProcess[] = [];
const clients: TestClient[] = [];

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-dur-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of running.splice(0)) await s.stop('SIGKILL');
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const server = await startServerProcess({ DATA_DIR: dataDir, ROOM_IDLE_MS: '60000' });
  running.push(server);
  return server;
}

/** Connects a fresh client and returns what it held at the moment of its very first sync. */
function firstSyncContent(url: string, room: string): Promise<Record<string, unknown>> {
  const client = connectClient(url, room);
  clients.push(client);
  return new Promise((resolve) => {
    client.provider.once('sync', () => resolve(client.doc.getMap('m').toJSON()));
  });
}

describe('durability with the file backend', () => {
  it('kill -9 right after another client received updates loses none of them', async () => {
    const room = 'user/default/workflow/kill9';
    const seen = new Set<string>();
    let next = 0;
    // Three crashes in a row, each in the middle of a stream of edits, each killed from inside
    // the reader's observer the instant it has seen its 100th new update.
    for (let round = 0; round < 3; round++) {
      const server = await start();
      const writer = await connectSynced(server.url, room);
      const reader = await connectSynced(server.url, room);
      clients.push(writer, reader);
      const before = seen.size;
      let killed = false;
      reader.doc.getMap('m').observe((e) => {
        e.keysChanged.forEach((k) => seen.add(k));
        if (!killed && seen.size - before >= 100) {
          killed = true;
          server.child.kill('SIGKILL');
        }
      });
      const stream = setInterval(() => {
        for (let j = 0; j < 5; j++) writer.doc.getMap('m').set(`k${next++}`, next);
      }, 1);
      await waitFor(() => killed, 'the reader to see 100 updates');
      clearInterval(stream);
      await server.stop('SIGKILL');
      for (const c of clients.splice(0)) c.destroy();
      const seenAtKill = [...seen];
      const restarted = await start();
      const content = await firstSyncContent(restarted.url, room);
      const missing = seenAtKill.filter((k) => !(k in content));
      expect(missing, `round ${round}: updates seen by a client but lost by kill -9`).toEqual([]);
      await restarted.stop('SIGKILL');
    }
  });

  it('a restart brings every document back, whole at the first sync', async () => {
    const rooms = ['user/default/session/restart-a', 'user/default/workflow/restart-b', 'user/default'];
    const server = await start();
    for (const room of rooms) {
      const c = await connectSynced(server.url, room);
      clients.push(c);
      c.doc.transact(() => {
        for (let k = 0; k < 500; k++) c.doc.getMap('m').set(`${room}-${k}`, k);
      });
      // Many small updates too, so the log (not only a snapshot) must be replayed.
      for (let k = 0; k < 300; k++) c.doc.getMap('m').set(`small-${k}`, k);
    }
    // Wait until a second client sees everything, i.e. the server has made it durable and sent it.
    for (const room of rooms) {
      const check = await connectSynced(server.url, room);
      clients.push(check);
      await waitFor(() => check.doc.getMap('m').size === 800, `${room} to reach the server`);
    }
    // kill -9 leaves only the logs; no graceful compaction helps.
    await server.stop('SIGKILL');
    for (const c of clients.splice(0)) c.destroy();

    const restarted = await start();
    for (const room of rooms) {
      const content = await firstSyncContent(restarted.url, room);
      expect(Object.keys(content).length, `${room} at first sync`).toBe(800);
      expect(content[`${room}-499`]).toBe(499);
    }
    // A graceful stop compacts; the next start loads from snapshots just the same.
    expect(await restarted.stop('SIGTERM')).toBe(0);
    const files = await fs.readdir(path.join(dataDir, 'rooms'));
    expect(files.filter((f) => f.endsWith('.snapshot')).length).toBeGreaterThanOrEqual(rooms.length);
    const third = await start();
    for (const room of rooms) {
      const content = await firstSyncContent(third.url, room);
      expect(Object.keys(content).length, `${room} after compaction`).toBe(800);
    }
  });

  it('DUR-4: a torn last record from a crash mid-write is cut off and the rest loads', async () => {
    const room = 'user/default/workflow/torn';
    const server = await start();
    const c = await connectSynced(server.url, room);
    clients.push(c);
    for (let k = 0; k < 20; k++) c.doc.getMap('m').set(`k${k}`, k);
    const check = await connectSynced(server.url, room);
    clients.push(check);
    await waitFor(() => check.doc.getMap('m').size === 20, 'edits to reach the server');
    await server.stop('SIGKILL');
    for (const cl of clients.splice(0)) cl.destroy();
    const log = path.join(dataDir, 'rooms', `${encodeURIComponent(room)}.log`);
    // Half a record at the end: a header promising 1000 bytes and only a few of them.
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(1000, 0);
    await fs.appendFile(log, torn);

    const restarted = await start();
    const content = await firstSyncContent(restarted.url, room);
    expect(Object.keys(content).length).toBe(20);
    // New edits after the repair are stored and survive another crash.
    const writer = await connectSynced(restarted.url, room);
    clients.push(writer);
    writer.doc.getMap('m').set('after', 1);
    const reader = await connectSynced(restarted.url, room);
    clients.push(reader);
    await waitFor(() => reader.doc.getMap('m').get('after') === 1, 'the new edit to reach a reader');
    await restarted.stop('SIGKILL');
    const again = await start();
    const final = await firstSyncContent(again.url, room);
    expect(final.after).toBe(1);
    expect(Object.keys(final).length).toBe(21);
  });
});
