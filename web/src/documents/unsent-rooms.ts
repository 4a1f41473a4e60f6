/**
 * Rooms with local changes the server has not confirmed (by a completed sync), remembered
 * across reloads: such a room stays open until it syncs, and is reopened when the app starts,
 * so an edit made offline reaches the server even if nobody opens that room again.
 */
const KEY = 'llmunix.unsent';

function read(): Set<string> {
  try {
    return new Set(JSON.parse(localStorage.getItem(KEY) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

/**
 * Kept in memory, because offline every local update asks; read again when another tab changes
 * it, and merged with what is stored on every change, so tabs do not write over each other.
 */
export class UnsentRooms {
  private cached: Set<string> | null = null;
  private readonly onStorage = (event: StorageEvent) => {
    if (event.key === KEY) this.cached = null;
  };

  constructor() {
    window.addEventListener('storage', this.onStorage);
  }

  private get current(): Set<string> {
    return (this.cached ??= read());
  }

  has(room: string): boolean {
    return this.current.has(room);
  }

  names(): string[] {
    return [...this.current];
  }

  mark(room: string, unsent: boolean): void {
    if (this.current.has(room) === unsent) return;
    const set = read();
    if (unsent) set.add(room);
    else set.delete(room);
    localStorage.setItem(KEY, JSON.stringify([...set]));
    this.cached = set;
  }

  destroy(): void {
    window.removeEventListener('storage', this.onStorage);
  }
}
