import { WebSocket } from 'ws';
import type { ServerProcess } from '../harness/server-process';

/** What a process holds after a full garbage collection, in bytes (`process.memoryUsage()`). */
export interface HeapAfterGc {
  /** V8's heap in use: what the process's objects still reachable take. */
  heapUsed: number;
  /** Memory V8 holds for its heap, used or not. */
  heapTotal: number;
  /** Memory outside V8's heap held by its objects (Buffers, typed arrays' backing stores). */
  external: number;
  /** Resident memory, for the record: it keeps what the heap grew to and follows no collection. */
  rss: number;
}

interface Reply {
  id?: number;
  result?: { result?: { value?: unknown }; exceptionDetails?: { text?: string } };
  error?: { message: string };
}

const INSPECTOR_URL = /Debugger listening on (ws:\/\/\S+)/;

/**
 * What a server process started with `inspect: true` retains, read over its inspector with the
 * Chrome DevTools Protocol: two full collections (`HeapProfiler.collectGarbage`), then
 * `process.memoryUsage()` evaluated inside the process.
 *
 * Why not RSS: V8's old space is collected only when it has grown enough, so between collections
 * garbage piles up (on the churn, anywhere from ~25 to ~130 MB), and an idle server runs no
 * collection at all, so its RSS shows whatever garbage the last burst left. The heap in use after
 * a forced collection is what the process's live objects take, the same figure a heap snapshot
 * would show; a leak grows it, garbage does not. Two collections, because objects with finalizers
 * or weak references freed by the first are reclaimed by the second.
 *
 * The probe holds one inspector session and enables no domain (no events, no profiling cost
 * while idle). `close()` it before stopping the server: node waits for an attached debugger to
 * disconnect before it exits.
 */
export class HeapProbe {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const reply = JSON.parse(data.toString()) as Reply;
      if (reply.id === undefined) return; // an event; none is enabled
      this.waiting.get(reply.id)?.resolve(reply);
      this.waiting.delete(reply.id);
    });
    socket.on('close', () => {
      for (const w of this.waiting.values()) w.reject(new Error('the server closed its inspector session'));
      this.waiting.clear();
    });
  }

  /** Attaches to `server`'s inspector (the URL it printed on stderr). */
  static async attach(server: ServerProcess, timeoutMs = 5000): Promise<HeapProbe> {
    const deadline = Date.now() + timeoutMs;
    let url = INSPECTOR_URL.exec(server.stderr())?.[1];
    while (!url && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      url = INSPECTOR_URL.exec(server.stderr())?.[1];
    }
    if (!url) throw new Error(`the server printed no inspector URL within ${timeoutMs} ms: start it with startServerProcess(…, { inspect: true }). Its stderr:\n${server.stderr()}`);
    const socket = new WebSocket(url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', (e) => reject(new Error(`attaching to the server's inspector at ${url}: ${e.message}`)));
    });
    return new HeapProbe(socket);
  }

  /** Collects garbage twice, then reads the process's memory. */
  async afterGc(): Promise<HeapAfterGc> {
    await this.call('HeapProfiler.collectGarbage');
    await this.call('HeapProfiler.collectGarbage');
    const reply = await this.call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true });
    const value = reply.result?.result?.value;
    if (typeof value !== 'string') throw new Error(`process.memoryUsage() in the server gave ${JSON.stringify(reply.result)}`);
    const { heapUsed, heapTotal, external, rss } = JSON.parse(value) as HeapAfterGc;
    return { heapUsed, heapTotal, external, rss };
  }

  close(): void {
    this.socket.close();
  }

  private call(method: string, params: Record<string, unknown> = {}): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        resolve: (r) => (r.error ? reject(new Error(`${method}: ${r.error.message}`)) : resolve(r)),
        reject,
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}
