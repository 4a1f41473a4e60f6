import * as prng from 'lib0/prng';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { encodeUpdate } from '../../src/sync/protocol';
import { updateIn } from '../harness/wire';

/** Sync step 1 with an empty state vector: what a new client asks first. */
const FIRST_SYNC = new Uint8Array([0, 0, 1, 0]);
const OPEN_TIMEOUT_MS = 30_000;

/**
 * One light client: a raw socket speaking just enough of the y-websocket protocol (sync step 1,
 * then updates), with no document unless it writes, so a thousand fit in one Node process
 * beside the server on two cores. A writer holds a Y.Doc of its own changes only.
 */
export interface LightClient {
  room: string;
  ws: WebSocket;
  writer: Y.Doc | null;
  written: number;
}

/**
 * Many light clients and what they saw: every update's delivery latency (writer send → each
 * client of the room receives it, the writer's own echo included, all timed in this process),
 * and every socket the server closed while the load ran.
 */
export class LightFleet {
  readonly clients: LightClient[] = [];
  /** Sockets closed while they should have stayed open: the room and the close code. */
  readonly disconnects: Array<{ room: string; code: number }> = [];
  /** ms from a writer's send to each delivery. */
  readonly latencies: number[] = [];
  /** ms from opening a socket to its first sync answered. */
  readonly connectMs: number[] = [];
  /** Deliveries owed (each update × the clients in its room when sent), and made. */
  expected = 0;
  received = 0;
  /** Send time of each writer's update, by client id then clock. */
  private readonly sentAt = new Map<number, number[]>();
  private readonly inRoom = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closing = false;

  constructor(private readonly url: string) {}

  /** Opens a client and resolves once the server answered its first sync; rejects if it closes first. */
  open(room: string, writerId?: number): Promise<LightClient> {
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/sync/${room}`, { perMessageDeflate: false });
    const writer = writerId === undefined ? null : new Y.Doc();
    if (writer) writer.clientID = writerId as number;
    const client: LightClient = { room, ws, writer, written: 0 };
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let synced = false;
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`a client of ${room} had no first sync within ${OPEN_TIMEOUT_MS} ms`));
      }, OPEN_TIMEOUT_MS);
      ws.on('open', () => ws.send(FIRST_SYNC));
      ws.on('message', (data: Buffer) => {
        if (data[0] !== 0) return;
        if (data[1] === 1 && !synced) {
          synced = true;
          clearTimeout(timer);
          this.connectMs.push(performance.now() - started);
          this.clients.push(client);
          this.inRoom.set(room, (this.inRoom.get(room) ?? 0) + 1);
          resolve(client);
        } else if (data[1] === 2) {
          this.delivered(data);
        }
      });
      ws.on('close', (code) => {
        clearTimeout(timer);
        if (!synced) reject(new Error(`a client of ${room} was closed (${code}) before its first sync`));
        else if (!this.closing) this.disconnects.push({ room, code });
      });
      ws.on('error', () => undefined);
    });
  }

  /** Opens clients with at most `concurrency` handshakes under way at once. */
  async openAll(specs: ReadonlyArray<{ room: string; writerId?: number }>, concurrency: number): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < specs.length) {
        const spec = specs[next++] as { room: string; writerId?: number };
        await this.open(spec.room, spec.writerId);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** One change by a writer (by default a new key in its map), sent as one update and timed. */
  write(client: LightClient, change: (doc: Y.Doc) => void = (doc) => doc.getMap('load').set(`k${client.written}`, 'x'.repeat(64))): void {
    const doc = client.writer;
    if (!doc) throw new Error('only a writer writes');
    let update: Uint8Array | null = null;
    doc.once('update', (u: Uint8Array) => (update = u));
    doc.transact(() => change(doc));
    client.written++;
    if (!update) throw new Error('the change made no update');
    let times = this.sentAt.get(doc.clientID);
    if (!times) this.sentAt.set(doc.clientID, (times = []));
    times[Y.getState(doc.store, doc.clientID) - 1] = performance.now();
    this.expected += this.inRoom.get(client.room) ?? 0;
    client.ws.send(encodeUpdate(update));
  }

  /** Every writer writes about every `everyMs` (jittered by the seed) until `stopWriting`. */
  startWriting(everyMs: number, seed: number): void {
    const gen = prng.create(seed);
    for (const client of this.clients) {
      if (!client.writer) continue;
      const tick = () => {
        this.timers.delete(timer);
        this.write(client);
        timer = setTimeout(tick, everyMs * prng.real53(gen) * 2);
        this.timers.add(timer);
      };
      let timer = setTimeout(tick, everyMs * prng.real53(gen));
      this.timers.add(timer);
    }
  }

  stopWriting(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Closes every client (closes from now on are expected). */
  closeAll(): void {
    this.closing = true;
    for (const c of this.clients) c.ws.close();
  }

  private delivered(frame: Buffer): void {
    const now = performance.now();
    const update = updateIn(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength));
    if (!update) return;
    const { from, to } = Y.parseUpdateMeta(update);
    for (const [clientId, end] of to) {
      const times = this.sentAt.get(clientId);
      if (!times) continue;
      for (let clock = from.get(clientId) ?? 0; clock < end; clock++) {
        const sent = times[clock];
        if (sent === undefined) continue;
        this.latencies.push(now - sent);
        this.received++;
      }
    }
  }
}

export const quantile = (values: readonly number[], q: number): number => {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
};
