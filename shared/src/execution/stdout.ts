import { tagOf } from './json-outputs';

/**
 * EXEC-4: what a run prints. stdout and stderr (Python's `print` and `sys.stderr`, JavaScript's
 * `console.log/info/debug/warn/error/trace`, ngspice's messages) are one stream, in the order
 * written, without level prefixes; it is kept whole for the result up to `MAX_STDOUT`
 * characters (then cut with a note) and streamed to the node as it comes.
 */

/** Most of a run's printed output that is kept; beyond it, output is dropped with a note. */
export const MAX_STDOUT = 1 << 20;
/** Streamed output is sent at most this often (a printing loop must not flood the page or host). */
const FLUSH_MS = 50;

/** A run's printed output: kept whole for the result, streamed to `post` in batches. */
export class Stdout {
  private text = '';
  private pending = '';
  private lastFlush = 0;
  private truncated = false;

  constructor(private readonly post: (text: string) => void = () => {}) {}

  write(chunk: string): void {
    if (this.truncated || chunk === '') return;
    if (this.text.length + chunk.length > MAX_STDOUT) {
      chunk = `${chunk.slice(0, MAX_STDOUT - this.text.length)}\n[output truncated after ${MAX_STDOUT} characters]\n`;
      this.truncated = true;
    }
    this.text += chunk;
    this.pending += chunk;
    // Synchronous code (a Python loop) never yields to a timer, so flush on the clock here.
    if (Date.now() - this.lastFlush >= FLUSH_MS || this.pending.length > 64 * 1024) this.flush();
  }

  /** Sends what is pending now (call before reporting the run's end). */
  flush(): void {
    if (this.pending) this.post(this.pending);
    this.pending = '';
    this.lastFlush = Date.now();
  }

  get all(): string {
    return this.text;
  }
}


/** One console argument as text: strings as they are, errors as `Name: message`, values as JSON. */
function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'bigint') return `${arg}n`;
  if (typeof arg === 'function') return `[Function ${(arg as { name?: string }).name || '(anonymous)'}]`;
  if (arg === null || typeof arg !== 'object') return String(arg);
  if (tagOf(arg) === 'Error') {
    const { name, message } = arg as { name?: unknown; message?: unknown };
    return `${String(name)}: ${String(message)}`;
  }
  const seen = new Set<object>();
  try {
    const text = JSON.stringify(arg, (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`;
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      if (value !== null && typeof value === 'object') {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
        if (ArrayBuffer.isView(value) && tagOf(value) !== 'DataView') return Array.from(value as unknown as ArrayLike<number>);
        if (tagOf(value) === 'Map') return Object.fromEntries(value as Map<unknown, unknown>);
        if (tagOf(value) === 'Set') return [...(value as Set<unknown>)];
      }
      return value;
    });
    return text ?? String(arg);
  } catch {
    return String(arg);
  }
}

/** A console call's line, the same in every JavaScript runtime (EXEC-4). */
export const formatConsoleLine = (args: readonly unknown[]): string => `${args.map(formatArg).join(' ')}\n`;
