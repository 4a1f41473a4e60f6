/**
 * Scenario `crash`: kill -9 at random moments under load (writers, readers, and a client that
 * goes offline, edits and comes back), on the file backend and on Redis + S3 with two instances
 * (one or both killed). After each restart a fresh client's first sync from the restarted
 * instance must hold every update any client had seen (DUR-1, DUR-2), and then every client must
 * converge. Recovery is from the kill until that first sync succeeds (the server ready for
 * clients again).
 */
import os from 'node:os';
import * as prng from 'lib0/prng';
import { streamOf } from '../harness/fuzz-seed';
import { fileDeployment, redisS3Deployment, type Deployment, type RedisS3Deployment } from './deployments';
import { mirrorsMatchWithin, openStoredRooms } from './mirrors-match';
import type { ChaosContext, ChaosRow, ChaosScenario } from './types';
import { firstSync, startWorkload, type Workload } from './workload';

interface Sizing {
  trials: number;
  rooms: number;
  writers: number;
  readers: number;
  /** The load runs this long (ms, drawn uniformly) before each kill. */
  loadMs: [number, number];
  /**
   * A bound on a backend's run, far above what the trials take on a quiet machine: past it,
   * trials stop and the row says how many ran (a fault that hangs cannot hold the suite).
   */
  budgetMs: number;
}

const SIZES: Record<ChaosContext['size'], Sizing> = {
  ci: { trials: 4, rooms: 2, writers: 4, readers: 2, loadMs: [150, 1000], budgetMs: 3 * 60_000 },
  full: { trials: 100, rooms: 3, writers: 6, readers: 4, loadMs: [50, 1200], budgetMs: 10 * 60_000 },
};

/**
 * Compaction every few hundred updates, so kills land inside compactions (DUR-5) as well as
 * appends; rooms stay loaded while their clients are connected.
 */
const SERVER_ENV = { COMPACT_AFTER_UPDATES: '200' };
const SETTLE_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface TrialLog {
  recoveryMs: number[];
  /** From the kill until the restarted instances listen (the rest of recovery is the room's first load). */
  listeningMs: number[];
  lost: Set<string>;
  problems: string[];
  restarts: number;
  kills: Record<string, number>;
  /** How long after the last trial the mirrors matched the documents (Redis + S3 only). */
  mirrorsMs?: number;
}

/**
 * After the trials, the original's Redis keys and blob layout must come to match the stored
 * documents (mirrors catch up after each restart). Redis + S3 only: on the file backend the
 * checker would open the live DATA_DIR's logs from a second process, and reading a log cuts a
 * torn tail, which must stay the running server's business.
 */
async function checkMirrors(d: Deployment, log: TrialLog): Promise<void> {
  if (!('redis' in d && 's3' in d)) return;
  const { redis, s3 } = d as RedisS3Deployment;
  const rooms = await openStoredRooms({ redisUrl: redis.url, s3: s3.config, dataDir: os.tmpdir() });
  try {
    const { problems, ms } = await mirrorsMatchWithin({ rooms, redisUrl: redis.url, s3: s3.config }, SETTLE_MS);
    if (problems.length) log.problems.push(...problems.map((p) => `mirrors ${SETTLE_MS / 1000} s after the last trial: ${p}`));
    else log.mirrorsMs = ms;
  } finally {
    await rooms.close();
  }
}

/** One kill: the victims die, their clients are kept away while a fresh client reads each restarted instance, then all reconnect and converge. */
async function trial(n: number, d: Deployment, load: Workload, victims: number[], log: TrialLog, rooms: string[]): Promise<void> {
  const urls = victims.map((i) => d.urls[i]!);
  const killedAt = performance.now();
  for (const i of victims) d.servers[i]!.child.kill('SIGKILL');
  load.hold(urls);
  await Promise.all(victims.map((i) => d.servers[i]!.stop('SIGKILL')));
  // What the victims had made durable is all their clients saw by now; other instances keep
  // serving, and what they deliver next may reach a restarted instance a moment later (SCALE-1).
  const seenAtKill = load.seen();
  await Promise.all(victims.map((i) => d.restart(i)));
  log.listeningMs.push(performance.now() - killedAt);
  log.restarts += victims.length;
  // Ready for clients: a stock client's first sync succeeds (the room loads before it answers).
  await Promise.all(urls.map((url) => firstSync(url, rooms[0]!).then((doc) => doc.destroy())));
  log.recoveryMs.push(performance.now() - killedAt);
  for (const url of urls) {
    const lost = await load.lostAt(url, seenAtKill);
    for (const key of lost) log.lost.add(key);
    if (lost.length) log.problems.push(`trial ${n}: a fresh client of ${url} after the restart lacks ${lost.length} seen updates (${lost.slice(0, 5).join(', ')})`);
  }
  load.release();
  load.pause();
  const { missing, diverged } = await load.settle(SETTLE_MS);
  for (const p of [...missing, ...diverged]) log.problems.push(`trial ${n}: after ${SETTLE_MS / 1000} s, ${p}`);
}

