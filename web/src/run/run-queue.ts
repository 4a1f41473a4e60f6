import type { DBSchema } from 'idb';
import { yieldingDb } from '../documents/yielding-db';
import type { NodeInputs } from './run-record';

/**
 * The runs this browser was asked for while one was running: they wait here, in IndexedDB, so a
 * reload keeps them, and start one after another in the order they were asked for. The queue is
 * per browser (not shared with collaborators): each person's runs use their own machine.
 *
 * Its own database, apart from the result cache's (run-store.ts), so the two never wait on each
 * other's upgrades.
 */
export interface QueuedRun {
  id: string;
  /** The workflow room it is a run of. */
  room: string;
  /** When it was asked for (ms), and a counter for two asked in the same millisecond. */
  asked_at: number;
  seq: number;
  /** What asked for it: "run", "node", "again"… (kept in the run's record). */
  trigger: string;
  /** Only these nodes and what they need; the whole workflow when absent. */
  targets?: string[];
  /** Each node's literal inputs when it was asked for: the run uses them, whatever the canvas holds by then. */
  inputs: NodeInputs;
}

interface QueueDB extends DBSchema {
  queue: { key: string; value: QueuedRun; indexes: { room: string } };
}


const open = yieldingDb<QueueDB>('llmunix-run-queue', 1, (d) => {
  d.createObjectStore('queue', { keyPath: 'id' }).createIndex('room', 'room');
});

const inOrder = (a: QueuedRun, b: QueuedRun) => a.asked_at - b.asked_at || a.seq - b.seq || (a.id < b.id ? -1 : 1);

let counter = 0;

/** Puts a run at the end of a workflow's queue. */
export async function enqueueRun(run: Omit<QueuedRun, 'id' | 'asked_at' | 'seq'>): Promise<QueuedRun> {
  const queued: QueuedRun = { ...run, id: crypto.randomUUID(), asked_at: Date.now(), seq: counter++ };
  await (await open()).put('queue', queued);
  return queued;
}

/** A workflow's waiting runs, first first. */
export async function queuedRuns(room: string): Promise<QueuedRun[]> {
  return (await (await open()).getAllFromIndex('queue', 'room', room)).sort(inOrder);
}

/**
 * Takes the first waiting run of a workflow out of the queue, to start it. Reading and deleting
 * are one transaction, so two tabs of the same workflow never both start the same run.
 */
export async function takeNextRun(room: string): Promise<QueuedRun | null> {
  const tx = (await open()).transaction('queue', 'readwrite');
  const first = (await tx.store.index('room').getAll(room)).sort(inOrder)[0] ?? null;
  if (first) await tx.store.delete(first.id);
  await tx.done;
  return first;
}

/** Puts back a run taken out of the queue that could not start, in its place. */
export async function restoreQueuedRun(run: QueuedRun): Promise<void> {
  await (await open()).put('queue', run);
}

/** Cancels a waiting run (it never starts); false when it had already started or was cancelled. */
export async function cancelQueuedRun(id: string): Promise<boolean> {
  const tx = (await open()).transaction('queue', 'readwrite');
  const found = (await tx.store.get(id)) !== undefined;
  if (found) await tx.store.delete(id);
  await tx.done;
  return found;
}
