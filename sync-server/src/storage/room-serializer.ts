import { StorageError } from './storage';

/**
 * Runs each room's operations one after another, in call order, and different rooms'
 * independently: a file log's append, read and trim of one room never interleave. After
 * `close`, new operations are refused.
 */
export class RoomSerializer {
  /** The tail of each room's chain, only while the room has work in flight. */
  private readonly chains = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(private readonly what: string) {}

  run<T>(room: string, op: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StorageError(`${this.what} is closed`, room));
    const next = (this.chains.get(room) ?? Promise.resolve()).then(op, op);
    const settled = next.catch(() => undefined);
    this.chains.set(room, settled);
    void settled.then(() => {
      if (this.chains.get(room) === settled) this.chains.delete(room);
    });
    return next;
  }

  /** Refuses new operations and waits for those in flight. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.chains.values()]);
  }
}
