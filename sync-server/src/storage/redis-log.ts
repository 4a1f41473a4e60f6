import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { onFirstUse } from '../on-first-use';
import { parseRoomName } from '../../../shared/src/rooms';
import type { LogEntry, RoomLog } from './room-log';
import { decodeRoom, encodeRoom } from './room-names';
import { StorageError } from './storage';

const PREFIX = 'llmunix:';
const STREAM_PREFIX = `${PREFIX}log:`;
const AWARENESS_PREFIX = `${PREFIX}awareness:`;
/** One stream per room, named by the room's token (`room-names.ts`), so no name can reach another key. */
export const streamKey = (room: string) => `${STREAM_PREFIX}${encodeRoom(room)}`;
/** The room a stream key belongs to, or null for a key that is not a room's stream. */
export const roomOfStreamKey = (key: string) => (key.startsWith(STREAM_PREFIX) ? decodeRoom(key.slice(STREAM_PREFIX.length)) : null);
/** The pub/sub channel that carries a room's awareness between instances. */
export const awarenessChannel = (room: string) => `${AWARENESS_PREFIX}${encodeRoom(room)}`;
/** The room an awareness channel belongs to, or null for a channel that is not a room's. */
export const roomOfAwarenessChannel = (channel: string) => (channel.startsWith(AWARENESS_PREFIX) ? decodeRoom(channel.slice(AWARENESS_PREFIX.length)) : null);
const ROOMS_KEY = `${PREFIX}rooms`;
const lockKey = (room: string) => `${PREFIX}lock:${encodeRoom(room)}`;

/** A stream entry as stored: fields `u` (the update) and `i` (the instance that appended it). */
export function entryOf(id: Buffer | string, fields: Buffer[]): LogEntry {
  let update: Uint8Array = new Uint8Array();
  let origin: string | undefined;
  for (let f = 0; f + 1 < fields.length; f += 2) {
    const name = fields[f]?.toString();
    if (name === 'u') update = new Uint8Array(fields[f + 1] as Buffer);
    else if (name === 'i') origin = (fields[f + 1] as Buffer).toString();
  }
  return { id: id.toString(), update, origin };
}

/** Stream ids, as XADD makes them: "ms-seq". */
const STREAM_ID = /^[0-9]{1,20}-[0-9]{1,20}$/;

/** The smallest stream id after `id` ("ms-seq" → "ms-(seq+1)"). */
function nextId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq ?? '0') + 1n}`;
}

/** Loaded by the first connection: a server without REDIS_URL never loads it. */
const ioredis = onFirstUse<typeof IORedis>('ioredis');

/** A connection to `url` (redis://host:port/db) that reconnects with backoff and fails calls after `commandTimeoutMs` while Redis is away. */
export function connectRedis(url: string, commandTimeoutMs = 5000): Redis {
  const redis = new (ioredis().Redis)(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 2,
    commandTimeout: commandTimeoutMs,
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2000),
    enableOfflineQueue: true,
  });
  // Connection errors are reported through the calls that fail and /readyz; not thrown here.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * Room logs in Redis streams (XADD / XRANGE / XTRIM MINID). `ioredis` reconnects with backoff by
 * itself; while Redis is away, calls fail after `commandTimeout` and the room that made them
 * closes (clients keep their edits and resend them), rather than hanging.
 */
export class RedisRoomLog implements RoomLog {
  readonly kind = 'redis';

  constructor(
    readonly redis: Redis,
    /** Written beside each update, so followers can tell their own entries. */
    readonly instanceId = '',
  ) {}

  /** Connects to `url` (redis://host:port/db) with reconnection and backoff. */
  static connect(url: string, options: { commandTimeoutMs?: number; instanceId?: string } = {}): RedisRoomLog {
    return new RedisRoomLog(connectRedis(url, options.commandTimeoutMs), options.instanceId);
  }

  private fail(what: string, room: string, e: unknown): never {
    // A StorageError is already ours (an InvalidNameError, say) and keeps its type.
    if (e instanceof StorageError) throw e;
    throw new StorageError(`Redis could not ${what} for room "${room}": ${(e as Error).message}`, room, { cause: e });
  }

  /** The id, when it is a stream id; a StorageError otherwise (Redis would read "" as "from the start"). */
  private checkedId(room: string, id: string): string {
    if (typeof id === 'string' && STREAM_ID.test(id)) return id;
    throw new StorageError(`"${String(id).slice(0, 100)}" is not an id of the Redis log of room "${room}": its ids are stream ids ("ms-seq")`, room);
  }

  async read(room: string, afterId: string | null): Promise<LogEntry[]> {
    try {
      const key = streamKey(room);
      const rows = await this.redis.xrangeBuffer(key, afterId === null ? '-' : `(${this.checkedId(room, afterId)}`, '+');
      return rows.map(([id, fields]) => entryOf(id, fields));
    } catch (e) {
      return this.fail('read the log', room, e);
    }
  }

  async append(room: string, updates: Uint8Array[]): Promise<string[]> {
    if (updates.length === 0) return [];
    try {
      const key = streamKey(room);
      const pipeline = this.redis.multi();
      for (const u of updates) pipeline.xaddBuffer(key, '*', 'u', Buffer.from(u.buffer, u.byteOffset, u.byteLength), 'i', this.instanceId);
      pipeline.sadd(ROOMS_KEY, room);
      const results = (await pipeline.exec()) ?? [];
      const ids: string[] = [];
      for (const [error, value] of results.slice(0, updates.length)) {
        if (error) throw error;
        ids.push(String(value));
      }
      return ids;
    } catch (e) {
      return this.fail('append to the log', room, e);
    }
  }

  async trim(room: string, upToId: string): Promise<void> {
    try {
      const key = streamKey(room);
      await this.redis.xtrim(key, 'MINID', nextId(this.checkedId(room, upToId)));
    } catch (e) {
      this.fail('trim the log', room, e);
    }
  }

  async release(): Promise<void> {}

  async delete(room: string): Promise<void> {
    try {
      // The stream and the room's place in the set of rooms go together.
      const results = (await this.redis.multi().del(streamKey(room)).srem(ROOMS_KEY, room).exec()) ?? [];
      for (const [error] of results) if (error) throw error;
    } catch (e) {
      this.fail('delete the log', room, e);
    }
  }

  async list(): Promise<string[]> {
    // The set is shared with whatever else writes this Redis: only room names are rooms.
    return (await this.redis.smembers(ROOMS_KEY)).filter((room) => parseRoomName(room).ok).sort();
  }

  /**
   * Runs `fn` holding the room's compaction lock (a key with an expiry, so a crashed holder
   * frees it); resolves false without running it when another instance holds the lock.
   */
  async withLock(room: string, ttlMs: number, fn: () => Promise<void>): Promise<boolean> {
    const token = `${this.instanceId}:${Date.now()}:${Math.random()}`;
    if ((await this.redis.set(lockKey(room), token, 'PX', ttlMs, 'NX')) !== 'OK') return false;
    try {
      await fn();
    } finally {
      // Release only our own lock, atomically.
      await this.redis.eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0", 1, lockKey(room), token).catch(() => undefined);
    }
    return true;
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const pong = await Promise.race([this.redis.ping(), new Promise<string>((_, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000))]);
      return pong === 'PONG' ? { ok: true } : { ok: false, detail: `Redis answered ${pong}` };
    } catch (e) {
      return { ok: false, detail: `Redis is not reachable: ${(e as Error).message}` };
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
