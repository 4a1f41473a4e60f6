// Shutdown closes the rooms once (DUR-5): a room asked for after that, by a request still in
// flight, is refused rather than loaded into memory where nothing would flush or compact it.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Rooms, RoomsClosedError } from '../src/rooms/rooms';
import { MemoryStorage } from '../src/storage/memory';
import { startTestServer } from './harness/in-process';
import { teardownEachTest } from './harness/teardown';

const { cleanups } = teardownEachTest('llmunix-rooms-');

describe('rooms at shutdown', () => {
  it('DUR-5: after closeAll no room loads, and what was loaded is flushed', async () => {
    const storage = new MemoryStorage();
    const rooms = new Rooms(storage, { idleMs: 60_000, compactAfter: 1000, groupCommitMs: 0 }, pino({ level: 'silent' }));
    const room = await rooms.acquire('user/u1/workflow/open');
    room.doc.getMap('meta').set('name', 'kept');
    await rooms.closeAll();
    await expect(rooms.acquire('user/u1/workflow/late')).rejects.toBeInstanceOf(RoomsClosedError);
    await expect(rooms.acquire('user/u1/workflow/open')).rejects.toThrow(/shutting down/);
    expect(rooms.loaded).toEqual([]);
    expect(await storage.list()).toEqual(['user/u1/workflow/open']);
  });

  it('DUR-5: a REST request that reaches a closed room set is answered 503, not 500', async () => {
    const server = await startTestServer({ STORAGE: 'memory' });
    cleanups.push(() => server.close());
    await server.rooms.closeAll();
    const res = await fetch(`${server.url}/api/sessions`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unavailable');
    expect(body.error.message).toMatch(/shutting down/);
  });
});

describe('a room being prepared', () => {
  const name = 'user/u1/workflow/prepared';
  const fresh = () => new Rooms(new MemoryStorage(), { idleMs: 60_000, compactAfter: 1000, groupCommitMs: 0 }, pino({ level: 'silent' }));

  it('is handed to no other use until the preparation is over, and then holds what it wrote', async () => {
    const rooms = fresh();
    cleanups.push(() => rooms.closeAll());
    let go!: () => void;
    const held = new Promise<void>((resolve) => (go = resolve));
    const prepared = rooms.prepare(name, async (use) => {
      // The room is loaded and in use by the preparation before it writes.
      await use(() => undefined);
      await held;
      await use((room) => room.doc.getMap('m').set('written', true));
      return 'done';
    });
    const seen: unknown[] = [];
    const using = rooms.use(name, (room) => seen.push(room.doc.getMap('m').get('written')));
    const acquiring = rooms.acquire(name).then((room) => (seen.push(room.doc.getMap('m').get('written')), rooms.release(room)));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen, 'a use handed out during the preparation').toEqual([]);
    expect(rooms.loadedDoc(name), 'the document read beside the rooms during the preparation').toBeUndefined();
    go();
    expect(await prepared).toBe('done');
    await Promise.all([using, acquiring]);
    expect(seen).toEqual([true, true]);
  });

  it('a preparation that fails lets the uses through to the room as it is', async () => {
    const rooms = fresh();
    cleanups.push(() => rooms.closeAll());
    const prepared = rooms.prepare(name, async () => {
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('the files did not validate');
    });
    const using = rooms.use(name, (room) => room.doc.getMap('m').size);
    await expect(prepared).rejects.toThrow('did not validate');
    expect(await using).toBe(0);
  });
});
