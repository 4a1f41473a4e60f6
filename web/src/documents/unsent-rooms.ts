/**
 * Rooms with local changes the server has not confirmed (by a completed sync), and how many
 * changes wait in each, remembered across reloads: such a room stays open until it syncs, and
 * is reopened when the app starts, so an edit made offline reaches the server even if nobody
 * opens that room again; and the badge still counts what waits after a reload.
 */
const KEY = 'llmunix.unsent';

function read(): Map<string, number> {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as unknown;
    // Earlier versions kept a list of room names, without counts: each waited at least one change.
    if (Array.isArray(saved)) return new Map(saved.filter((r): r is string => typeof r === 'string').map((r) => [r, 1]));
    if (!saved || typeof saved !== 'object') return new Map();
    return new Map(Object.entries(saved).filter((e): e is [string, number] => typeof e[1] === 'number' && e[1] > 0));
  } catch {
    return new Map();
  }
}

/**
 * Kept in memory, because offline every local update asks; read again when another tab changes
 * it, so tabs do not write over each other's counts.
 */
export class UnsentRooms {
  private cached: Map<string, number> | null = null;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === KEY) this.cached = null;
  };

  constructor() {
    window.addEventListener('storage', this.onStorage);
  }

  private get current(): Map<string, number> {
    return (this.cached ??= read());
  }

  has(room: string): boolean {
    return this.current.has(room);
  }

  names(): string[] {
    return [...this.current.keys()];
  }

  /** How many changes to a room wait to be sent, as far as any earlier page of this browser knew. */
  count(room: string): number {
    return this.current.get(room) ?? 0;
  }

  /** Counts one more local change to a room that the server has not confirmed. */
  add(room: string): void {
    this.write((saved) => saved.set(room, (saved.get(room) ?? 0) + 1));
  }

  /** The server has everything of a room (or its copy was thrown away). */
  clear(room: string): void {
    if (!this.current.has(room)) return;
    this.write((saved) => saved.delete(room));
  }

  private write(change: (saved: Map<string, number>) => void): void {
    // Another tab's change drops the cached copy (the storage event), so it is current: no
    // re-read of localStorage on each change, which offline is every keystroke.
    const saved = new Map(this.current);
    change(saved);
    try {
      localStorage.setItem(KEY, JSON.stringify(Object.fromEntries(saved)));
    } catch {
      // Storage refused: the count lasts this page only; the room still waits in memory.
    }
    this.cached = saved;
  }

  destroy(): void {
    window.removeEventListener('storage', this.onStorage);
  }
}
