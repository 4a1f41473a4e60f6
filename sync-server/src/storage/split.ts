import type { RoomLog } from './room-log';
import type { SnapshotStore } from './snapshot-store';
import type { Storage, StorageHealth, StoredRoom } from './storage';

/**
 * A room kept in two places: its log (Redis) and its compacted snapshot (S3). Loading reads the
 * snapshot, then the log entries after the position it covers; compacting writes a snapshot
 * that covers everything appended so far, then trims the log up to that position.
 */
export class SplitStorage implements Storage {
  readonly kind: string;
  /**
   * The last log id this process appended or read per room: what a new snapshot covers. With one
   * writer per room that is every entry; with several server instances writing one stream, the
   * room must pass the position it has read up to in order instead (the scale-out step).
   */
  private readonly lastId = new Map<string, string>();

  constructor(
    private readonly log: RoomLog,
    private readonly snapshots: SnapshotStore,
  ) {
    this.kind = `${log.kind}+${snapshots.kind}`;
  }

  async load(room: string): Promise<StoredRoom> {
    const snapshot = await this.snapshots.get(room);
    const entries = await this.log.read(room, snapshot?.upTo ?? null);
    const last = entries.at(-1)?.id ?? snapshot?.upTo;
    if (last) this.lastId.set(room, last);
    return { snapshot: snapshot?.data ?? null, updates: entries.map((e) => e.update) };
  }

  async append(room: string, updates: Uint8Array[]): Promise<void> {
    const ids = await this.log.append(room, updates);
    const last = ids.at(-1);
    if (last) this.lastId.set(room, last);
  }

  async compact(room: string, snapshot: Uint8Array): Promise<void> {
    const upTo = this.lastId.get(room) ?? null;
    await this.snapshots.put(room, { data: snapshot, upTo });
    if (upTo) await this.log.trim(room, upTo);
  }

  async list(): Promise<string[]> {
    const [a, b] = await Promise.all([this.log.list(), this.snapshots.list()]);
    return [...new Set([...a, ...b])].sort();
  }

  async release(room: string): Promise<void> {
    this.lastId.delete(room);
  }

  async health(): Promise<StorageHealth> {
    const [log, snapshots] = await Promise.all([this.log.health(), this.snapshots.health()]);
    const problems = [log.ok ? '' : `${this.log.kind}: ${log.detail ?? 'down'}`, snapshots.ok ? '' : `${this.snapshots.kind}: ${snapshots.detail ?? 'down'}`].filter(Boolean);
    return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
  }

  async close(): Promise<void> {
    await Promise.all([this.log.close(), this.snapshots.close()]);
  }
}
