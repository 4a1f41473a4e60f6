import * as prng from 'lib0/prng';
import * as Y from 'yjs';
import { connectClient, synced, type TestClient } from './clients';
import { streamOf } from './fuzz-seed';
import { randomEdit } from './random-edits';
import { waitFor } from './wait';

/**
 * The well-behaved side of the fuzz test: stock y-websocket clients with fixed client ids that
 * take turns editing, one client per step, each step waiting until every client of the room
 * holds it. Their edits are then a function of the seed alone, not of timing: each is made on a
 * document whose state the previous steps fixed, under the same client id and clock in every
 * run, so two runs store the same updates in the same order.
 */
export interface EditorRoom {
  name: string;
  token: string;
  clients: TestClient[];
}

/** The fixed client id of editor `i` of room `r`. */
export const editorId = (r: number, i: number): number => 100 + 10 * r + i;

/** Connects `perRoom` editors to each room and waits for their first sync. */
export async function connectEditors(url: string, rooms: ReadonlyArray<{ name: string; token: string }>, perRoom: number): Promise<EditorRoom[]> {
  const connected = rooms.map((room, r) => ({
    ...room,
    clients: Array.from({ length: perRoom }, (_, i) => {
      const doc = new Y.Doc();
      doc.clientID = editorId(r, i);
      return connectClient(url, room.name, { doc, params: { token: room.token } });
    }),
  }));
  await Promise.all(connected.flatMap((room) => room.clients.map((c) => synced(c))));
  return connected;
}

/** What a client holds: its state vector and its deletions (a deletion alone leaves the state vector as it was). */
const held = (client: TestClient): string => Y.encodeSnapshot(Y.snapshot(client.doc)).join(',');

/** Waits until every client of a room holds the same state. */
export async function converged(room: EditorRoom, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(() => room.clients.every((c) => c.provider.synced && held(c) === held(room.clients[0] as TestClient)), what, timeoutMs);
}

/**
 * Plays a room's seeded script of `steps` steps. `beforeStep` may hold a step back (the fuzz run
 * spreads the steps over the attack); it never changes what the step does.
 */
export async function playScript(seed: number, r: number, room: EditorRoom, steps: number, beforeStep: (step: number) => Promise<void>): Promise<void> {
  const gen = streamOf(seed, r);
  for (let step = 0; step < steps; step++) {
    await beforeStep(step);
    const editor = prng.oneOf(gen, room.clients);
    for (let n = prng.int32(gen, 1, 4); n > 0; n--) randomEdit(gen, editor.doc);
    await converged(room, `the editors of ${room.name} to converge after step ${step} (seed ${seed})`);
  }
}
