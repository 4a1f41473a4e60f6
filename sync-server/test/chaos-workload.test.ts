// The chaos load driver (sync-server/test/chaos/workload.ts) can see a loss: on a server with no
// durable storage (STORAGE=memory), kill -9 loses what clients had seen, and a fresh client's
// first sync from the restarted server says so, as long as the old clients are held away; once
// they reconnect they hand their copies back, which is why the crash scenario reads first.
import { afterEach, describe, expect, it } from 'vitest';
import { startWorkload, updateKeys, type Workload } from './chaos/workload';
import { startServerProcess, type ServerProcess } from './harness/server-process';
import { waitFor } from './harness/wait';
import * as Y from 'yjs';

const running: ServerProcess[] = [];
let load: Workload | undefined;
afterEach(async () => {
  await load?.stop();
  for (const s of running.splice(0)) await s.stop('SIGKILL');
});

describe('chaos workload', () => {
  it('updateKeys names the map keys an update sets', () => {
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getMap('m').set('w0.0', 1);
    doc.transact(() => {
      doc.getMap('m').set('w0.1', 2);
      doc.getMap('m').set('w1.0', 3);
    });
    expect(updates.map(updateKeys)).toEqual([['w0.0'], ['w0.1', 'w1.0']]);
  });

  it('kill -9 of a server without durable storage: the seen updates are reported lost, then healed by the clients', async () => {
    const env = { STORAGE: 'memory' };
    const server = await startServerProcess(env);
    running.push(server);
    const rooms = ['user/default/workflow/workload-a', 'user/default/workflow/workload-b'];
    load = await startWorkload({ urls: [server.url], rooms, writers: 2, readers: 1, offline: true, seed: 42 });
    await waitFor(() => load!.seen().size >= 50, 'clients to see 50 updates');
    expect(await load.lostAt(server.url), 'nothing is lost while the server runs').toEqual([]);

    server.child.kill('SIGKILL');
    load.hold([server.url]);
    await server.stop('SIGKILL');
    const seenAtKill = load.seen();
    const restarted = await startServerProcess(env, server.port);
    running.push(restarted);
    const lost = await load.lostAt(restarted.url);
    expect(new Set(lost), 'every seen update is lost with the memory backend').toEqual(seenAtKill);

    load.release();
    load.pause();
    expect(await load.settle(30_000)).toEqual({ missing: [], diverged: [] });
    expect(await load.lostAt(restarted.url), 'the clients gave their copies back').toEqual([]);
    expect(load.written()).toBe(load.seen().size);
  }, 60_000);
});
