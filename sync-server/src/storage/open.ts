import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { FileStorage } from './file';
import { FileRoomLog } from './file-log';
import { FileSnapshotStore } from './file-snapshots';
import { MemoryStorage } from './memory';
import { RedisRoomLog } from './redis-log';
import type { S3BlobStore, S3Config } from './s3-client';
import { S3SnapshotStore } from './s3-snapshots';
import { SplitStorage } from './split';
import type { Storage } from './storage';

/** What of the configuration (`config.ts`) chooses the storage. */
export interface StorageChoice {
  storage: 'file' | 'memory';
  dataDir: string;
  redisUrl?: string;
  s3?: S3Config;
}

/** The storage a configuration asks for, and what of its backends the mirrors write to. */
export interface OpenedStorage {
  storage: Storage;
  /** The Redis connection of the room logs (REDIS_URL), for the mirror of the original's keys. */
  redis?: Redis;
  /** The snapshots' bucket (S3_BUCKET), for the mirror of the original's blob layout. */
  s3Blobs?: S3BlobStore;
}

/**
 * Opens the storage a configuration asks for: with REDIS_URL, room logs in Redis streams (shared
 * by every instance) and snapshots in S3 (S3_BUCKET) or under DATA_DIR; with S3_BUCKET alone,
 * snapshots in S3 and the log on this machine's disk; otherwise the embedded file storage, or
 * memory.
 */
export async function openStorage(config: StorageChoice): Promise<OpenedStorage> {
  const s3 = config.s3 ? new S3SnapshotStore(config.s3) : undefined;
  if (config.redisUrl) {
    const log = RedisRoomLog.connect(config.redisUrl, { instanceId: randomUUID() });
    return { storage: new SplitStorage(log, s3 ?? (await FileSnapshotStore.open(config.dataDir))), redis: log.redis, s3Blobs: s3?.blobs };
  }
  if (s3) return { storage: new SplitStorage(await FileRoomLog.open(config.dataDir), s3), s3Blobs: s3.blobs };
  return { storage: config.storage === 'memory' ? new MemoryStorage() : await FileStorage.open(config.dataDir) };
}
