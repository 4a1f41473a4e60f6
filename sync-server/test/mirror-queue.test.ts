// The mirror queue's `runNow`, which the catch-up goes through: it skips the debounce, answers
// only once a run that began after the call has ended (a run already under way may have read
// the room before), says whether it succeeded, and gives up when the queue stops.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { RoomQueue, type RoomQueueOptions } from '../src/mirrors/room-queue';

const SLOW_DEBOUNCE: RoomQueueOptions = { debounceMs: 60_000, maxWaitMs: 60_000, concurrency: 2, retryBaseMs: 60_000, retryMaxMs: 60_000, maxAttempts: 1 };
const log = pino({ level: 'silent' });

/** A job that records each run's start and waits until it is let go (or fails when told to). */
function gatedJob() {
  const started: string[] = [];
  const gates: Array<() => void> = [];
  let fail = false;
  const job = async (room: string) => {
    started.push(room);
    await new Promise<void>((resolve) => gates.push(resolve));
    if (fail) throw new Error('backend down');
  };
  return {
    job,
    started,
    release: () => gates.splice(0).forEach((g) => g()),
    failing: (value: boolean) => (fail = value),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 20));

describe('RoomQueue.runNow', () => {
  it('runs at once despite the debounce and resolves true when the job succeeds', async () => {
    const g = gatedJob();
    const queue = new RoomQueue(g.job, (r) => r, SLOW_DEBOUNCE, log);
    const done = queue.runNow('a');
    await tick();
    expect(g.started).toEqual(['a']);
    g.release();
    expect(await done).toBe(true);
    queue.stop();
  });

  it('waits for a run that begins after the call when one is already under way', async () => {
    const g = gatedJob();
    const queue = new RoomQueue(g.job, (r) => r, SLOW_DEBOUNCE, log);
    const first = queue.runNow('a');
    await tick();
    let secondDone = false;
    const second = queue.runNow('a').then((ok) => ((secondDone = true), ok));
    g.release();
    expect(await first).toBe(true);
    await tick();
    // The first run may have read the room before the second call: a second run answers it.
    expect(secondDone).toBe(false);
    expect(g.started).toEqual(['a', 'a']);
    g.release();
    expect(await second).toBe(true);
    queue.stop();
  });

  it('resolves false when the job fails, and when the queue stops first', async () => {
    const g = gatedJob();
    const queue = new RoomQueue(g.job, (r) => r, SLOW_DEBOUNCE, log);
    g.failing(true);
    const failed = queue.runNow('a');
    await tick();
    g.release();
    expect(await failed).toBe(false);

    g.failing(false);
    const busy = queue.runNow('b');
    await tick();
    const waiting = queue.runNow('b');
    queue.stop();
    expect(await waiting).toBe(false);
    g.release();
    expect(await busy).toBe(true);
    expect(await queue.runNow('c')).toBe(false);
  });
});
