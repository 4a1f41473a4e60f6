import { RedisRoomLog } from './redis-log';
import { RedisReplication } from './redis-replication';
import type { RoomLog } from './room-log';
import type { SnapshotStore } from './snapshot-store';
import { StorageError, type Replication, type Storage, type StorageHealth, type StoredRoom } from './storage';

/** How long a compaction may hold a room's lock before another instance may take over. */
const COMPACTION_LOCK_MS = 60_000;
/**
 * Entries younger than this stay in a shared log after compaction: another instance following
 * the room may not have read them yet, and it learns of snapshots only when it reloads.
 */
export const TRIM_GRACE_MS = 30_000;


/** Orders two stream ids ("ms-seq") numerically. */
function compareIds(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map((x) => BigInt(x || 0));
  const [bm = 0n, bs = 0n] = b.split('-').map((x) => BigInt(x || 0));
  return am !== bm ? (am < bm ? -1 : 1) : as === bs ? 0 : as < bs ? -1 : 1;
}

/**
 * The earlier of two stream ids. The log is trimmed up to a bound, not necessarily an entry's
 * id (XTRIM MINID drops whatever lies before it), so no entry needs reading to find it.
 */
function earlierId(upTo: string, cutoff: string): string {
  return compareIds(upTo, cutoff) <= 0 ? upTo : cutoff;
}

/**
 * A room kept in two places: its log (Redis, or a file) and its compacted snapshot (S3, or a
 * file). Loading reads the snapshot, then the log entries after the position it covers;
 * compacting writes a snapshot that covers everything appended so far, then trims the log up to
 * that position.
 */
export class SplitStorage implements Storage {
  readonly kind: string;
  readonly replication?: Replication;
  /**
   * How far each loaded room's document has read its log, in order: entries up to here are in
   * the document, so a snapshot taken now covers them and the log may drop them. Appends do not
   * move it (another instance's entry may sit before ours, unread); following does.
   */
  private readonly positions = new Map<string, string | null>();

  constructor(
    private readonly log: RoomLog,
    private readonly snapshots: SnapshotStore,
  ) {
    this.kind = `${log.kind}+${snapshots.kind}`;
    if (log instanceof RedisRoomLog) this.replication = new RedisReplication(log, this.positions);
  }

  async load(room: string): Promise<StoredRoom> {
    const { stored, position } = await this.readWithPosition(room);
    this.positions.set(room, position);
    return stored;
  }

  /** As `load`, without recording the position: that belongs to the loaded room, whose follower starts there. */
  async read(room: string): Promise<StoredRoom> {
    return (await this.readWithPosition(room)).stored;
  }

  private async readWithPosition(room: string): Promise<{ stored: StoredRoom; position: string | null }> {
    // The log before the snapshot: another instance compacting meanwhile writes its snapshot
    // before it trims, so a log read after the trim is paired with that snapshot or a newer one.
    // (Snapshot first, a trim between the reads would drop entries neither holds.)
    const all = await this.log.read(room, null);
    const snapshot = await this.snapshots.get(room);
    const upTo = snapshot?.upTo ?? null;
    const entries = upTo === null ? all : all.filter((e) => compareIds(e.id, upTo) > 0);
    return {
      stored: { snapshot: snapshot?.data ?? null, updates: entries.map((e) => e.update) },
      position: entries.at(-1)?.id ?? snapshot?.upTo ?? null,
    };
  }

  async append(room: string, updates: Uint8Array[]): Promise<void> {
    await this.log.append(room, updates);
  }

  async compact(room: string, snapshot: Uint8Array): Promise<void> {
    // How far the room had read when its document was encoded (the caller does so in the same
    // tick): while this awaits the lock and the log, the room follows on and applies entries
    // the snapshot lacks, so the position then would cover them and every later load skip them.
    const read = this.positions.get(room) ?? null;
    const run = async () => {
      // Entries up to the read position are in the document, so only those after it are read:
      // a room loaded from a long log reads none (reading all 100,000 of a Redis stream again
      // was most of a compaction's time).
      const entries = await this.log.read(room, read);
      // Past the read position, this instance's own entries are in the snapshot too (they came
      // from the document, and the room appends nothing while it compacts); another instance's
      // entry there may not be, so the snapshot stops before the first one.
      let upTo = read;
      const instance = this.replication?.instanceId;
      for (const entry of entries) {
        if (instance !== undefined && entry.origin !== instance) break;
        upTo = entry.id;
      }
      await this.snapshots.put(room, { data: snapshot, upTo });
      if (!upTo) return;
      // With followers, trim only what every instance has surely read by now: entries up to the
      // snapshot's position made before the grace period (a stream id starts with its time).
      const trimTo = this.replication ? earlierId(upTo, `${Date.now() - TRIM_GRACE_MS}-0`) : upTo;
      await this.log.trim(room, trimTo);
    };
    // One instance compacts a room at a time; another's compaction covers this one's too.
    if (this.log instanceof RedisRoomLog) await this.log.withLock(room, COMPACTION_LOCK_MS, run);
    else await run();
  }

  async list(): Promise<string[]> {
    const [a, b] = await Promise.all([this.log.list(), this.snapshots.list()]);
    return [...new Set([...a, ...b])].sort();
  }

  async release(room: string): Promise<void> {
    this.positions.delete(room);
    await this.log.release(room);
  }

  async delete(room: string): Promise<void> {
    const run = async () => {
      this.positions.delete(room);
      // The snapshot first: a snapshot left without its log would hide a new log's entries (a
      // file log's ids start again), while a log left without its snapshot is only part of the
      // room, deleted when the purge runs again.
      await this.snapshots.delete(room);
      await this.log.delete(room);
    };
    // Under the compaction lock: another instance's compaction must not put a snapshot back.
    if (this.log instanceof RedisRoomLog) {
      if (!(await this.log.withLock(room, COMPACTION_LOCK_MS, run))) {
        throw new StorageError(`room "${room}" is being compacted by another instance; delete it again in a moment`, room);
      }
    } else await run();
  }

  async health(): Promise<StorageHealth> {
    const [log, snapshots] = await Promise.all([this.log.health(), this.snapshots.health()]);
    const problems = [log.ok ? '' : `${this.log.kind}: ${log.detail ?? 'down'}`, snapshots.ok ? '' : `${this.snapshots.kind}: ${snapshots.detail ?? 'down'}`].filter(Boolean);
    const backends = { [this.log.kind]: log, [`${this.snapshots.kind} snapshots`]: snapshots };
    return problems.length === 0 ? { ok: true, backends } : { ok: false, detail: problems.join('; '), backends };
  }

  async close(): Promise<void> {
    if (this.replication instanceof RedisReplication) await this.replication.close();
    await Promise.all([this.log.close(), this.snapshots.close()]);
  }
}
