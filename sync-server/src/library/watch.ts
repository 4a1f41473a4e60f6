import type { Identity } from '../../../shared/src/access';
import { parseRoomName, volumeRoom } from '../../../shared/src/rooms';
import { canAccess } from '../access/volumes';
import { sharedWorkflow } from './readable-volumes';
import { LIBRARY_CHANGE_MS } from './types';

/**
 * Watchers of a library: each is told when what its identity sees (tool and prompt names,
 * descriptions and schemas, resources) changed. A change to a room the identity reads starts a
 * check after `LIBRARY_CHANGE_MS` (changes meanwhile join it); the check compares a fingerprint
 * of the view, so a node moved on a canvas, or a session renamed, tells nobody.
 */
export class LibraryWatchers {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly onError: (error: unknown) => void) {}

  /** Starts watching; `fingerprint` computes what the identity sees, as a string. Returns the stop. */
  add(identity: Identity, fingerprint: () => Promise<string>, onChange: () => void): () => void {
    const watcher = new Watcher(identity, fingerprint, onChange, this.onError);
    this.watchers.add(watcher);
    return () => {
      watcher.stop();
      this.watchers.delete(watcher);
    };
  }

  /**
   * A room's change is durable (every write of every room comes here): every watcher that reads it
   * checks its view soon. Only volume indexes and workflows can change a view; the name is read once.
   */
  roomChanged(roomName: string): void {
    if (this.watchers.size === 0) return;
    const room = parseRoomName(roomName);
    if (!room.ok || (room.value.kind !== 'volume' && room.value.kind !== 'workflow')) return;
    const index = volumeRoom(room.value.volume, room.value.volumeId);
    for (const watcher of this.watchers) if (watcher.reads(roomName, index)) watcher.changed();
  }
}

class Watcher {
  private last: Promise<string | undefined>;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private again = false;
  private stopped = false;

  constructor(
    private readonly identity: Identity,
    private readonly fingerprint: () => Promise<string>,
    private readonly onChange: () => void,
    private readonly onError: (error: unknown) => void,
  ) {
    this.last = this.measure();
  }

  /**
   * Whether a change of this volume index or workflow (`index`: its volume's index) can change what
   * the identity sees: one it reads (a share link: its workflow, and its index, which says whether
   * it is in the trash).
   */
  reads(roomName: string, index: string): boolean {
    if (canAccess(this.identity, index, 'read')) return true;
    const shared = sharedWorkflow(this.identity);
    return shared !== undefined && (roomName === shared.room || index === volumeRoom(shared.ref.volume, shared.ref.volumeId));
  }

  changed(): void {
    if (this.stopped) return;
    if (this.checking) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.check(), LIBRARY_CHANGE_MS);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async measure(): Promise<string | undefined> {
    try {
      return await this.fingerprint();
    } catch (e) {
      this.onError(e);
      return undefined;
    }
  }

  private async check(): Promise<void> {
    this.timer = undefined;
    this.checking = true;
    const before = await this.last;
    const now = this.measure();
    this.last = now;
    const after = await now;
    this.checking = false;
    if (this.stopped) return;
    if (after !== undefined && before !== undefined && after !== before) this.onChange();
    // A failed measure keeps the one before, so the next change is compared with what was last known.
    if (after === undefined) this.last = Promise.resolve(before);
    if (this.again) {
      this.again = false;
      this.changed();
    }
  }
}
