import { checkedRoom, type Storage, type StorageHealth, type StoredRoom } from './storage';

/** Keeps rooms in process memory: for tests and throwaway servers. Refuses what the durable backends refuse. */
export class MemoryStorage implements Storage {
  readonly kind = 'memory';
  private readonly rooms = new Map<string, StoredRoom>();

  load(room: string): Promise<StoredRoom> {
    return this.read(room);
  }

  async read(room: string): Promise<StoredRoom> {
    const stored = this.rooms.get(checkedRoom(room));
    return { snapshot: stored?.snapshot?.slice() ?? null, updates: stored?.updates.map((u) => u.slice()) ?? [] };
  }

  async append(room: string, updates: Uint8Array[]): Promise<void> {
    const stored = this.rooms.get(checkedRoom(room)) ?? { snapshot: null, updates: [] };
    stored.updates.push(...updates.map((u) => u.slice()));
    this.rooms.set(room, stored);
  }

  async compact(room: string, snapshot: Uint8Array): Promise<void> {
    this.rooms.set(checkedRoom(room), { snapshot: snapshot.slice(), updates: [] });
  }

  async list(): Promise<string[]> {
    return [...this.rooms.keys()];
  }

  async release(): Promise<void> {}

  async delete(room: string): Promise<void> {
    this.rooms.delete(checkedRoom(room));
  }

  async health(): Promise<StorageHealth> {
    return { ok: true };
  }

  async close(): Promise<void> {}
}
