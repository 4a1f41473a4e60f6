// Watching the library: a watcher is told when what its identity sees changes (a skill added to
// its volume, a workflow's inputs), not when another person's volume changes nor when a node is
// only moved on a canvas; stopping stops it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { putSkillSource } from '../../../shared/src/documents/volume-index';
import { moveNode, setNodeInput } from '../../../shared/src/documents/workflow';
import { volumeRoom } from '../../../shared/src/rooms';
import type { ServerLibrary } from '../../src/library/library';
import { LIBRARY_CHANGE_MS } from '../../src/library/types';
import type { Rooms } from '../../src/rooms/rooms';
import { waitFor } from '../harness/wait';
import { ADD, DOUBLE, libraryRooms, putSkill, putWorkflow, THREE_NODES, user } from './library-rooms';

let rooms: Rooms;
let library: ServerLibrary;
let close: () => Promise<void>;
const stops: Array<() => void> = [];
beforeEach(async () => {
  ({ rooms, library, close } = await libraryRooms());
});
afterEach(async () => {
  for (const stop of stops.splice(0)) stop();
  await close();
});

/** Long enough for a wrongly started check to have told its watcher (a debounce and a view). */
const settle = () => new Promise((r) => setTimeout(r, LIBRARY_CHANGE_MS * 5));

function watching(identity = user('alice')): { calls: () => number; stop: () => void } {
  let calls = 0;
  const stop = library.watch(identity, () => calls++);
  stops.push(stop);
  return { calls: () => calls, stop };
}

describe('watch', () => {
  it('tells the owner when a skill is added to their volume, and no one else', async () => {
    const alice = watching();
    const bob = watching(user('bob'));
    await settle();
    // Edited as a client's change arrives: through the room, in one transaction.
    await rooms.use(volumeRoom('user', 'alice'), (room) => putSkillSource(room.doc, 'double', DOUBLE));
    await waitFor(() => alice.calls() === 1, 'alice told of her new skill');
    await settle();
    expect(bob.calls()).toBe(0);
    expect(alice.calls()).toBe(1);
    expect((await library.view(user('alice'))).tools.map((t) => t.name)).toContain('double');
  });

  it('is not told of another person’s skill, nor of a node moved; is told of a workflow’s new default', async () => {
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    await putSkill(rooms, 'user', 'alice', 'add', ADD);
    const room = await putWorkflow(rooms, 'user', 'alice', 'w1', 'Double then add', THREE_NODES);
    const alice = watching();
    await settle();
    await putSkill(rooms, 'user', 'bob', 'add', ADD);
    await rooms.use(room, (r) => moveNode(r.doc, 'n2', { x: 300, y: 40 }));
    await settle();
    expect(alice.calls()).toBe(0);
    // A literal on an open input changes the tool's schema (its default).
    await rooms.use(room, (r) => setNodeInput(r.doc, 'n3', 'x', 7));
    await waitFor(() => alice.calls() === 1, 'alice told of the workflow’s new default');
    const tool = (await library.view(user('alice'))).tools.find((t) => t.id === 'w1');
    expect(tool?.inputSchema.properties['n3.x']).toMatchObject({ default: 7 });
  });

  it('stops when told to: no call after, even for a change that would have told it', async () => {
    const alice = watching();
    await settle();
    await putSkill(rooms, 'user', 'alice', 'double', DOUBLE);
    // Stopped while its check is pending.
    alice.stop();
    await settle();
    expect(alice.calls()).toBe(0);
  });
});
