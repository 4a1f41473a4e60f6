// SYNC-5 at the seam the sync core runs on (`WebSocketLike`): a client over its budget is paused,
// its frames wait and are all handled as the budget refills, and it is resumed once
// none wait; a transport that cannot pause and keeps delivering is closed with 1009 once the
// waiting frames pass their bound. A real room on the in-memory backend answers the frames.
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { CLOSE } from '../../shared/src/codes';
import { Connection, type WebSocketLike } from '../src/edge/connection';
import { Room } from '../src/rooms/room';
import { MemoryStorage } from '../src/storage/memory';
import { waitFor } from './harness/wait';

const log = pino({ level: 'silent' });
const rooms: Room[] = [];

afterEach(async () => {
  for (const room of rooms.splice(0)) await room.unload();
});

async function loadRoom(): Promise<Room> {
  const room = await Room.load('user/default/workflow/connection', new MemoryStorage(), { compactAfter: 1000, groupCommitMs: 0, onFailure: () => undefined }, log);
  rooms.push(room);
  return room;
}

/** A transport that records what the connection does to it; `pausable: false` has no pause. */
function transport(pausable: boolean) {
  const events: string[] = [];
  const replies: Uint8Array[] = [];
  const ws: WebSocketLike = {
    send: (data) => void replies.push(data),
    close: (code) => void events.push(`close ${code}`),
    ...(pausable ? { pause: () => void events.push('pause'), resume: () => void events.push('resume') } : {}),
  };
  return { ws, events, replies };
}

/** A sync step 1 whose state vector names one client at `clock`: each is answered with a sync step 2. */
function step1(clock: number): Uint8Array {
  return new Uint8Array([0, 0, 3, 1, 1, clock]);
}

it('SYNC-5: a client over its budget is paused, its frames are all handled as it refills, then it is resumed', async () => {
  const room = await loadRoom();
  const { ws, events, replies } = transport(true);
  const rate = 20;
  const conn = new Connection(ws, room.name, { kind: 'any' }, 'alice', log, { maxHeldBytes: 1 << 20, ratePerSecond: rate });
  conn.attach(room);
  const greeting = replies.length;
  const frames = 3 * rate;
  for (let i = 0; i < frames; i++) conn.receive(step1(i % 100));
  // The burst (twice the rate) is answered at once; the rest waits behind a pause.
  expect(replies.length - greeting).toBe(2 * rate);
  expect(events).toEqual(['pause']);
  await waitFor(() => replies.length - greeting === frames, 'every frame to be answered');
  expect(events.at(-1)).toBe('resume');
  expect(events).not.toContain(`close ${CLOSE.messageTooBig.code}`);
  conn.closedBySocket();
});

it('SYNC-5: a transport that keeps delivering past the bound on waiting frames is closed with 1009', async () => {
  const room = await loadRoom();
  const { ws, events } = transport(false);
  const conn = new Connection(ws, room.name, { kind: 'any' }, 'alice', log, { maxHeldBytes: 100, ratePerSecond: 10 });
  conn.attach(room);
  for (let i = 0; i < 20 + 17; i++) conn.receive(step1(1));
  // 20 are handled at once; then 16 six-byte frames wait, and the 17th is one too many.
  expect(events).toEqual([`close ${CLOSE.messageTooBig.code}`]);
});
