/**
 * The chaos suite's load: stock y-websocket clients (writers, readers and one client that goes
 * offline, edits and comes back) over a few rooms and one or more server instances, recording
 * which updates some client has *seen* — the promise the server keeps across any fault.
 *
 * Every update sets one map key (`m`), unique per writer (`w3.17`: writer 3's 17th). A key is
 * seen once a frame from a server carrying it reached any client: its writer's echo (SYNC-8: the
 * server echoes a change to its sender once stored) or another client's delivery, a sync step 2
 * included. The server sends nothing derived from an update before it is durable (DUR-1), so a
 * seen key missing after a crash is an update lost.
 */
import * as decoding from 'lib0/decoding';
import * as prng from 'lib0/prng';
import * as syncProtocol from 'y-protocols/sync';
import { WebSocket, type RawData } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { streamOf } from '../harness/fuzz-seed';
import { MESSAGE } from '../../src/sync/protocol';

export interface WorkloadOptions {
  /** Server base urls (`http://127.0.0.1:port`); clients are spread over them round-robin. */
  urls: string[];
  rooms: string[];
  writers: number;
  readers: number;
  /** Adds one client that keeps going offline, editing while away, and reconnecting. */
  offline: boolean;
  seed: number;
}

export interface Workload {
  /** Keys (one per update) some client saw: echoed to its writer as stored, or received by another client. */
  seen(): Set<string>;
  /** Stops generating edits (clients stay connected and keep reconnecting). */
  pause(): void;
  resume(): void;
  /** Points every client at these urls (after a restart on new ports), reconnecting them. */
  retarget(urls: string[]): void;
  /**
   * Disconnects every client of these urls and keeps them away (editing on, offline) until
   * `release()`: after a crash, a fresh client's first sync must see what the server kept, before
   * the old clients hand their copies back to it.
   */
  hold(urls: string[]): void;
  release(): void;
  /** Waits until every client holds every seen key and all clients of a room hold the same state; returns what is missing/diverged (never throws on timeout). */
  settle(timeoutMs: number): Promise<{ missing: string[]; diverged: string[] }>;
  /**
   * Reads each room as a fresh client would from `url` (first sync) and returns the seen keys it
   * lacks; with `keys`, only those of them (seen earlier: with other instances still serving, an
   * instance's loaded room may lag what its peers delivered a moment ago, as SCALE-1 allows).
   */
  lostAt(url: string, keys?: Set<string>): Promise<string[]>;
  /** Updates made by the clients so far (seen or not yet). */
  written(): number;
  /** Seen keys the offline client wrote while it was disconnected. */
  offlineSeen(): number;
  stop(): Promise<void>;
}

type Role = 'writer' | 'reader' | 'offline';

interface Member {
  name: string;
  role: Role;
  room: string;
  /** Index into the workload's urls, so `retarget` keeps the spread. */
  urlIndex: number;
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Kept disconnected by `hold`. */
  held: boolean;
  /** The offline client's own time away. */
  away: boolean;
  next: number;
  timer?: NodeJS.Timeout;
}

const wsUrl = (url: string) => `${url.replace(/^http/, 'ws')}/sync`;

/** The map keys an update carries (each update of this load sets one key of the root map). */
export function updateKeys(update: Uint8Array): string[] {
  const keys: string[] = [];
  for (const s of Y.decodeUpdate(update).structs) if (s instanceof Y.Item && s.parentSub !== null) keys.push(s.parentSub);
  return keys;
}

/** The keys of a frame from the server: a sync step 2 or an update; anything else carries none. */
function frameKeys(frame: Uint8Array): string[] {
  const d = decoding.createDecoder(frame);
  if (decoding.readVarUint(d) !== MESSAGE.sync) return [];
  const type = decoding.readVarUint(d);
  if (type !== syncProtocol.messageYjsSyncStep2 && type !== syncProtocol.messageYjsUpdate) return [];
  return updateKeys(decoding.readVarUint8Array(d));
}

const bytes = (data: RawData): Uint8Array =>
  Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** A `ws` WebSocket that shows every frame it receives to `tap` before the provider reads it. */
function tappedSocket(tap: (frame: Uint8Array) => void): typeof globalThis.WebSocket {
  class Tapped extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data: RawData) => tap(bytes(data)));
    }
  }
  return Tapped as unknown as typeof globalThis.WebSocket;
}

