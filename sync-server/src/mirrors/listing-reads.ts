import { listSessions, listWorkflows } from '../../../shared/src/documents/volume-index';
import type { RoomReader } from './stored-rooms';

/** Who a volume index lists: what the mirrors of its workflows and sessions read of it. */
export interface VolumeListings {
  /** Workflow id → its listing's name and description. */
  workflows: Map<string, { name: string; description: string }>;
  sessions: Set<string>;
}

interface Held {
  read: Promise<VolumeListings>;
  timer: NodeJS.Timeout;
}

/**
 * Reads of who volume indexes list, shared by the mirror jobs that ask within `freshMs` of a read.
 * Every workflow and session job needs its volume's listing, and the jobs of one volume run one at
 * a time (its lane): reading and decoding the whole index once per job made a burst of rooms
 * settling (rooms opened, written and left in turn) outrun the lane. Measured on the chaos churn
 * with an index of 300 workflows: about 85 jobs/s against 240 rooms/s arriving, so the lane's
 * backlog grew by some 6,000 rooms per 10,000, each waiting job holding its chain of promises
 * (about 850 bytes of heap), and the server's memory grew with every pass.
 *
 * A read held is dropped when its volume changes on this instance (`forget`, from the durable
 * change), so no job uses a listing older than a change this instance made durable; and after
 * `freshMs` whatever happens, which bounds how late a change made through another instance is
 * seen (the mirrors pass `maxWaitMs`, the longest a settled change waits to be mirrored anyway).
 * Only the listings are held (ids, names, descriptions), never the decoded index, and only for
 * volumes read within the last `freshMs`.
 */
export class ListingReads {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly reader: RoomReader,
    private readonly freshMs: number,
  ) {}

  /** Who the volume index `volumeRoom` lists, from a read at most `freshMs` old. */
  read(volumeRoom: string): Promise<VolumeListings> {
    const held = this.held.get(volumeRoom);
    if (held) return held.read;
    const read = this.reader.read(volumeRoom, (doc) => ({
      workflows: new Map(listWorkflows(doc).map((w) => [w.id, { name: w.name, description: w.description }])),
      sessions: new Set(listSessions(doc).map((s) => s.id)),
    }));
    const entry: Held = { read, timer: setTimeout(() => this.drop(volumeRoom, entry), this.freshMs) };
    entry.timer.unref();
    this.held.set(volumeRoom, entry);
    // A failed read is not shared: the next job reads again.
    read.catch(() => this.drop(volumeRoom, entry));
    return read;
  }

  /** A room changed: a read of it held is not used again. Any room name may be passed (only volume indexes are held). */
  forget(room: string): void {
    const held = this.held.get(room);
    if (held) this.drop(room, held);
  }

  /** How many volumes' listings are held now. */
  get size(): number {
    return this.held.size;
  }

  /** Drops every read held. */
  clear(): void {
    for (const [room, held] of this.held) this.drop(room, held);
  }

  private drop(room: string, entry: Held): void {
    clearTimeout(entry.timer);
    if (this.held.get(room) === entry) this.held.delete(room);
  }
}
