import type { Logger } from 'pino';

export interface RoomQueueOptions {
  /** A room is mirrored once it has had no change for this long... */
  debounceMs: number;
  /** ...or this long after its first unmirrored change, even if changes keep coming. */
  maxWaitMs: number;
  /** How many rooms are mirrored at once. */
  concurrency: number;
  /** A failed room is tried again after 1, 2, 4... times this, up to `retryMaxMs`. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Attempts for one change before giving up on it (the next change tries again). */
  maxAttempts: number;
}

interface Entry {
  timer?: NodeJS.Timeout;
  /** When the oldest change not yet mirrored came, and the latest (which moves the due time, not the timer). */
  since: number;
  last: number;
  /** A change came (or a retry is due) that the running job, if any, may not have seen. */
  dirty: boolean;
  running: boolean;
  failures: number;
  /** Callers of `runNow` waiting for the next run to begin (it covers what they asked for). */
  waiters: Array<(ok: boolean) => void>;
}

/**
 * Runs a job per room some time after the room changed: debounced, never two at once for one
 * room nor for two rooms in the same lane (a volume and its sessions and workflows, so a job
 * always reads what the one before it wrote from), retried with backoff when it fails.
 */
export class RoomQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private active = 0;
  private readonly slots: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly job: (room: string) => Promise<void>,
    private readonly laneOf: (room: string) => string,
    private readonly options: RoomQueueOptions,
    private readonly log: Logger,
  ) {}

  /**
   * Notes that a room changed; its job runs after the debounce. Called for every durable
   * update, so it only takes the time while a timer is armed.
   */
  schedule(room: string): void {
    if (this.closed) return;
    const now = Date.now();
    let entry = this.entries.get(room);
    if (!entry) {
      entry = { since: now, last: now, dirty: false, running: false, failures: 0, waiters: [] };
      this.entries.set(room, entry);
    }
    if (!entry.dirty) entry.since = now;
    entry.last = now;
    entry.dirty = true;
    // A new change is worth trying at once, not after the backoff of an earlier failure.
    const backingOff = entry.failures > 0;
    entry.failures = 0;
    if (!entry.running && (!entry.timer || backingOff)) this.arm(room, entry, this.debounce(entry));
  }

  /**
   * Runs a room's job without waiting for the debounce (after the one running, if any, since it
   * may have read the room before this call), and resolves once a run that began after this call
   * has ended: true when it succeeded. Resolves false at once when the queue is stopped. The mirrors'
   * catch-up goes through here, so it keeps each lane's order and the queue's concurrency.
   */
  runNow(room: string): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.schedule(room);
      const entry = this.entries.get(room) as Entry;
      entry.waiters.push(resolve);
      if (!entry.running) void this.start(room);
    });
  }

  /** Time left until a settled room's job is due: the debounce after its last change, capped by the maximum wait. */
  private debounce(entry: Entry): number {
    const due = Math.min(entry.last + this.options.debounceMs, entry.since + this.options.maxWaitMs);
    return Math.max(0, due - Date.now());
  }

  private arm(room: string, entry: Entry, delay: number): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      // Changes came since the timer was armed: wait for the room to settle (unless `runNow` asked).
      const wait = entry.failures === 0 && entry.waiters.length === 0 ? this.debounce(entry) : 0;
      if (wait > 0) this.arm(room, entry, wait);
      else void this.start(room);
    }, delay);
    entry.timer.unref();
  }

  private start(room: string): Promise<void> {
    const entry = this.entries.get(room);
    if (!entry || entry.running || !entry.dirty) return Promise.resolve();
    clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.running = true;
    entry.dirty = false;
    // This run reads the room after they asked: it answers them.
    const waiters = entry.waiters.splice(0);
    const lane = this.laneOf(room);
    const run = (this.lanes.get(lane) ?? Promise.resolve()).then(() => this.runJob(room, entry, waiters));
    const tail = run.finally(() => {
      if (this.lanes.get(lane) === tail) this.lanes.delete(lane);
    });
    this.lanes.set(lane, tail);
    this.running.add(tail);
    void tail.finally(() => this.running.delete(tail));
    return tail;
  }

  private async runJob(room: string, entry: Entry, waiters: Array<(ok: boolean) => void>): Promise<void> {
    await this.slot();
    let ok = false;
    try {
      await this.job(room);
      entry.failures = 0;
      ok = true;
    } catch (e) {
      entry.failures++;
      const retry = !this.closed && entry.failures < this.options.maxAttempts;
      this.log.warn({ room, err: e, attempt: entry.failures, retry }, 'mirror write failed');
      if (retry) entry.dirty = true;
    } finally {
      this.release();
      entry.running = false;
      for (const resolve of waiters) resolve(ok);
      if (!entry.dirty) this.entries.delete(room);
      else if (this.closed) clearTimeout(entry.timer);
      // Asked for while this run was under way: at once, not after a backoff or the debounce.
      else if (entry.waiters.length > 0) this.arm(room, entry, 0);
      else if (entry.failures > 0) this.arm(room, entry, Math.min(this.options.retryBaseMs * 2 ** (entry.failures - 1), this.options.retryMaxMs));
      else this.arm(room, entry, this.debounce(entry));
    }
  }

  private async slot(): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.slots.push(resolve));
  }

  private release(): void {
    const next = this.slots.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * Runs every waiting job now, and the jobs those schedule, until nothing is left; a room whose
   * job fails here is not tried again within this call.
   */
  async flush(): Promise<void> {
    const failed = new Set<string>();
    for (;;) {
      const due = [...this.entries].filter(([room, e]) => e.dirty && !e.running && !failed.has(room));
      if (due.length === 0 && this.running.size === 0) return;
      for (const [room, entry] of due) {
        // A retry already failed before this call: one more try now, then it is left alone.
        if (entry.failures > 0) failed.add(room);
        void this.start(room);
      }
      await Promise.all([...this.running]);
      for (const [room, entry] of this.entries) if (entry.failures > 0) failed.add(room);
    }
  }

  /** Flushes, then stops. */
  async close(): Promise<void> {
    await this.flush();
    this.stop();
  }

  /** From now on, changes are ignored and waiting jobs and retries dropped; running jobs finish. */
  stop(): void {
    this.closed = true;
    for (const entry of this.entries.values()) {
      clearTimeout(entry.timer);
      for (const resolve of entry.waiters.splice(0)) resolve(false);
    }
    this.entries.clear();
  }
}
