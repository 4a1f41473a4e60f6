import fs from 'node:fs/promises';
import path from 'node:path';

/** The errors a write gets when the disk (or the user's quota on it) has no room left. */
const FULL_CODES = new Set(['ENOSPC', 'EDQUOT']);

/** Whether `error`, or an error it was caused by, says the disk is full. */
export function isDiskFull(error: unknown): boolean {
  let e: unknown = error;
  // Storage wraps the system's error (a StorageError's cause), sometimes twice.
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    if (FULL_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return true;
    e = e.cause;
  }
  return false;
}

export interface DiskSpaceOptions {
  /** How often a full disk is tried again. */
  probeMs?: number;
  /** How much a probe writes: the room the next writes need, about. */
  probeBytes?: number;
}

const PROBE_FILE = '.disk-space-probe';

/**
 * Whether the disk under DATA_DIR has room for writes. It is told when a write fails because the
 * disk is full; from then on, writes are refused before they are tried (a client's change is
 * answered at once and stays with the client, instead of failing its room again and again), and
 * a probe writes, syncs and removes a small file every `probeMs` until one fits. Then every
 * `onSpace` listener runs: rooms ask the clients they refused for their changes again, with no
 * restart.
 */
export class DiskSpace {
  private fullSince: number | null = null;
  private detail = '';
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<() => void>();
  private readonly probeMs: number;
  private readonly probeBytes: number;

  constructor(
    private readonly dir: string,
    options: DiskSpaceOptions = {},
  ) {
    this.probeMs = options.probeMs ?? 500;
    this.probeBytes = options.probeBytes ?? 16 * 1024;
  }

  /** True while writes are refused. */
  get full(): boolean {
    return this.fullSince !== null;
  }

  /** A write failed with `error`: when it says the disk is full, writes are refused until a probe finds room. */
  report(error: unknown): boolean {
    if (!isDiskFull(error)) return false;
    if (this.fullSince === null) {
      this.fullSince = Date.now();
      this.detail = error instanceof Error ? error.message : String(error);
      this.schedule();
    }
    return true;
  }

  /** Calls `fn` each time room returns after the disk was full; the returned function stops it. */
  onSpace(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** What /readyz shows of the disk. */
  health(): { ok: boolean; detail?: string } {
    if (this.fullSince === null) return { ok: true };
    return {
      ok: false,
      detail: `the disk under ${this.dir} is full (since ${new Date(this.fullSince).toISOString()}: ${this.detail}); changes are refused and kept by the clients that made them until space is freed there`,
    };
  }

  /** Stops probing (at shutdown). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.listeners.clear();
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.probe(), this.probeMs);
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    this.timer = null;
    if (await this.fits()) {
      this.fullSince = null;
      for (const fn of [...this.listeners]) fn();
    } else this.schedule();
  }

  /** Whether `probeBytes` can be written and synced under the directory now. */
  private async fits(): Promise<boolean> {
    const file = path.join(this.dir, PROBE_FILE);
    try {
      const fh = await fs.open(file, 'w');
      try {
        // writeFile loops until all is written, so a short write fails here as it should.
        await fh.writeFile(Buffer.alloc(this.probeBytes));
        await fh.datasync();
      } finally {
        await fh.close();
      }
      return true;
    } catch {
      return false;
    } finally {
      await fs.unlink(file).catch(() => undefined);
    }
  }
}
