import type { Redis } from 'ioredis';
import type { RedisRoomLog } from './redis-log';
import { awarenessChannel, entryOf, roomOfAwarenessChannel, roomOfStreamKey, streamKey } from './redis-log';
import type { Replication } from './storage';

const ID_BYTES = 36;

type Follower = (entries: Array<{ update: Uint8Array; own: boolean }>) => void;

/**
 * Several server instances on one Redis: one blocking XREAD loop per instance follows the streams
 * of every room that has clients here (new updates from any instance, in order), and Redis
 * pub/sub relays awareness. `positions` is shared with the split storage: it is how far each
 * room's document has read its stream, which is what a snapshot may cover.
 */
export class RedisReplication implements Replication {
  private readonly reader: Redis;
  private readonly subscriber: Redis;
  private readonly follows = new Map<string, Follower>();
  private readonly awareness = new Map<string, (update: Uint8Array) => void>();
  private looping = false;
  private closed = false;

  constructor(
    private readonly log: RedisRoomLog,
    private readonly positions: Map<string, string | null>,
  ) {
    // Blocking reads and subscriptions each need a connection of their own.
    this.reader = log.redis.duplicate();
    this.subscriber = log.redis.duplicate();
    this.reader.on('error', () => undefined);
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const room = roomOfAwarenessChannel(channel.toString());
      if (room === null || message.subarray(0, ID_BYTES).toString() === this.instanceId) return;
      this.awareness.get(room)?.(new Uint8Array(message.subarray(ID_BYTES)));
    });
  }

  get instanceId(): string {
    return this.log.instanceId;
  }

  follow(room: string, onEntries: Follower): () => void {
    // A name without a stream key is refused here, not in the loop, where it would stall every room's reads.
    streamKey(room);
    this.follows.set(room, onEntries);
    if (!this.looping) void this.loop();
    return () => {
      if (this.follows.get(room) === onEntries) this.follows.delete(room);
    };
  }

  private async loop(): Promise<void> {
    this.looping = true;
    while (!this.closed && this.follows.size > 0) {
      const rooms = [...this.follows.keys()];
      const ids = rooms.map((r) => this.positions.get(r) ?? '0-0');
      const askedFrom = new Map(rooms.map((r, i) => [r, ids[i]]));
      let result: Array<[Buffer, Array<[Buffer, Buffer[]]>]> | null;
      try {
        // A short block, so rooms that start being followed join the next read soon.
        result = (await this.reader.xreadBuffer('BLOCK', 250, 'STREAMS', ...rooms.map(streamKey), ...ids)) as typeof result;
      } catch {
        // Redis is away: ioredis reconnects with backoff; try again shortly.
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      for (const [key, rows] of result ?? []) {
        const room = roomOfStreamKey(key.toString());
        if (room === null) continue;
        const follower = this.follows.get(room);
        if (!follower || rows.length === 0) continue;
        // While the read waited, the room may have been loaded again (a room whose write failed
        // reloads), setting the position to where its own read of the log ended, which can be
        // before where this read started: the load read the log, then the snapshot, and meanwhile
        // a read for the room's previous document went further. Taking this batch would move the
        // position past entries the new document never got (a gap: Yjs keeps every later change
        // of their authors pending, and compaction covers them), so it is dropped, and the next
        // read starts from the load's position.
        if ((this.positions.get(room) ?? '0-0') !== askedFrom.get(room)) continue;
        const entries = rows.map(([id, fields]) => entryOf(id, fields));
        this.positions.set(room, entries.at(-1)?.id ?? null);
        follower(entries.map((e) => ({ update: e.update, own: e.origin === this.instanceId })));
      }
    }
    this.looping = false;
  }

  publishAwareness(room: string, update: Uint8Array): void {
    void this.log.redis.publish(awarenessChannel(room), Buffer.concat([Buffer.from(this.instanceId.padEnd(ID_BYTES).slice(0, ID_BYTES)), update])).catch(() => undefined);
  }

  onAwareness(room: string, onUpdate: (update: Uint8Array) => void): () => void {
    this.awareness.set(room, onUpdate);
    void this.subscriber.subscribe(awarenessChannel(room)).catch(() => undefined);
    return () => {
      if (this.awareness.get(room) !== onUpdate) return;
      this.awareness.delete(room);
      void this.subscriber.unsubscribe(awarenessChannel(room)).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.reader.disconnect();
    this.subscriber.disconnect();
  }
}
