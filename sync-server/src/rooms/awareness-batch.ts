/**
 * Gathers awareness changes for a short while and hands them on as one set of client ids.
 *
 * Every stock y-websocket client echoes each awareness change it hears back to the server, and
 * the rate limit counts those echoes against it. Sent one by one, a single connection changing
 * its own cursor a thousand times a second would make every client in the room send a thousand
 * messages a second, and be closed for it. Batched, the room sends at most one awareness message
 * per batch, and each change carries the latest state of its ids.
 */
export class AwarenessBatch {
  private readonly ids = new Set<number>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly send: (ids: number[]) => void,
  ) {}

  add(ids: Iterable<number>): void {
    for (const id of ids) this.ids.add(id);
    if (this.ids.size > 0) this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends what has gathered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.ids.size === 0) return;
    const ids = [...this.ids];
    this.ids.clear();
    this.send(ids);
  }

  /** Drops what has gathered (the room is going away). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ids.clear();
  }
}
