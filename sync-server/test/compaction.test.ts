// DUR-5: a room is compacted once its log has grown past COMPACT_AFTER_UPDATES, when it is
// unloaded and at graceful shutdown; a crash at any moment of a compaction leaves a room that
// loads whole. What is stored is read back through the server's own storage.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { StoredRoom } from '../src/storage/storage';
import { connectClient, connectSynced, type TestClient } from './harness/clients';
import { startTestServer } from './harness/in-process';
import { openPeer, type RawPeer } from './harness/raw-peer';
import { startServerProcess } from './harness/server-process';
import { teardownEachTest } from './harness/teardown';
import { waitFor } from './harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-compaction-');

async function writer(url: string, room: string): Promise<RawPeer> {
  const opened = await openPeer(url, room);
  if (!opened.ok) throw new Error(`${room} was refused with ${opened.code}`);
  cleanups.push(() => opened.peer.close());
  return opened.peer;
}

/** `count` one-key updates, each its own frame, then waits until the server has stored them. */
async function write(peer: RawPeer, count: number): Promise<void> {
  for (let k = 0; k < count; k++) peer.write((doc) => doc.getMap('m').set(`k${k}`, k));
  await peer.roundTrip();
}

/** The keys a stored room holds, and how it is stored. */
function contentOf(stored: StoredRoom): { keys: number; snapshot: boolean; logged: number } {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const u of stored.updates) Y.applyUpdate(doc, u);
  return { keys: doc.getMap('m').size, snapshot: stored.snapshot !== null, logged: stored.updates.length };
}

describe('compaction', () => {
  it('DUR-5: past COMPACT_AFTER_UPDATES, on unload and at graceful shutdown, a room is compacted into its snapshot', async () => {
    const dataDir = await tempDir();
    const server = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '10', ROOM_IDLE_MS: '200' });
    cleanups.push(() => server.close());
    const [busy, idle, open] = ['user/default/workflow/busy', 'user/default/workflow/idle', 'user/default/workflow/open'];

    // A log past the threshold is compacted while the room is in use.
    // Compaction runs beside the room's appends: a busy machine may still be writing the second
    // snapshot when the last update is acknowledged, so the log is read until it is settled.
    await write(await writer(server.url, busy), 25);
    await waitFor(async () => (await server.storage.read(busy)).updates.length < 10, 'the busy room to be compacted below the threshold');
    expect(contentOf(await server.storage.read(busy))).toMatchObject({ keys: 25, snapshot: true });

    // Below it, the log stays until the room is unloaded.
    const idlePeer = await writer(server.url, idle);
    await write(idlePeer, 3);
    expect(contentOf(await server.storage.read(idle))).toEqual({ keys: 3, snapshot: false, logged: 3 });
    idlePeer.close();
    await waitFor(async () => !server.rooms.loaded.includes(idle) && contentOf(await server.storage.load(idle)).snapshot, 'the idle room to unload');
    expect(contentOf(await server.storage.load(idle))).toEqual({ keys: 3, snapshot: true, logged: 0 });

    // A room still open at shutdown is compacted by the graceful stop.
    await write(await writer(server.url, open), 4);
    await server.close();
    const next = await startTestServer({ STORAGE: 'file', DATA_DIR: dataDir });
    cleanups.push(() => next.close());
    expect(contentOf(await next.storage.load(open))).toEqual({ keys: 4, snapshot: true, logged: 0 });
  });

  it('DUR-5: kill -9 at any moment of a stream of compactions leaves a room that loads with everything a client saw', async () => {
    const dataDir = await tempDir();
    const room = 'user/default/workflow/crash-compaction';
    const env = { DATA_DIR: dataDir, COMPACT_AFTER_UPDATES: '20', ROOM_IDLE_MS: '60000' };
    let next = 0;
    // Kills at different points of a stream that compacts every 20 updates. Each round starts the
    // real entry point twice, a few seconds each on a busy machine, hence the longer time limit.
    for (const killAfterMs of [0, 25]) {
      const server = await startServerProcess(env);
      cleanups.push(() => server.stop('SIGKILL'));
      const clients: TestClient[] = [await connectSynced(server.url, room), await connectSynced(server.url, room)];
      const [source, reader] = clients as [TestClient, TestClient];
      const stream = setInterval(() => {
        for (let j = 0; j < 3; j++) source.doc.getMap('m').set(`k${next++}`, next);
      }, 1);
      const before = reader.doc.getMap('m').size;
      await waitFor(() => reader.doc.getMap('m').size >= before + 60, 'the reader to see three compactions\' worth of updates');
      await new Promise((r) => setTimeout(r, killAfterMs));
      server.child.kill('SIGKILL');
      const seen = Object.keys(reader.doc.getMap('m').toJSON());
      clearInterval(stream);
      await server.stop('SIGKILL');
      for (const c of clients) c.destroy();

      const restarted = await startServerProcess(env);
      cleanups.push(() => restarted.stop('SIGKILL'));
      const check = connectClient(restarted.url, room);
      cleanups.push(() => check.destroy());
      const loaded = await new Promise<Record<string, unknown>>((resolve) => check.provider.once('sync', () => resolve(check.doc.getMap('m').toJSON())));
      expect(seen.filter((k) => !(k in loaded)), `${killAfterMs} ms: keys a client saw but the room lost`).toEqual([]);
      await restarted.stop('SIGKILL');
    }
  }, 90_000);
});
