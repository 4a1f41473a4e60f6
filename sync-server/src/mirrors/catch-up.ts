import type { Logger } from 'pino';
import { parseRoomName } from '../../../shared/src/rooms';
import type { StorageHealth } from '../storage/storage';

export interface CatchUpOptions {
  /** The first pass waits this long after start, so it never competes with the server's first clients. */
  startDelayMs: number;
  /** Rooms one pass has waiting in the mirror queue at once (the queue's own limit still applies). */
  concurrency: number;
  /** While behind, the backends are checked again after this, doubling up to `probeMaxMs`. */
  probeBaseMs: number;
  probeMaxMs: number;
}

/** What a pass needs: the rooms with stored data, a room's mirror job run now, and whether the backends answer. */
export interface CatchUpDeps {
  list(): Promise<string[]>;
  /** Runs a room's mirror job (through the queue); true when it succeeded. */
  run(room: string): Promise<boolean>;
  health(): Promise<StorageHealth>;
}

/** Volumes first: mirroring one deletes what it no longer lists and names what it added. */
function passOrder(rooms: string[]): string[] {
  const volumes: string[] = [];
  const others: string[] = [];
  for (const room of rooms) {
    const parsed = parseRoomName(room);
    // A run history has no mirror; a name that does not parse is not a room.
    if (!parsed.ok || parsed.value.kind === 'runs') continue;
    (parsed.value.kind === 'volume' ? volumes : others).push(room);
  }
  return [...volumes, ...others];
}

/**
 * Brings every mirror up to date from the rooms' durable state, for the rooms whose own changes
 * will not: those stored before mirrors were configured, and those whose mirror write failed
 * while Redis or S3 was down and that never change again. A pass lists every stored room and
 * runs each one's mirror job through the queue (so lanes keep their order and the queue its
 * concurrency), a few at a time. Passes run at start (after a delay, in the background) and,
 * after a mirror write failed, once the storage's backends answer again, checked with backoff
 * so an outage costs one health check now and then, never a herd of retries. Every job writes
 * whole states, so a pass is idempotent: running it twice, or beside another instance's, is
 * harmless.
 */
export class MirrorCatchUp {
  /** What a pass still owes: every room, the rooms whose job failed in the last pass, or nothing. */
  private owed: 'all' | Set<string> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  /** Rooms of the running pass, whose failures the pass counts itself. */
  private readonly inPass = new Set<string>();
  private attempt = 0;
  private stopped = false;
  /** Resolved after each pass, for tests and `idle`. */
  private passWaiters: Array<() => void> = [];

  constructor(
    private readonly deps: CatchUpDeps,
    private readonly options: CatchUpOptions,
    private readonly log: Logger,
  ) {}

  /** At start: a pass over every room, after the start delay. */
  start(): void {
    this.owe('all');
    this.wake(this.options.startDelayMs);
  }

  /**
   * A room's mirror job failed: its backend may be down. Once the backends answer, every room is
   * mirrored again (another room may have missed a write in the same outage).
   */
  failed(room: string): void {
    if (this.stopped || this.inPass.has(room)) return;
    if (this.owed !== 'all') this.log.warn({ room }, 'mirror write failed: every room is mirrored again once the backends answer');
    this.owe('all');
    this.wake(this.delay());
  }

  /** True while some room's mirror may be behind its document (a pass is owed or under way). */
  get behind(): boolean {
    return this.owed !== null || this.running !== null;
  }

  /** Resolves once no pass is owed or running (or after `timeoutMs`); true when caught up. */
  async idle(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.behind && !this.stopped && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(200, Math.max(0, deadline - Date.now())));
        this.passWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return !this.behind;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private owe(what: 'all' | Set<string>): void {
    if (what === 'all' || this.owed === 'all') this.owed = 'all';
    else this.owed = new Set([...(this.owed ?? []), ...what]);
  }

  /** The wait before the next check while behind: doubling with each failed one, capped. */
  private delay(): number {
    return Math.min(this.options.probeBaseMs * 2 ** this.attempt, this.options.probeMaxMs);
  }

  private wake(delayMs: number): void {
    if (this.stopped || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.owed === null) return;
    // One pass at a time; what it leaves owed is picked up when it ends.
    if (this.running) return;
    this.running = this.check().finally(() => {
      this.running = null;
      for (const wake of this.passWaiters.splice(0)) wake();
      if (this.owed !== null) this.wake(this.delay());
    });
    await this.running;
  }

  private async check(): Promise<void> {
    const health = await this.deps.health().catch((e: unknown): StorageHealth => ({ ok: false, detail: String(e) }));
    if (!health.ok) {
      this.attempt++;
      this.log.info({ detail: health.detail, nextCheckMs: this.delay() }, 'mirrors behind: storage is not ready, checking again later');
      return;
    }
    await this.pass();
  }

  private async pass(): Promise<void> {
    const owed = this.owed;
    this.owed = null;
    const started = Date.now();
    let rooms: string[];
    try {
      rooms = passOrder(owed === 'all' ? await this.deps.list() : [...(owed ?? [])]);
    } catch (e) {
      this.attempt++;
      this.owe(owed ?? 'all');
      this.log.warn({ err: e, nextCheckMs: this.delay() }, 'mirror catch-up could not list the rooms; trying again later');
      return;
    }
    const failed = new Set<string>();
    let next = 0;
    const worker = async () => {
      while (!this.stopped && next < rooms.length) {
        const room = rooms[next++] as string;
        this.inPass.add(room);
        try {
          if (!(await this.deps.run(room))) failed.add(room);
        } finally {
          this.inPass.delete(room);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency, rooms.length) }, worker));
    if (this.stopped) return;
    const ms = Date.now() - started;
    if (failed.size === 0) {
      this.attempt = 0;
      this.log.info({ rooms: rooms.length, ms, full: owed === 'all' }, 'mirrors caught up');
      return;
    }
    this.attempt++;
    this.owe(failed);
    this.log.warn({ rooms: rooms.length, failed: failed.size, ms, nextCheckMs: this.delay() }, 'mirror catch-up incomplete: the rooms that failed are tried again later');
  }
}
