/**
 * Cold room load: a room whose log holds 10,000 updates (one key each), loaded from disk by a
 * freshly started server, timed from a fresh client's connect to the moment it holds all
 * 10,000 keys. Ours (file backend) against the reference `@y/websocket-server` 0.1.1 with
 * LevelDB, which answers sync before its load finishes, so its clients first see an empty
 * document; both moments are printed, and the server's CPU time for the load (which, unlike
 * the wall-clock times, holds steady on a busy machine).
 *
 *   npm run bench:load [-- --updates 10000 --rooms 5 --also path/to/other/start.mjs]
 *
 * `--also` adds a row for another build of our server (an older commit's bundle, built into the
 * repo's dist/ so it finds its packages) loading the same rooms in the same run.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
// y-leveldb has no type declarations; the bench only needs its constructor and two methods.
// @ts-expect-error untyped module
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';
import { FileStorage } from '../sync-server/src/storage/file';
import { connect, nowMs } from './lib/clients';
import { cpuMicros, percentile } from './lib/proc';
import { startOurs, startReference, type BenchServer } from './lib/servers';

process.setMaxListeners(0);
const { values: args } = parseArgs({
  options: { updates: { type: 'string', default: '10000' }, rooms: { type: 'string', default: '5' }, also: { type: 'string' } },
});
const UPDATES = Number(args.updates);
const ROOMS = Number(args.rooms);

/** The updates of a document edited one key at a time, as a person's edits arrive. */
function makeUpdates(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < UPDATES; i++) doc.getMap('m').set(`k${i}`, i);
  return updates;
}

interface Timing {
  firstSyncMs: number;
  keysAtFirstSync: number;
  allContentMs: number;
  serverCpuMs: number;
}

/** Connects a fresh client and times its first sync and the moment it holds every key. */
async function timeLoad(server: BenchServer, room: string): Promise<Timing> {
  const cpuBefore = cpuMicros(server.pid);
  const start = nowMs();
  const client = connect(server.wsUrl, room);
  const map = client.doc.getMap('m');
  let firstSyncMs = NaN;
  let keysAtFirstSync = 0;
  client.provider.once('sync', () => {
    firstSyncMs = nowMs() - start;
    keysAtFirstSync = map.size;
  });
  while (map.size < UPDATES) {
    if (nowMs() - start > 60_000) throw new Error(`${server.name}: ${room} holds only ${map.size} keys after 60 s`);
    await new Promise((r) => setImmediate(r));
  }
  const allContentMs = nowMs() - start;
  const serverCpuMs = (cpuMicros(server.pid) - cpuBefore) / 1000;
  while (Number.isNaN(firstSyncMs)) await new Promise((r) => setTimeout(r, 1));
  client.destroy();
  return { firstSyncMs, keysAtFirstSync, allContentMs, serverCpuMs };
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-load-'));
  const updates = makeUpdates();
  const rooms = Array.from({ length: ROOMS }, (_, i) => `user/default/workflow/load-${i}`);
  const rows: Array<{ name: string; t: Timing[] }> = [];
  try {
    const oursDir = path.join(tmp, 'ours');
    const storage = await FileStorage.open(oursDir);
    for (const room of rooms) await storage.append(room, updates);
    await storage.close();
    // A copy of the rooms for the other build: loading compacts nothing, but unloading at shutdown does.
    if (args.also) await fs.cp(oursDir, path.join(tmp, 'also'), { recursive: true });
    const ours = await startOurs(oursDir);
    const oursTimes: Timing[] = [];
    for (const room of rooms) oursTimes.push(await timeLoad(ours, room));
    await ours.stop();
    rows.push({ name: 'llmunix (file log)', t: oursTimes });
    if (args.also) {
      const other = await startOurs(path.join(tmp, 'also'), {}, path.resolve(args.also));
      const otherTimes: Timing[] = [];
      for (const room of rooms) otherTimes.push(await timeLoad(other, room));
      await other.stop();
      rows.push({ name: path.relative(process.cwd(), path.resolve(args.also)), t: otherTimes });
    }

    const levelDir = path.join(tmp, 'leveldb');
    const ldb = new LeveldbPersistence(levelDir);
    for (const room of rooms) for (const u of updates) await ldb.storeUpdate(room, u);
    await ldb.destroy();
    const ref = await startReference(levelDir);
    const refTimes: Timing[] = [];
    for (const room of rooms) refTimes.push(await timeLoad(ref, room));
    await ref.stop();
    rows.push({ name: 'reference+leveldb', t: refTimes });
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }

  console.log(`\nCold load of a room whose log holds ${UPDATES} updates (median of ${ROOMS} rooms)\n`);
  console.log('server                 first sync ms  keys at first sync  all content ms  server CPU ms');
  const med = (t: Timing[], f: (x: Timing) => number) => percentile(t.map(f), 50);
  for (const { name, t } of rows) {
    console.log(
      `${name.padEnd(23)}${med(t, (x) => x.firstSyncMs).toFixed(1).padStart(13)}${Math.round(med(t, (x) => x.keysAtFirstSync)).toString().padStart(20)}${med(t, (x) => x.allContentMs).toFixed(1).padStart(16)}${med(t, (x) => x.serverCpuMs).toFixed(1).padStart(15)}`,
    );
  }
  const ours = rows[0];
  const ref = rows.find((r) => r.name === 'reference+leveldb');
  const other = args.also ? rows[1] : undefined;
  if (ours && ref) {
    const ratio = (r: { t: Timing[] }) => (med(r.t, (x) => x.allContentMs) / med(ref.t, (x) => x.allContentMs)).toFixed(3);
    console.log(`\nRatio (ours / reference), time to all content: ×${ratio(ours)}${other ? `; ${other.name}: ×${ratio(other)}` : ''}`);
  }
}

await main();
