/**
 * Scenario `disk-full`: the file backend's DATA_DIR on a small tmpfs, filled to the last byte
 * under load (writers, readers, a client that goes offline and comes back), then given room again.
 * While it is full: a client that writes is told in words (a permission-denied reason naming the
 * full disk), reads go on (a fresh client's first sync), and /readyz says the disk is full. Once
 * space returns, with no restart, the refused changes are stored and every client converges; at
 * the end the server is killed and restarted on the same disk, and a fresh client of each room
 * holds every update any client saw. Recovery is from the space returning until a change refused
 * while the disk was full reaches another client (stored, DUR-1).
 */
import path from 'node:path';
import * as prng from 'lib0/prng';
import { streamOf } from '../harness/fuzz-seed';
import { connectClient } from '../harness/clients';
import { openPeer } from '../harness/raw-peer';
import { startServerProcess, type ServerProcess } from '../harness/server-process';
import { mountTmpfs, type Tmpfs } from '../harness/tmpfs';
import { waitFor } from '../harness/wait';
import type { ChaosContext, ChaosRow, ChaosScenario } from './types';
import { firstSync, startWorkload, type Workload, type WorkloadOptions } from './workload';

/** The load's clients (the workload's own options), and how often and how long the disk fills. */
interface Sizing extends Pick<WorkloadOptions, 'writers' | 'readers'> {
  trials: number;
  rooms: number;
  /** Load before the disk fills (ms, drawn uniformly). */
  loadMs: [number, number];
  /** How long the disk stays full, under load (ms, drawn uniformly). */
  fullMs: [number, number];
}

const SIZES: Record<ChaosContext['size'], Sizing> = {
  ci: { trials: 2, rooms: 2, writers: 3, readers: 2, loadMs: [200, 800], fullMs: [800, 1500] },
  full: { trials: 20, rooms: 3, writers: 4, readers: 4, loadMs: [100, 1500], fullMs: [500, 4000] },
};

/** The tmpfs: room for the system volume and the load, small enough to fill in a blink. */
const TMPFS_KIB = 8192;
/** Compactions every few hundred updates, so some are tried on the full disk too. */
const SERVER_ENV = { COMPACT_AFTER_UPDATES: '200' };
const WAIT_MS = 15_000;
const SETTLE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readyz(url: string): Promise<{ status: number; disk?: { ok: boolean; detail?: string } }> {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { backends: { disk?: { ok: boolean; detail?: string } } };
  return { status: res.status, disk: body.backends.disk };
}

interface Log {
  recoveryMs: number[];
  problems: string[];
  /** ms from the fill until /readyz said the disk was full, per trial. */
  readyzMs: number[];
  told: number;
  readsWhileFull: number;
}

/** One fill: load on the full disk, a client refused and told, reads served; then room again and the refused change stored. */
async function trial(n: number, server: ServerProcess, disk: Tmpfs, load: Workload, rooms: string[], sizing: Sizing, gen: prng.PRNG, log: Log): Promise<void> {
  load.resume();
  await sleep(prng.int32(gen, ...sizing.loadMs));
  const filledAt = performance.now();
  await disk.fill();
  const fullUntil = filledAt + prng.int32(gen, ...sizing.fullMs);
  // The load hits the full disk (an append fails: its room's clients are closed with 4507 and come back).
  await waitFor(async () => (await readyz(server.url)).disk?.ok === false, `/readyz to say the disk is full (trial ${n})`, WAIT_MS);
  log.readyzMs.push(performance.now() - filledAt);
  const detail = (await readyz(server.url)).disk?.detail ?? '';
  if (!/is full/.test(detail)) log.problems.push(`trial ${n}: /readyz's disk detail does not say the disk is full: "${detail}"`);

  // A writer now: refused, told why, and it keeps its change.
  const room = rooms[n % rooms.length]!;
  const opened = await openPeer(server.url, room);
  if (!opened.ok) throw new Error(`trial ${n}: a client could not open ${room} on the full disk (closed ${opened.code})`);
  const probe = `disk-full-probe.${n}`;
  opened.peer.write((doc) => doc.getMap('m').set(probe, n));
  await waitFor(() => opened.peer.denials.length > 0, `the client refused on the full disk to be told (trial ${n})`, WAIT_MS);
  if (/disk is full/.test(opened.peer.denials[0]!)) log.told++;
  else log.problems.push(`trial ${n}: the refused client was told "${opened.peer.denials[0]}", which does not name the full disk`);

  // Reads go on: a fresh client of every room gets what is stored.
  for (const r of rooms) {
    (await firstSync(server.url, r, WAIT_MS)).destroy();
    log.readsWhileFull++;
  }
  // Another client of that room, to see the refused change arrive once it is stored.
  const watcher = connectClient(server.url, room);
  try {
    await sleep(Math.max(0, fullUntil - performance.now()));
    if (watcher.doc.getMap('m').has(probe)) log.problems.push(`trial ${n}: a change refused on the full disk reached another client while the disk was still full`);
    const freedAt = performance.now();
    await disk.free();
    await waitFor(() => watcher.doc.getMap('m').has(probe), `the change refused on the full disk to be stored once space returned (trial ${n})`, WAIT_MS);
    log.recoveryMs.push(performance.now() - freedAt);
    await waitFor(async () => (await readyz(server.url)).status === 200, `/readyz to be ready again (trial ${n})`, WAIT_MS);
  } finally {
    watcher.destroy();
    opened.peer.close();
  }
  load.pause();
  const { missing, diverged } = await load.settle(SETTLE_MS);
  for (const p of [...missing, ...diverged]) log.problems.push(`trial ${n}: after ${SETTLE_MS / 1000} s, ${p}`);
}

