/**
 * Where compacted room snapshots live when they are kept apart from the log (S3 in production,
 * see DESIGN §6). A snapshot records the log position it covers, so a room loads as the
 * snapshot plus the log entries after that position.
 */
export interface Snapshot {
  data: Uint8Array;
  /** The id of the last log entry merged into this snapshot (a Redis stream id), or null. */
  upTo: string | null;
}

export interface SnapshotStore {
  readonly kind: string;
  /** The room's snapshot, or null when it has none. */
  get(room: string): Promise<Snapshot | null>;
  /** Replaces the room's snapshot atomically (a reader sees the old one or the new one whole). */
  put(room: string, snapshot: Snapshot): Promise<void>;
  /** Every room with a snapshot. */
  list(): Promise<string[]>;
  /** Deletes a room's snapshot (fine when it has none). */
  delete(room: string): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}
