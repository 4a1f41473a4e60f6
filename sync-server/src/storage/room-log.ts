/**
 * A room's append-only update log kept apart from its snapshots (a Redis stream per room, see
 * DESIGN §6, or a file per room). Entries have ids ordered within a room, so a snapshot can say
 * which entries it covers and compaction can trim exactly those. Every log passes the contract
 * suite in `sync-server/test/room-log-contract.ts`.
 */
export interface LogEntry {
  id: string;
  update: Uint8Array;
  /** The server instance that appended it (so an instance can skip its own when following). */
  origin?: string;
}

export interface RoomLog {
  readonly kind: string;
  /** Entries after `afterId` (all when null), in order. */
  read(room: string, afterId: string | null): Promise<LogEntry[]>;
  /** Appends updates in order; resolves with their ids once they are durable in the log. */
  append(room: string, updates: Uint8Array[]): Promise<string[]>;
  /** Drops the entries up to and including `upToId` (they are in a snapshot now). */
  trim(room: string, upToId: string): Promise<void>;
  /** Frees what the log holds for a room no longer in memory (an open file, say). */
  release(room: string): Promise<void>;
  /** Drops every entry of a room and the room itself (fine when it has none); its ids may start again. */
  delete(room: string): Promise<void>;
  /** Every room with log entries. */
  list(): Promise<string[]>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}