export const diskFull: ChaosScenario = {
  name: 'disk-full',
  async run(ctx) {
    const sizing = SIZES[ctx.size];
    const row: ChaosRow = { scenario: 'disk-full', fault: 'disk full (tmpfs)', backend: 'file', trials: 0, acknowledged: 0, lost: 0, recoveryMs: [], problems: [] };
    const mounted = await mountTmpfs(TMPFS_KIB);
    if (!mounted.ok) return [{ ...row, skipped: mounted.why }];
    const disk = mounted.tmpfs;
    const env = { DATA_DIR: path.join(disk.dir, 'data'), ...SERVER_ENV };
    const rooms = Array.from({ length: sizing.rooms }, (_, i) => `user/default/workflow/chaos-disk-${i}`);
    const log: Log = { recoveryMs: [], problems: [], readyzMs: [], told: 0, readsWhileFull: 0 };
    const gen = streamOf(ctx.seed, 3);
    let server: ServerProcess | undefined;
    let load: Workload | undefined;
    let failedAppends = 0;
    try {
      server = await startServerProcess(env, 0, { bundle: ctx.serverBundle });
      load = await startWorkload({ urls: [server.url], rooms, writers: sizing.writers, readers: sizing.readers, offline: true, seed: ctx.seed + 3 });
      while (row.trials < sizing.trials) {
        await trial(++row.trials, server, disk, load, rooms, sizing, gen, log);
        ctx.progress(`disk-full: trial ${row.trials}/${sizing.trials}, /readyz said full after ${Math.round(log.readyzMs.at(-1)!)} ms, recovered ${Math.round(log.recoveryMs.at(-1)!)} ms after space returned, ${load.seen().size} seen`);
      }
      // Appends the full disk refused: each closed its room's clients with 4507 (server disk full).
      failedAppends = server.logs.filter((l) => l.msg === 'storage write failed; closing room').length;
      // Nothing stored was damaged: killed and restarted on the same disk, the server holds everything seen.
      await server.stop('SIGKILL');
      server = await startServerProcess(env, server.port, { bundle: ctx.serverBundle });
      const lost = await load.lostAt(server.url);
      row.lost = lost.length;
      if (lost.length) log.problems.push(`after a restart on the same disk, a fresh client lacks ${lost.length} seen updates (${lost.slice(0, 5).join(', ')})`);
    } catch (e) {
      log.problems.push(`trial ${row.trials}: ${(e as Error).message}${server?.stderr().trim() ? `\nserver stderr:\n${server.stderr().slice(-2000)}` : ''}`);
    } finally {
      await load?.stop();
      await server?.stop('SIGKILL');
      await disk.unmount().catch((e: unknown) => log.problems.push(`unmounting ${disk.dir}: ${(e as Error).message}`));
    }
    const mean = (xs: number[]) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : 0);
    return [
      {
        ...row,
        acknowledged: load?.seen().size ?? 0,
        recoveryMs: log.recoveryMs,
        figures: {
          'tmpfs KiB': TMPFS_KIB,
          'writers told': `${log.told}/${row.trials}`,
          'rooms closed 4507': failedAppends,
          'reads while full': log.readsWhileFull,
          '/readyz full after ms (mean)': mean(log.readyzMs),
          'updates written': load?.written() ?? 0,
          'offline edits seen': load?.offlineSeen() ?? 0,
        },
        problems: log.problems,
      },
    ];
  },
};
