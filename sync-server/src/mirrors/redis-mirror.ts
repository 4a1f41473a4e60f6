import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Json } from '../../../shared/src/json';
import type { MessageRole, SessionMeta } from '../../../shared/src/documents/session';
import { isValidId, type Volume } from '../../../shared/src/rooms';
import { checkedId, checkedVolume } from '../storage/storage';

/**
 * The original's keys (its `redis_client.py` layout). Keys are built from checked ids only: an id
 * holding ":" could name another key (`session:x:messages`), so anything else is an InvalidNameError.
 */
export const sessionKey = (id: string): string => `session:${checkedId(id, 'session id')}`;
export const sessionMessagesKey = (id: string): string => `session:${checkedId(id, 'session id')}:messages`;
export const volumeSessionsKey = (volume: Volume, volumeId: string): string => `${checkedVolume(volume, volumeId).replace('/', ':')}:sessions`;
export const ALL_SESSIONS_KEY = 'all:sessions';

/** A message in the original's shape: these five fields, nothing else. */
export interface MirroredMessage {
  role: MessageRole;
  content: string;
  timestamp: string;
  traces: Json[] | null;
  artifacts: string[] | null;
}

/** What the mirror holds of one session. */
export interface MirroredSession {
  meta: SessionMeta;
  messages: MirroredMessage[];
}

async function exec(multi: ChainableCommander): Promise<void> {
  const results = (await multi.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
}

/**
 * The original's Redis keys, rebuilt from the documents: `session:{id}` (the session as JSON),
 * `session:{id}:messages` (a list of JSON messages), `{volume}:{volume_id}:sessions` (the ids a
 * volume lists) and `all:sessions`. Each call writes the whole of what it covers in one MULTI,
 * so any instance may write it again and a reader never sees half a rewrite.
 */
export class RedisMirror {
  constructor(
    private readonly redis: Redis,
    private readonly log: Logger,
  ) {}

  /** Writes a session and its messages, or deletes both when it does not exist or is not listed (null). */
  async writeSession(id: string, session: MirroredSession | null): Promise<void> {
    const multi = this.redis.multi();
    if (session) {
      multi.set(sessionKey(id), JSON.stringify(session.meta));
      multi.del(sessionMessagesKey(id));
      if (session.messages.length > 0) multi.rpush(sessionMessagesKey(id), ...session.messages.map((m) => JSON.stringify(m)));
    } else {
      multi.del(sessionKey(id), sessionMessagesKey(id));
    }
    await exec(multi);
  }

  /**
   * Makes a volume's session set hold exactly the ids its index lists, keeps `all:sessions` in
   * step, and deletes the keys of sessions no longer listed, and of those in its trash (`trashed`:
   * a session trashed before it reached the set has keys its room's mirror wrote, which nothing
   * else would delete). Returns the ids that were not in the set yet, whose own keys the caller
   * writes from their rooms.
   */
  async writeVolumeSessions(volume: Volume, volumeId: string, ids: string[], trashed: string[] = []): Promise<string[]> {
    const key = volumeSessionsKey(volume, volumeId);
    const before = new Set(await this.redis.smembers(key));
    const listed = new Set(ids);
    const added = ids.filter((id) => !before.has(id));
    const removed = [...new Set([...before, ...trashed])].filter((id) => !listed.has(id));
    const multi = this.redis.multi();
    if (ids.length > 0) {
      multi.sadd(key, ...ids);
      multi.sadd(ALL_SESSIONS_KEY, ...ids);
    }
    if (removed.length > 0) {
      this.log.debug({ volume, volumeId, removed }, 'mirror: sessions removed from their volume');
      multi.srem(key, ...removed);
      multi.srem(ALL_SESSIONS_KEY, ...removed);
      // Ids read back from Redis are checked like any other before they name a key.
      const gone = removed.filter(isValidId);
      if (gone.length > 0) multi.del(...gone.flatMap((id) => [sessionKey(id), sessionMessagesKey(id)]));
    }
    await exec(multi);
    return added;
  }
}
