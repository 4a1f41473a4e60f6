import type { Snapshot, SnapshotStore } from './snapshot-store';

/** Snapshots in process memory, for tests and single-process setups with a shared log. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = 'memory';
  private readonly snapshots = new Map<string, Snapshot>();

  async get(room: string): Promise<Snapshot | null> {
    const s = this.snapshots.get(room);
    return s ? { data: s.data.slice(), upTo: s.upTo } : null;
  }

  async put(room: string, snapshot: Snapshot): Promise<void> {
    this.snapshots.set(room, { data: snapshot.data.slice(), upTo: snapshot.upTo });
  }

  async list(): Promise<string[]> {
    return [...this.snapshots.keys()].sort();
  }

  async health(): Promise<{ ok: boolean }> {
    return { ok: true };
  }

  async close(): Promise<void> {}
}