/** A fresh stock client's document at its first sync with `url` (the server's whole room, DUR-2). */
export async function firstSync(url: string, room: string, timeoutMs = 30_000): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl(url), room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 100,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no first sync of ${room} from ${url} within ${timeoutMs} ms: is the server up?`)), timeoutMs);
      provider.once('sync', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    return doc;
  } finally {
    provider.destroy();
  }
}

export async function startWorkload(options: WorkloadOptions): Promise<Workload> {
  if (options.urls.length === 0 || options.rooms.length === 0) throw new Error('startWorkload needs at least one url and one room');
  let urls = [...options.urls];
  /** Seen keys, by room. */
  const seen = new Map(options.rooms.map((room) => [room, new Set<string>()]));
  const offlineKeys = new Set<string>();
  let writtenCount = 0;
  let paused = false;
  let stopped = false;
  const members: Member[] = [];
  // Each stock provider listens for the process's exit (to say goodbye in awareness): room for
  // this load's clients and the fresh readers of `lostAt`, without Node's leak warning.
  const extraListeners = options.writers + options.readers + 1 + options.rooms.length;
  process.setMaxListeners(process.getMaxListeners() + extraListeners);

  const connectedWanted = (m: Member) => !m.held && !m.away && !stopped;
  const sync = (m: Member) => {
    if (connectedWanted(m)) {
      if (!m.provider.shouldConnect) m.provider.connect();
    } else if (m.provider.shouldConnect) m.provider.disconnect();
  };

  const add = (role: Role, index: number, slot: number) => {
    const room = options.rooms[Math.floor(slot / options.urls.length) % options.rooms.length]!;
    const urlIndex = slot % options.urls.length;
    const doc = new Y.Doc();
    const Socket = tappedSocket((frame) => {
      const inRoom = seen.get(room)!;
      for (const key of frameKeys(frame)) inRoom.add(key);
    });
    const provider = new WebsocketProvider(wsUrl(urls[urlIndex]!), room, doc, { WebSocketPolyfill: Socket, disableBc: true, maxBackoffTime: 200 });
    const name = role === 'writer' ? `w${index}` : role === 'reader' ? `r${index}` : 'off';
    const member: Member = { name, role, room, urlIndex, doc, provider, held: false, away: false, next: 0 };
    members.push(member);
    return member;
  };

  // Writers and readers each spread over urls first, then rooms: with as many writers as urls ×
  // rooms, every room has writers on every instance (the fan-out between instances is under test too).
  for (let i = 0; i < options.writers; i++) add('writer', i, i);
  for (let i = 0; i < options.readers; i++) add('reader', i, i);
  // The offline client shares the first room with a writer and a reader on its instance, so what it
  // brings back is delivered to others as well as echoed to it.
  const offline = options.offline ? add('offline', 0, 0) : undefined;

  const edit = (m: Member) => {
    const key = `${m.name}.${m.next++}`;
    if (m.role === 'offline' && m.away) offlineKeys.add(key);
    m.doc.getMap('m').set(key, m.next);
    writtenCount++;
  };

  // About 20 updates a second per client, in bursts and lulls: enough to keep every group
  // commit busy across a few clients, without the documents outgrowing a long run.
  const gap = (gen: prng.PRNG) => prng.int32(gen, 5, 95);
  const schedule = (m: Member, gen: prng.PRNG) => {
    const tick = () => {
      if (stopped || paused) return;
      edit(m);
      m.timer = setTimeout(tick, gap(gen));
    };
    m.timer = setTimeout(tick, gap(gen));
  };

  // The offline client: online for a while, then away for a while (editing all the time).
  let awayTimer: NodeJS.Timeout | undefined;
  const offlineGen = streamOf(options.seed, 1000);
  const cycle = () => {
    if (!offline || stopped || paused) return;
    offline.away = !offline.away;
    sync(offline);
    awayTimer = setTimeout(cycle, offline.away ? prng.int32(offlineGen, 300, 2000) : prng.int32(offlineGen, 300, 1500));
  };

  const start = () => {
    members.forEach((m, i) => {
      if (m.role !== 'reader') schedule(m, streamOf(options.seed, i));
    });
    if (offline) awayTimer = setTimeout(cycle, prng.int32(offlineGen, 300, 1500));
  };

  const stopEditing = () => {
    for (const m of members) clearTimeout(m.timer);
    clearTimeout(awayTimer);
    if (offline && offline.away) {
      offline.away = false;
      sync(offline);
    }
  };

  const synced = Promise.all(members.map((m) => new Promise<void>((resolve) => (m.provider.synced ? resolve() : m.provider.once('sync', () => resolve())))));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), 30_000)));
  const outcome = await Promise.race([synced, late]);
  clearTimeout(timer);
  if (outcome === 'late') {
    const waiting = members.filter((m) => !m.provider.synced).map((m) => `${m.name} (${urls[m.urlIndex]}, ${m.room})`);
    stopped = true;
    for (const m of members) m.provider.destroy();
    process.setMaxListeners(process.getMaxListeners() - extraListeners);
    throw new Error(`the load's clients did not all sync within 30 s: ${waiting.join(', ')}; are the servers up?`);
  }
  start();


  return {
    seen: () => new Set([...seen.values()].flatMap((keys) => [...keys])),
    pause: () => {
      paused = true;
      stopEditing();
    },
    resume: () => {
      if (!paused || stopped) return;
      paused = false;
      start();
    },
    retarget: (next) => {
      if (next.length !== options.urls.length) throw new Error(`retarget needs ${options.urls.length} urls (one per instance), got ${next.length}`);
      urls = [...next];
      for (const m of members) {
        m.provider.serverUrl = wsUrl(urls[m.urlIndex]!);
        m.provider.disconnect();
        sync(m);
      }
    },
    hold: (which) => {
      for (const m of members) {
        if (!which.includes(urls[m.urlIndex]!)) continue;
        m.held = true;
        sync(m);
      }
    },
    release: () => {
      for (const m of members) {
        m.held = false;
        sync(m);
      }
    },
    settle: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      // Cheap while waiting (every client synced, one state per room, exactly the keys seen: a
      // key a client holds that no server frame carried is an edit not yet acknowledged); key by
      // key once that holds, or at the deadline to say what is missing.
      const converged = () =>
        options.rooms.every((room) => {
          const inRoom = members.filter((m) => m.room === room);
          if (inRoom.length === 0) return true;
          const state = Buffer.from(Y.encodeStateVector(inRoom[0]!.doc)).toString('base64');
          return inRoom.every((m) => m.provider.synced && m.doc.getMap('m').size === seen.get(room)!.size && Buffer.from(Y.encodeStateVector(m.doc)).toString('base64') === state);
        });
      const check = () => {
        const missing: string[] = [];
        const diverged: string[] = [];
        for (const room of options.rooms) {
          const inRoom = members.filter((m) => m.room === room);
          const keys = [...seen.get(room)!];
          for (const m of inRoom) {
            if (!m.provider.synced) diverged.push(`${room}: ${m.name} is not synced with ${urls[m.urlIndex]}`);
            const map = m.doc.getMap('m');
            const lacking = keys.filter((k) => !map.has(k));
            if (lacking.length) missing.push(`${room}: ${m.name} lacks ${lacking.length} seen (${lacking.slice(0, 5).join(', ')}${lacking.length > 5 ? ', …' : ''})`);
            const unacknowledged = [...map.keys()].filter((k) => !seen.get(room)!.has(k));
            if (unacknowledged.length) diverged.push(`${room}: ${m.name} holds ${unacknowledged.length} updates no server acknowledged (${unacknowledged.slice(0, 5).join(', ')})`);
          }
          const states = new Set(inRoom.map((m) => Buffer.from(Y.encodeStateVector(m.doc)).toString('base64')));
          if (states.size > 1) diverged.push(`${room}: its ${inRoom.length} clients hold ${states.size} different states (${inRoom.map((m) => `${m.name} ${m.doc.getMap('m').size} keys`).join(', ')})`);
        }
        return { missing, diverged };
      };
      // A write whose reply was lost (the server's storage went away just after storing it) is
      // stored, yet no frame may ever carry it: its author reconnects to a room that loaded it
      // and so is sent nothing of it, and it is no news to anyone else already synced. What a
      // fresh client's first sync holds is stored (DUR-2), so it counts as acknowledged.
      const confirmStored = async () => {
        for (const room of options.rooms) {
          const inRoom = seen.get(room)!;
          for (const m of members.filter((x) => x.room === room && x.provider.synced)) {
            const unacknowledged = [...m.doc.getMap('m').keys()].filter((k) => !inRoom.has(k));
            if (unacknowledged.length === 0) continue;
            const stored = await firstSync(urls[m.urlIndex]!, room, 5000).catch(() => null);
            for (const k of unacknowledged) if (stored?.getMap('m').has(k)) inRoom.add(k);
            stored?.destroy();
          }
        }
      };
      let confirmedAt = Date.now();
      for (;;) {
        if (converged() || Date.now() > deadline) {
          const result = check();
          if ((result.missing.length === 0 && result.diverged.length === 0) || Date.now() > deadline) return result;
        }
        if (Date.now() - confirmedAt > 1000) {
          await confirmStored();
          confirmedAt = Date.now();
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    lostAt: async (url, keys) => {
      const expected = new Map(options.rooms.map((room) => [room, [...seen.get(room)!].filter((k) => !keys || keys.has(k))]));
      const lost = await Promise.all(
        options.rooms.map(async (room) => {
          const doc = await firstSync(url, room);
          const map = doc.getMap('m');
          const missing = expected.get(room)!.filter((k) => !map.has(k));
          doc.destroy();
          return missing;
        }),
      );
      return lost.flat();
    },
    written: () => writtenCount,
    offlineSeen: () => [...offlineKeys].filter((k) => offline && seen.get(offline.room)!.has(k)).length,
    stop: async () => {
      stopped = true;
      stopEditing();
      for (const m of members) {
        m.provider.destroy();
        m.doc.destroy();
      }
      process.setMaxListeners(process.getMaxListeners() - extraListeners);
    },
  };
}
