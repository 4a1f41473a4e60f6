import fs from 'node:fs/promises';
import * as Y from 'yjs';
import { putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { FileStorage } from '../../src/storage/file';
import { startServerProcess, type ServerProcess } from '../harness/server-process';
import { LightFleet, quantile } from './light-clients';
import { HeapProbe, type HeapAfterGc } from './heap-probe';
import { cpuMeter, cpuSeconds, MiB, rssSampler } from './proc-stats';
import { smallUpdate, visitRooms } from './room-churn';
import { dataDirFor, serverErrors } from './server-checks';
import type { ChaosContext, ChaosRow } from './types';

const SIZES = {
  full: { rooms: 10_000, costConnections: 2000, warmUp: 200 },
  ci: { rooms: 500, costConnections: 160, warmUp: 50 },
} as const;
/** Rooms unload this long after their last client leaves (30 s by default): they come and go in turn. */
const IDLE_MS = 20;
/** Rooms being visited at once. */
const VISITING = 16;
/** Connections opening at once in the burst arm of the index-read measurement. */
const BURST = 16;
/** Workflows listed in the volume index the cost measurement reads. */
const LISTED = 300;
/**
 * A second pass of as many rooms may grow the heap in use after a full collection (the live
 * objects, chaos/heap-probe.ts) by `slackMiB` plus `shareOfFirstPass` of what the first pass grew
 * it by. A room that leaves something behind grows it again in the second pass, about as much as
 * in the first; what a first pass rightly leaves is caches with a bound filling up (the blob
 * mirror's last 10,000 blobs written), which a second pass mostly replaces rather than grows.
 * Measured at full size (10,000 rooms a pass): pass 1 grew it 1.9–2.2 MiB and pass 2 1.1–1.2 MiB
 * (a third, 0.1), so 2.5 MiB are allowed; with the mirrors' per-volume queue falling behind (the
 * leak listing-reads.ts fixed) both passes grew it 9.5 MiB. A steady leak fails once it passes
 * ~2.7 MiB per 10,000 rooms (~280 bytes a room); at CI size (500 rooms) the slack covers any
 * leak of under ~4 KiB a room, so there the row is a smoke check and full size is the proof.
 * RSS is shown, not bounded, bar `rssPeakMiB` (a sanity bound): it follows V8's uncollected
 * garbage, not what is live.
 */
export const CHURN_BOUND = { slackMiB: 2, shareOfFirstPass: 0.25, rssPeakMiB: 512 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * The heap after a full collection once the server has finished with the rooms just visited
 * (their unloads and their mirror jobs, a second or so behind): collected every `everyMs` until
 * two readings differ by under 256 KiB (at most `maxMs`), then the last.
 */
async function settledHeap(probe: HeapProbe, everyMs = 1000, maxMs = 15_000): Promise<HeapAfterGc> {
  await sleep(2000);
  let last = await probe.afterGc();
  for (let waited = 0; waited < maxMs; waited += everyMs) {
    await sleep(everyMs);
    const now = await probe.afterGc();
    if (Math.abs(now.heapUsed - last.heapUsed) < 256 * 1024) return now;
    last = now;
  }
  return last;
}

/**
 * Rooms opened, written once and left, one after another (a few at a time), each
 * unloaded `IDLE_MS` after its client left, in two passes of `rooms` each. The second pass must
 * not grow the server's live heap (CHURN_BOUND): a room that leaves anything behind would.
 */
async function churnRow(ctx: ChaosContext, server: ServerProcess, dataDir: string): Promise<ChaosRow> {
  const { rooms, warmUp } = SIZES[ctx.size];
  const pid = server.child.pid as number;
  const update = smallUpdate();
  const probe = await HeapProbe.attach(server);
  try {
    // Rooms visited before the start is measured, so what any first room loads (code, caches) is in it.
    await visitRooms(server.url, warmUp, (i) => `user/default/workflow/warm-${i}`, VISITING, update);
    const start = await settledHeap(probe);
    ctx.progress(`${rooms.toLocaleString('en-US')} rooms opened and unloaded in turn (heap after GC at start ${MiB(start.heapUsed)} MiB, RSS ${MiB(start.rss)} MiB)…`);
    const sampler = rssSampler(pid);
    const cpu = await cpuMeter(pid);
    const started = performance.now();
    const visits = await visitRooms(server.url, rooms, (i) => `user/default/workflow/churn-${i}`, VISITING, update);
    const seconds = (performance.now() - started) / 1000;
    const cpuPercent = await cpu.percent();
    const first = await settledHeap(probe);
    ctx.progress(`second pass of ${rooms.toLocaleString('en-US')} rooms (heap after GC ${MiB(first.heapUsed)} MiB, RSS ${MiB(first.rss)} MiB)…`);
    const again = await visitRooms(server.url, rooms, (i) => `user/default/workflow/churn2-${i}`, VISITING, update);
    const end = await settledHeap(probe);
    sampler.stop();
    const rssPeak = Math.max(sampler.peak(), end.rss);
    const storage = await FileStorage.open(dataDir);
    const stored = (await storage.list()).filter((r) => /\/workflow\/churn2?-/.test(r)).length;
    await storage.close();

    const problems: string[] = [];
    const heaps = `${MiB(start.heapUsed)} → ${MiB(first.heapUsed)} → ${MiB(end.heapUsed)} MiB`;
    const allowed = CHURN_BOUND.slackMiB * 1024 * 1024 + CHURN_BOUND.shareOfFirstPass * Math.max(0, first.heapUsed - start.heapUsed);
    if (end.heapUsed - first.heapUsed > allowed) {
      problems.push(`the server's heap after GC grew ${MiB(end.heapUsed - first.heapUsed)} MiB in a second pass of ${rooms} rooms (${heaps}; allowed ${MiB(allowed)}): rooms leave memory behind`);
    }
    if (rssPeak > CHURN_BOUND.rssPeakMiB * 1024 * 1024) problems.push(`the server's RSS peaked at ${MiB(rssPeak)} MiB (bound ${CHURN_BOUND.rssPeakMiB} MiB; heap after GC ${heaps})`);
    if (stored !== 2 * rooms) problems.push(`${stored} of the ${2 * rooms} rooms written are stored`);
    return {
      scenario: 'load',
      fault: `${rooms.toLocaleString('en-US')} rooms opened and unloaded, twice`,
      backend: 'file',
      trials: 2 * rooms,
      acknowledged: visits.length + again.length,
      lost: 2 * rooms - stored,
      recoveryMs: [],
      figures: {
        rooms,
        'rooms/s': Math.round(rooms / seconds),
        'visit p50/p99 ms': `${round(quantile(visits, 0.5))}/${round(quantile(visits, 0.99))}`,
        'CPU %': round(cpuPercent),
        'heap after GC start/pass 1/pass 2 MiB': `${MiB(start.heapUsed)}/${MiB(first.heapUsed)}/${MiB(end.heapUsed)}`,
        'heap growth pass 1/pass 2 MiB': `${MiB(first.heapUsed - start.heapUsed)}/${MiB(end.heapUsed - first.heapUsed)}`,
        'external after GC start/pass 2 MiB': `${MiB(start.external)}/${MiB(end.external)}`,
        'RSS start/pass 1/pass 2/peak MiB': `${MiB(start.rss)}/${MiB(first.rss)}/${MiB(end.rss)}/${MiB(rssPeak)}`,
        'idle ms': IDLE_MS,
      },
      problems,
    };
  } finally {
    probe.close();
  }
}

/** Writes a volume index listing `LISTED` workflows (one update each, as an app would over time). */
async function seedIndex(url: string): Promise<number> {
  const fleet = new LightFleet(url);
  const writer = await fleet.open('user/default', 999);
  for (let i = 0; i < LISTED; i++) {
    fleet.write(writer, (doc) => putWorkflowListing(doc, `listed-${i}`, { name: `Workflow ${i}`, description: 'a workflow listed in the index', created_at: new Date(0).toISOString(), updated_at: new Date(0).toISOString() }));
  }
  const deadline = Date.now() + 20_000;
  while (fleet.received < fleet.expected && Date.now() < deadline) await sleep(20);
  const size = Y.encodeStateAsUpdate(writer.writer as Y.Doc).length;
  fleet.closeAll();
  return size;
}

interface Arm {
  s: number;
  cpu: number;
  n: number;
}

/**
 * What the edge's per-connection read of the volume index costs (edge/room-standing.ts).
 * The same connections (open, first sync, close) to workflow rooms held loaded, with the index
 * only in storage (read and decoded for the connection) and with it loaded (read in memory):
 * the difference is the read. Once one connection at a time (no read to share) and once in
 * bursts of `BURST` at a time (a reconnect storm: connections that overlap share one read,
 * edge/shared-reads.ts). Server CPU per connection comes from /proc; rounds alternate the arms
 * so the machine's noise falls on all of them.
 */
async function standingRow(ctx: ChaosContext, server: ServerProcess): Promise<ChaosRow> {
  const { costConnections } = SIZES[ctx.size];
  const pid = server.child.pid as number;
  const indexBytes = await seedIndex(server.url);
  const keepers = new LightFleet(server.url);
  const rooms = 20;
  await keepers.openAll(Array.from({ length: rooms }, (_, k) => ({ room: `user/default/workflow/cost-${k}` })), rooms);
  const arms = new Map<string, Arm>();
  const rounds = 2;
  try {
    for (let round = 0; round < rounds; round++) {
      for (const at of [1, BURST]) {
        for (const index of ['stored', 'loaded'] as const) {
          const holder = index === 'loaded' ? new LightFleet(server.url) : null;
          if (holder) await holder.open('user/default');
          else await sleep(IDLE_MS + 500); // the index unloads once its last client has left
          const n = Math.ceil(costConnections / rounds / 2);
          const [cpu0, t0] = [await cpuSeconds(pid), performance.now()];
          await visitRooms(server.url, n, (i) => `user/default/workflow/cost-${i % rooms}`, at);
          const arm = arms.get(`${index}×${at}`) ?? { s: 0, cpu: 0, n: 0 };
          arms.set(`${index}×${at}`, { s: arm.s + (performance.now() - t0) / 1000, cpu: arm.cpu + (await cpuSeconds(pid)) - cpu0, n: arm.n + n });
          holder?.closeAll();
        }
      }
    }
  } finally {
    keepers.closeAll();
  }
  const arm = (name: string) => arms.get(name) as Arm;
  const cpuMs = (name: string) => round((1000 * arm(name).cpu) / arm(name).n, 2);
  const rates = (at: number) => `${Math.round(arm(`stored×${at}`).n / arm(`stored×${at}`).s)}/${Math.round(arm(`loaded×${at}`).n / arm(`loaded×${at}`).s)}`;
  const cpus = (at: number) => `${cpuMs(`stored×${at}`)}/${cpuMs(`loaded×${at}`)}`;
  const problems = serverErrors(server).map((l) => `server error: ${l}`);
  return {
    scenario: 'load',
    fault: 'volume-index read per connection',
    backend: 'file',
    trials: [...arms.values()].reduce((n, a) => n + a.n, 0),
    acknowledged: 0,
    lost: 0,
    recoveryMs: [],
    figures: {
      'index KiB': round(indexBytes / 1024),
      'listed workflows': LISTED,
      'one at a time: connects/s index stored/loaded': rates(1),
      'server CPU ms/conn stored/loaded': cpus(1),
      'read costs ms/conn': round(cpuMs('stored×1') - cpuMs('loaded×1'), 2),
      [`${BURST} at a time: connects/s stored/loaded`]: rates(BURST),
      [`${BURST} at a time: server CPU ms/conn stored/loaded`]: cpus(BURST),
    },
    problems,
  };
}

/**
 * The index-read cost, then the room churn, on one server whose rooms unload `IDLE_MS` after their
 * last client leaves (the cost first, while no unloads or checkpoints run beside it).
 */
export async function churnRows(ctx: ChaosContext): Promise<ChaosRow[]> {
  const dataDir = await dataDirFor('churn');
  // The inspector lets the churn row collect the server's garbage and read its live heap (heap-probe.ts).
  const server = await startServerProcess({ STORAGE: 'file', DATA_DIR: dataDir, ROOM_IDLE_MS: String(IDLE_MS) }, 0, { bundle: ctx.serverBundle, inspect: true });
  try {
    ctx.progress('volume-index read cost…');
    const standing = await standingRow(ctx, server);
    const churn = await churnRow(ctx, server, dataDir);
    const exit = await server.stop();
    if (exit !== 0) churn.problems.push(`the server exited with ${exit} on SIGTERM`);
    return [churn, standing];
  } finally {
    await server.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}
