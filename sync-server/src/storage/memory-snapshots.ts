import type { Snapshot, SnapshotStore } from './snapshot-store';
import { checkedRoom } from './storage';

/** Snapshots in process memory, for tests and single-process setups with a shared log. Refuses what the durable stores refuse. */
export class MemorySnapshotStore implements SnapshotStore {
  readonly kind = 'memory';
  private readonly snapshots = new Map<string, Snapshot>();

  async get(room: string): Promise<Snapshot | null> {
    const s = this.snapshots.get(checkedRoom(room));
    return s ? { data: s.data.slice(), upTo: s.upTo } : null;
  }

  async put(room: string, snapshot: Snapshot): Promise<void> {
    this.snapshots.set(checkedRoom(room), { data: snapshot.data.slice(), upTo: snapshot.upTo });
  }

  async list(): Promise<string[]> {
    return [...this.snapshots.keys()].sort();
  }

  async delete(room: string): Promise<void> {
    this.snapshots.delete(checkedRoom(room));
  }

  async health(): Promise<{ ok: boolean }> {
    return { ok: true };
  }

  async close(): Promise<void> {}
}
