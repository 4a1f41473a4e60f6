import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { readMessages, readSessionMeta, sessionExists } from '../../../shared/src/documents/session';
import { listTrash } from '../../../shared/src/documents/trash';
import { listSessions, listSkillSources, listWorkflows } from '../../../shared/src/documents/volume-index';
import { readWorkflowGraph, readWorkflowMeta, readWorkflowNotes } from '../../../shared/src/documents/workflow';
import { isValidId, parseRoomName, sessionRoom, volumeRoom, workflowRoom, type RoomName } from '../../../shared/src/rooms';
import { toWorkflowFile } from '../../../shared/src/workflow/file';
import type { Config } from '../config';
import { BlobMirror } from './blob-mirror';
import { MirrorCatchUp, type CatchUpOptions } from './catch-up';
import { FileBlobStore, type BlobStore } from './blob-store';
import { ListingReads } from './listing-reads';
import { RedisMirror, type MirroredSession } from './redis-mirror';
import { RoomQueue, type RoomQueueOptions } from './room-queue';
import type { Storage, StorageHealth } from '../storage/storage';
import { storedRoomReader, type RoomReader } from './stored-rooms';

const MIRROR_TIMING: RoomQueueOptions = {
  debounceMs: 150,
  maxWaitMs: 1000,
  concurrency: 8,
  retryBaseMs: 1000,
  retryMaxMs: 30_000,
  maxAttempts: 8,
};

const CATCH_UP_TIMING: CatchUpOptions = {
  startDelayMs: 1000,
  concurrency: 4,
  probeBaseMs: 1000,
  probeMaxMs: 30_000,
};

/** What the catch-up reads of the storage: the rooms it holds and whether its backends answer. */
export type StoredRooms = Pick<Storage, 'list' | 'health'>;

type VolumeRoom = Extract<RoomName, { kind: 'volume' }>;

/**
 * The read models of DESIGN §6, rebuilt from the documents after their changes are durable:
 * the original's Redis keys (`redis`) and its blob layout (`blobs`). A room's change is mirrored
 * once it has settled (debounced per room, so a busy room is read from storage at most about
 * once a second), from the document as it is then stored, so what is written is always a whole
 * state and writing it twice, or from two instances, is harmless. Mirrors read the durable side,
 * never the rooms in memory: they neither keep a room loaded nor load one again at shutdown.
 *
 * - a volume index: its session set (Redis), its skill files, and the deletion of the files of
 *   removed skills and workflows and of the keys of removed sessions;
 * - a session room: `session:{id}` and its messages, while its volume lists it;
 * - a workflow room: `workflows/{id}.json`, while its volume lists it;
 * - a workflow's runs room: nothing (the original kept no run history).
 *
 * Ids come from validated room names and document keys; a key that is not a valid id is
 * skipped (and logged), so nothing is written outside its folder or key prefix.
 */
export class Mirrors {
  private readonly queue: RoomQueue;
  /** Who each volume lists, read once for the workflow and session jobs that follow within `maxWaitMs`. */
  private readonly listings: ListingReads;
  /** Mirrors what no change will: rooms from before the mirrors, and those a failed write left behind. */
  readonly catchUp: MirrorCatchUp;

  constructor(
    private readonly reader: RoomReader,
    private readonly targets: { redis?: RedisMirror; blobs?: BlobMirror },
    private readonly log: Logger,
    stored: StoredRooms = { list: async () => [], health: async (): Promise<StorageHealth> => ({ ok: true }) },
    timing: RoomQueueOptions = MIRROR_TIMING,
    catchUpTiming: CatchUpOptions = CATCH_UP_TIMING,
  ) {
    this.listings = new ListingReads(reader, timing.maxWaitMs);
    this.catchUp = new MirrorCatchUp({ list: () => stored.list(), health: () => stored.health(), run: (room) => this.queue.runNow(room) }, catchUpTiming, log);
    this.queue = new RoomQueue(
      async (room) => {
        try {
          await this.mirror(room);
        } catch (e) {
          // The queue retries this room a few times; the catch-up covers whatever else the outage cost.
          this.catchUp.failed(room);
          throw e;
        }
      },
      // A volume and the rooms it lists are mirrored one at a time, in the order they settle.
      (room) => room.split('/').slice(0, 2).join('/'),
      timing,
      log,
    );
  }

  /** Notes that a room's changes are durable; it is mirrored once it settles. */
  changed(room: string): void {
    this.listings.forget(room);
    this.queue.schedule(room);
  }

  /**
   * Starts the catch-up: a pass over every stored room shortly after start (in the background:
   * it never delays listening), and another whenever a failed mirror write's backend is back.
   */
  startCatchUp(): void {
    this.catchUp.start();
  }

  /** Mirrors every room with changes not yet mirrored, now (giving up after `timeoutMs`), then ignores later changes. */
  async close(timeoutMs = 5000): Promise<void> {
    this.catchUp.stop();
    await this.within(this.queue.close(), timeoutMs);
    this.queue.stop();
    this.listings.clear();
  }

