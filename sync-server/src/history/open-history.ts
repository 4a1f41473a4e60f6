import type { StorageChoice } from '../storage/open';
import { connectRedis } from '../storage/redis-log';
import { FileHistory } from './file-history';
import type { HistoryStore } from './history-store';
import { MemoryHistory } from './memory-history';
import { RedisHistory } from './redis-history';
import { S3VersionContent } from './s3-version-content';
import { FileVersionContent } from './version-content';

/**
 * The history store beside the storage `openStorage` opens for the same configuration: with
 * REDIS_URL, the index in Redis (shared by every instance) and content in S3 (S3_BUCKET) or under
 * DATA_DIR; otherwise files under DATA_DIR/history, or memory when the rooms are in memory.
 */
export async function openHistory(config: StorageChoice): Promise<HistoryStore> {
  if (config.redisUrl) {
    const content = config.s3 ? new S3VersionContent(config.s3) : await FileVersionContent.open(config.dataDir);
    return new RedisHistory(connectRedis(config.redisUrl), content);
  }
  if (config.storage === 'memory' && !config.s3) return new MemoryHistory();
  return FileHistory.open(config.dataDir);
}