async function runOn(ctx: ChaosContext, sizing: Sizing, deploy: () => Promise<Deployment>, backendSeed: number): Promise<ChaosRow> {
  const d = await deploy();
  const gen = streamOf(ctx.seed, backendSeed);
  const rooms = Array.from({ length: sizing.rooms }, (_, i) => `user/default/workflow/chaos-crash-${i}`);
  const log: TrialLog = { recoveryMs: [], listeningMs: [], lost: new Set(), problems: [], restarts: 0, kills: {} };
  let load: Workload | undefined;
  const started = performance.now();
  let trials = 0;
  try {
    load = await startWorkload({ urls: d.urls, rooms, writers: sizing.writers, readers: sizing.readers, offline: true, seed: ctx.seed + backendSeed });
    while (trials < sizing.trials && performance.now() - started < sizing.budgetMs) {
      load.resume();
      await sleep(prng.int32(gen, ...sizing.loadMs));
      // With several instances: one of them, or all at once.
      const victims = d.urls.length === 1 || prng.bool(gen) ? [prng.int32(gen, 0, d.urls.length - 1)] : d.urls.map((_, i) => i);
      const what = victims.length === d.urls.length ? (d.urls.length === 1 ? 'the instance' : 'all') : 'one';
      log.kills[what] = (log.kills[what] ?? 0) + 1;
      await trial(++trials, d, load, victims, log, rooms);
      ctx.progress(`${d.backend}: trial ${trials}/${sizing.trials}, killed ${what}, recovered in ${Math.round(log.recoveryMs.at(-1)!)} ms, ${load.seen().size} seen, ${log.lost.size} lost`);
    }
    if (trials < sizing.trials) log.problems.push(`only ${trials} of ${sizing.trials} trials ran within the ${sizing.budgetMs / 60_000} min budget`);
    // The end: every instance, read fresh, holds everything seen over the whole run.
    load.pause();
    const { missing, diverged } = await load.settle(SETTLE_MS);
    log.problems.push(...[...missing, ...diverged].map((p) => `at the end: ${p}`));
    for (const url of d.urls) for (const key of await load.lostAt(url)) log.lost.add(key);
    await checkMirrors(d, log);
  } catch (e) {
    log.problems.push(`trial ${trials}: ${(e as Error).message}${d.servers.map((s) => s.stderr()).join('').trim() ? `\nserver stderr:\n${d.servers.map((s) => s.stderr()).join('\n').slice(-2000)}` : ''}`);
  } finally {
    await load?.stop();
    await d.close();
  }
  const minutes = (performance.now() - started) / 60_000;
  return {
    scenario: 'crash',
    fault: 'kill -9',
    backend: d.backend,
    trials,
    acknowledged: load?.seen().size ?? 0,
    lost: log.lost.size,
    recoveryMs: log.recoveryMs,
    figures: {
      'trials/min': Number((trials / minutes).toFixed(1)),
      restarts: log.restarts,
      'listening p50 (ms)': Math.round(median(log.listeningMs)),
      ...(d.urls.length > 1 ? { 'killed one / all': `${log.kills.one ?? 0} / ${log.kills.all ?? 0}` } : {}),
      'updates written': load?.written() ?? 0,
      'offline edits seen': load?.offlineSeen() ?? 0,
      ...(log.mirrorsMs !== undefined ? { 'mirrors match after (ms)': log.mirrorsMs } : {}),
    },
    problems: log.problems,
  };
}

export const crash: ChaosScenario = {
  name: 'crash',
  async run(ctx) {
    const sizing = SIZES[ctx.size];
    return [
      await runOn(ctx, sizing, () => fileDeployment(ctx.serverBundle, SERVER_ENV), 1),
      await runOn(ctx, sizing, () => redisS3Deployment(ctx.serverBundle, 2, SERVER_ENV), 2),
    ];
  },
};