  /** Waits for `work`, or for `timeoutMs` when a backend is down: shutdown must not hang on a read model. */
  private async within(work: Promise<void>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.log.warn({ timeoutMs }, 'mirrors not written in time; they catch up with the next changes');
  }

  private async mirror(name: string): Promise<void> {
    const room = parseRoomName(name);
    if (!room.ok) {
      this.log.warn({ room: name }, 'mirror: not a room name, skipped');
      return;
    }
    const r = room.value;
    switch (r.kind) {
      case 'volume':
        return this.mirrorVolume(r);
      case 'session':
        return this.mirrorSession(r);
      case 'workflow':
        return this.mirrorWorkflow(r);
      case 'runs':
        // A run history has no read model in the original: its runs are read from the room.
        return;
    }
  }

  /** Keeps the ids that can name a key or file; the rest are logged and skipped. */
  private validIds(ids: Iterable<string>, what: string, room: string): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (isValidId(id)) out.push(id);
      else this.log.warn({ room, [what]: id.slice(0, 200) }, `mirror: ${what} is not a valid id, skipped`);
    }
    return out;
  }

  private async mirrorVolume(r: VolumeRoom): Promise<void> {
    const { redis, blobs } = this.targets;
    const name = volumeRoom(r.volume, r.volumeId);
    const index = await this.reader.read(name, (doc) => ({
      sessions: listSessions(doc).map((s) => s.id),
      trashedSessions: listTrash(doc, r).flatMap((e) => (e.kind === 'session' ? [e.item_id] : [])),
      workflows: listWorkflows(doc).map((w) => w.id),
      skills: listSkillSources(doc),
    }));
    if (redis) {
      const added = await redis.writeVolumeSessions(r.volume, r.volumeId, this.validIds(index.sessions, 'session', name), this.validIds(index.trashedSessions, 'session', name));
      for (const id of added) this.queue.schedule(sessionRoom(r.volume, r.volumeId, id));
    }
    if (blobs) {
      const skillIds = new Set(this.validIds(index.skills.keys(), 'skill', name));
      const skills = new Map([...index.skills].filter(([id]) => skillIds.has(id)));
      const missing = await blobs.writeVolume(r.volume, r.volumeId, skills, this.validIds(index.workflows, 'workflow', name));
      for (const id of missing) this.queue.schedule(workflowRoom(r.volume, r.volumeId, id));
    }
  }

  private async mirrorSession(r: Extract<RoomName, { kind: 'session' }>): Promise<void> {
    const { redis } = this.targets;
    if (!redis) return;
    const listed = (await this.listings.read(volumeRoom(r.volume, r.volumeId))).sessions.has(r.id);
    const session = !listed
      ? null
      : await this.reader.read(sessionRoom(r.volume, r.volumeId, r.id), (doc): MirroredSession | null =>
          sessionExists(doc)
            ? {
                // Where the session lives is its room's name, whatever its meta says.
                meta: { ...readSessionMeta(doc), id: r.id, volume: r.volume, volume_id: r.volumeId },
                messages: readMessages(doc).map(({ role, content, timestamp, traces, artifacts }) => ({ role, content, timestamp, traces, artifacts })),
              }
            : null,
        );
    await redis.writeSession(r.id, session);
  }

  private async mirrorWorkflow(r: Extract<RoomName, { kind: 'workflow' }>): Promise<void> {
    const { blobs } = this.targets;
    if (!blobs) return;
    const listing = (await this.listings.read(volumeRoom(r.volume, r.volumeId))).workflows.get(r.id);
    const file = !listing
      ? null
      : await this.reader.read(workflowRoom(r.volume, r.volumeId, r.id), (doc) => {
          const meta = readWorkflowMeta(doc);
          // As the app exports it: the room's name and description, else the listing's.
          return toWorkflowFile({ name: meta.name || listing.name, description: meta.description || listing.description }, { ...readWorkflowGraph(doc), notes: readWorkflowNotes(doc) });
        });
    await blobs.writeWorkflow(r.volume, r.volumeId, r.id, file);
  }
}

/**
 * The mirrors a configuration asks for: the Redis keys when there is a Redis (REDIS_URL), the
 * blobs in S3 when there is a bucket (S3_BUCKET), else under DATA_DIR with the file storage;
 * none with the memory storage alone.
 */
export function openMirrors(
  config: Pick<Config, 'storage' | 'dataDir'>,
  storage: Pick<Storage, 'read' | 'list' | 'health'>,
  backends: { redis?: Redis; s3Blobs?: BlobStore },
  log: Logger,
): Mirrors | undefined {
  const redis = backends.redis ? new RedisMirror(backends.redis, log) : undefined;
  const store = backends.s3Blobs ?? (config.storage === 'file' ? new FileBlobStore(config.dataDir) : undefined);
  const blobs = store ? new BlobMirror(store, log) : undefined;
  if (!redis && !blobs) return undefined;
  return new Mirrors(storedRoomReader(storage), { redis, blobs }, log, storage);
}
