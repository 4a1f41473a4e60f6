/**
 * Restart readiness: how long a server takes from being spawned to serving a client, with a data
 * directory of many rooms, as after a crash. Ours is the built bundle (file backend, the system
 * volume and history as a previous run left them); ready is its first successful WebSocket sync
 * of a stored room (holding that room's content) and `/readyz` answering 200. The reference is
 * `@y/websocket-server` 0.1.1 with LevelDB holding the same rooms, ready at its first successful
 * sync of the same room. Both are polled the same way (a new connection every few milliseconds),
 * alternately, several times.
 *
 *   npm run bench:restart [-- --rooms 1000 --updates 10 --runs 5 --also path/to/other/start.mjs]
 *
 * `--also` adds a row for another build of our server (an older commit's bundle, built into the
 * repo's dist/ so it finds its packages) measured in the same run, for before/after figures.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
// y-leveldb has no type declarations; the bench only needs its constructor and two methods.
// @ts-expect-error untyped module
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import { FileStorage } from '../sync-server/src/storage/file';
import { nowMs } from './lib/clients';
import { firstSync } from './lib/first-sync';
import { freePort, percentile } from './lib/proc';
import { spawnOurs, spawnReference, startOurs, stopServer } from './lib/servers';

const { values: args } = parseArgs({
  options: {
    rooms: { type: 'string', default: '1000' },
    updates: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    also: { type: 'string' },
  },
});
const ROOMS = Number(args.rooms);
const UPDATES = Number(args.updates);
const RUNS = Number(args.runs);
/** How long to wait between two attempts while the server is not ready. */
const POLL_MS = 5;

const roomName = (i: number) => `user/default/workflow/room-${i}`;

/** A room's updates, one key each, the key naming the room so a wrong room cannot pass. */
function roomUpdates(i: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let k = 0; k < UPDATES; k++) doc.getMap('m').set(`room-${i}-k${k}`, k);
  return updates;
}

interface Readiness {
  syncMs: number;
  readyzMs: number;
  readyMs: number;
  /** When our server logged that it listens (NaN for the reference, which logs no such line). */
  listeningMs: number;
}

/** Retries `attempt` every POLL_MS until it resolves; returns the milliseconds since `start`. */
async function until(start: number, what: string, attempt: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await attempt().catch(() => false)) return nowMs() - start;
    if (nowMs() - start > 60_000) throw new Error(`${what}: not ready after 60 s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Spawns a server and times it until a client syncs the probe room with its content (and /readyz, when given). */
async function timeStart(spawnIt: (port: number) => ChildProcess, wsUrl: (port: number) => string, readyzUrl?: (port: number) => string): Promise<Readiness> {
  const port = await freePort();
  const probe = Math.floor(ROOMS / 2);
  const expected = `room-${probe}-k${UPDATES - 1}`;
  const start = nowMs();
  const child = spawnIt(port);
  let stderr = '';
  let listeningMs = NaN;
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    if (Number.isNaN(listeningMs) && line.includes('"listening"')) listeningMs = nowMs() - start;
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready:\n${stderr}`))));
  try {
    const sync = until(start, 'sync', async () => (await firstSync(wsUrl(port) + roomName(probe))).getMap('m').has(expected));
    const readyz = readyzUrl ? until(start, '/readyz', async () => (await fetch(readyzUrl(port))).status === 200) : Promise.resolve(0);
    const [syncMs, readyzMs] = await Promise.race([Promise.all([sync, readyz]), exited]);
    return { syncMs, readyzMs, readyMs: Math.max(syncMs, readyzMs), listeningMs };
  } finally {
    exited.catch(() => undefined);
    await stopServer(child);
  }
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-restart-'));
  const ours: Readiness[] = [];
  const reference: Readiness[] = [];
  const other: Readiness[] = [];
  const also = args.also ? path.resolve(args.also) : undefined;
  try {
    const oursDir = path.join(tmp, 'ours');
    const levelDir = path.join(tmp, 'leveldb');
    const storage = await FileStorage.open(oursDir);
    const ldb = new LeveldbPersistence(levelDir);
    for (let i = 0; i < ROOMS; i++) {
      const updates = roomUpdates(i);
      await storage.append(roomName(i), updates);
      for (const u of updates) await ldb.storeUpdate(roomName(i), u);
    }
    await storage.close();
    await ldb.destroy();
    // One run first, so the directory holds what a previous run leaves (the system volume, history).
    await (await startOurs(oursDir)).stop();

    for (let run = 0; run < RUNS; run++) {
      ours.push(await timeStart((port) => spawnOurs(oursDir, port), (port) => `ws://127.0.0.1:${port}/sync/`, (port) => `http://127.0.0.1:${port}/readyz`));
      reference.push(await timeStart((port) => spawnReference(port, levelDir), (port) => `ws://127.0.0.1:${port}/`));
      if (also) other.push(await timeStart((port) => spawnOurs(oursDir, port, {}, also), (port) => `ws://127.0.0.1:${port}/sync/`, (port) => `http://127.0.0.1:${port}/readyz`));
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }

  const med = (t: Readiness[], f: (x: Readiness) => number) => percentile(t.map(f), 50);
  console.log(`\nRestart: spawn to ready for clients, ${ROOMS} stored rooms of ${UPDATES} updates (median of ${RUNS} runs)\n`);
  console.log('server                   listening ms  first sync ms  /readyz 200 ms  ready ms');
  const rows = [['llmunix (built bundle)', ours, true], ['reference+leveldb', reference, false], ...(also ? [[`llmunix (${path.relative(process.cwd(), also)})`, other, true] as const] : [])] as const;
  for (const [name, t, readyz] of rows) {
    console.log(`${name.padEnd(25)}${(readyz ? med(t, (x) => x.listeningMs).toFixed(0) : '—').padStart(12)}${med(t, (x) => x.syncMs).toFixed(0).padStart(13)}${(readyz ? med(t, (x) => x.readyzMs).toFixed(0) : '—').padStart(16)}${med(t, (x) => x.readyMs).toFixed(0).padStart(10)}`);
  }
  const ratio = (t: Readiness[]) => (med(t, (x) => x.readyMs) / med(reference, (x) => x.readyMs)).toFixed(2);
  console.log(`\nRatio (ours / reference), spawn to ready: ×${ratio(ours)}${also ? `; the other build: ×${ratio(other)}` : ''}`);
}

await main();
