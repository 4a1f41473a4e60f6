import fs from 'node:fs/promises';
import * as Y from 'yjs';
import { putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { FileStorage } from '../../src/storage/file';
import { startServerProcess, type ServerProcess } from '../harness/server-process';
import { LightFleet, quantile } from './light-clients';
import { cpuMeter, cpuSeconds, MiB, rssBytes, rssSampler } from './proc-stats';
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
 * A second pass of as many rooms may grow RSS by this much at most. V8 and the allocator keep
 * the memory a first pass grew to (a high-water mark, not given back to the system), so the
 * first pass's end is not compared with its start; a room that leaves something behind grows
 * memory again in the second pass, about as much as in the first.
 */
export const CHURN_BOUND = { slackMiB: 12, shareOfFirstPass: 0.5 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Waits until two RSS samples `everyMs` apart differ by under 1 MiB (at most `maxMs`), then returns the last. */
async function settledRss(pid: number, everyMs = 1000, maxMs = 15_000): Promise<number> {
  let last = await rssBytes(pid);
  for (let waited = 0; waited < maxMs; waited += everyMs) {
    await sleep(everyMs);
    const now = await rssBytes(pid);
    if (Math.abs(now - last) < 1024 * 1024) return now;
    last = now;
  }
  return last;
}

/**
 * Rooms opened, written once and left, one after another (a few at a time), each
 * unloaded `IDLE_MS` after its client left, in two passes of `rooms` each. The second pass must
 * not grow the server's memory (CHURN_BOUND): a room that leaves anything behind would.
 */
async function churnRow(ctx: ChaosContext, server: ServerProcess, dataDir: string): Promise<ChaosRow> {
  const { rooms, warmUp } = SIZES[ctx.size];
  const pid = server.child.pid as number;
  const update = smallUpdate();
  // Rooms visited before the start RSS is taken, so what any first room loads (code, caches) is in it.
  await visitRooms(server.url, warmUp, (i) => `user/default/workflow/warm-${i}`, VISITING, update);
  const rssStart = await settledRss(pid);
  ctx.progress(`${rooms.toLocaleString('en-US')} rooms opened and unloaded in turn (RSS at start ${MiB(rssStart)} MiB)…`);
  const sampler = rssSampler(pid);
  const cpu = await cpuMeter(pid);
  const started = performance.now();
  const visits = await visitRooms(server.url, rooms, (i) => `user/default/workflow/churn-${i}`, VISITING, update);
  const seconds = (performance.now() - started) / 1000;
  const cpuPercent = await cpu.percent();
  const rssFirst = await settledRss(pid);
  ctx.progress(`second pass of ${rooms.toLocaleString('en-US')} rooms (RSS after the first ${MiB(rssFirst)} MiB)…`);
  const again = await visitRooms(server.url, rooms, (i) => `user/default/workflow/churn2-${i}`, VISITING, update);
  const rssEnd = await settledRss(pid);
  sampler.stop();
  const rssPeak = Math.max(sampler.peak(), rssEnd);
  const storage = await FileStorage.open(dataDir);
  const stored = (await storage.list()).filter((r) => /\/workflow\/churn2?-/.test(r)).length;
  await storage.close();

  const problems: string[] = [];
  const allowed = Math.max(CHURN_BOUND.slackMiB * 1024 * 1024, CHURN_BOUND.shareOfFirstPass * (rssFirst - rssStart));
  if (rssEnd - rssFirst > allowed) {
    problems.push(`server RSS grew ${MiB(rssEnd - rssFirst)} MiB more in a second pass of ${rooms} rooms (${MiB(rssStart)} → ${MiB(rssFirst)} → ${MiB(rssEnd)} MiB; allowed ${MiB(allowed)}): rooms leave memory behind`);
  }
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
      'RSS start/after pass 1/after pass 2/peak MiB': `${MiB(rssStart)}/${MiB(rssFirst)}/${MiB(rssEnd)}/${MiB(rssPeak)}`,
      'pass 1 / pass 2 growth MiB': `${MiB(rssFirst - rssStart)}/${MiB(rssEnd - rssFirst)}`,
      'idle ms': IDLE_MS,
    },
    problems,
  };
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
  const server = await startServerProcess({ STORAGE: 'file', DATA_DIR: dataDir, ROOM_IDLE_MS: String(IDLE_MS) }, 0, { bundle: ctx.serverBundle });
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
