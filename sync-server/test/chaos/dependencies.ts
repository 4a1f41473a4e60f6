/**
 * Scenario `dependencies`: Redis stopped and started again mid-run, and S3 unreachable for a
 * while (s3rver stopped and started again on its port), under a load of stock y-websocket
 * writers, readers and an offline client (workload.ts), REST writers (one per instance, writing
 * session messages, so the mirrors have sessions to follow) and a client editing skills in the
 * volume index. Two instances of the built bundle on Redis + S3 must recover by themselves:
 * nothing any client saw acknowledged is lost (a fresh client's first sync from each instance
 * holds it, and every REST message answered 2xx is in its session), every client converges,
 * `/readyz` names what is down meanwhile and says ready again after, and the mirrors (the
 * original's Redis keys and blob layout) match the documents again (mirrors-match.ts).
 * Recovery is from the dependency's return until writes are acknowledged again on every
 * instance (a REST write answered 2xx, which is stored: SYNC-8).
 */
import os from 'node:os';
import * as prng from 'lib0/prng';
import { putSkillSource, removeSkill } from '../../../shared/src/documents/volume-index';
import { connectClient, type TestClient } from '../harness/clients';
import { streamOf } from '../harness/fuzz-seed';
import { redisS3Deployment, type RedisS3Deployment } from './deployments';
import { mirrorsMatchWithin, openStoredRooms, type StoredRooms } from './mirrors-match';
import type { ChaosContext, ChaosRow, ChaosScenario } from './types';
import { startWorkload, type Workload } from './workload';

interface Sizing {
  /** Outages of each dependency. */
  cycles: number;
  rooms: number;
  writers: number;
  readers: number;
  /** How long the load runs before each outage, and how long the dependency stays away (ms, drawn uniformly). */
  loadMs: [number, number];
  downMs: [number, number];
}

const SIZES: Record<ChaosContext['size'], Sizing> = {
  ci: { cycles: 1, rooms: 2, writers: 3, readers: 2, loadMs: [800, 1500], downMs: [2500, 3500] },
  full: { cycles: 6, rooms: 3, writers: 4, readers: 4, loadMs: [500, 3000], downMs: [1000, 12_000] },
};

/** Compaction every few hundred updates, so some land while S3 (where snapshots go) is away. */
const SERVER_ENV = { COMPACT_AFTER_UPDATES: '200' };
/** How long recovery, convergence and the mirrors may take after a dependency is back before it counts as a problem. */
const WITHIN_MS = 30_000;
const VOLUME = 'user/default';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const countOf = (values: Iterable<string>): string => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${v}×${n}`).join(', ') || 'none';
};

interface Readyz {
  status: number;
  /** The backends /readyz says are not ok. */
  down: string[];
}

async function readyz(url: string): Promise<Readyz> {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { backends?: Record<string, { ok: boolean }> };
    return { status: res.status, down: Object.entries(body.backends ?? {}).filter(([, b]) => !b.ok).map(([name]) => name) };
  } catch (e) {
    return { status: 0, down: [`(no answer: ${(e as Error).message})`] };
  }
}

/**
 * A REST writer per instance: posts a message to its own session in turn, remembering the
 * messages answered 2xx (stored, then answered) and every status it got, with when it came.
 */
class RestWriter {
  readonly acknowledged: string[] = [];
  readonly answers: Array<{ at: number; status: number }> = [];
  private n = 0;
  private running = false;
  private loop: Promise<void> | null = null;

  private constructor(
    readonly url: string,
    readonly session: string,
    private readonly tag: string,
  ) {}

  static async start(url: string, tag: string): Promise<RestWriter> {
    const res = await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `chaos ${tag}` }) });
    if (res.status !== 201) throw new Error(`POST /api/sessions on ${url} answered ${res.status}: ${await res.text()}`);
    const writer = new RestWriter(url, ((await res.json()) as { id: string }).id, tag);
    writer.resume();
    return writer;
  }

  resume(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const content = `${this.tag}.${this.n++}`;
        let status = 0;
        try {
          const res = await fetch(`${this.url}/api/sessions/${this.session}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'user', content }),
            signal: AbortSignal.timeout(15_000),
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          // No answer (refused, reset, timed out): status 0.
        }
        this.answers.push({ at: performance.now(), status });
        if (status >= 200 && status < 300) this.acknowledged.push(content);
        await sleep(status >= 200 && status < 300 ? 100 : 250);
      }
    })();
  }

  async pause(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** The first 2xx answered after `since` (performance.now()), if any. */
  ackedAfter(since: number): number | undefined {
    return this.answers.find((a) => a.at > since && a.status >= 200 && a.status < 300)?.at;
  }

  /** The acknowledged messages the session lacks, read back over REST. */
  async lost(): Promise<string[]> {
    const res = await fetch(`${this.url}/api/sessions/${this.session}`, { signal: AbortSignal.timeout(15_000) });
    if (res.status !== 200) throw new Error(`GET /api/sessions/${this.session} on ${this.url} answered ${res.status}`);
    const held = new Set(((await res.json()) as { messages: Array<{ content: string }> }).messages.map((m) => m.content));
    return this.acknowledged.filter((c) => !held.has(c));
  }
}

interface SkillEditor {
  client: TestClient;
  resume(): void;
  pause(): void;
}

/** A stock client of the volume index that keeps putting and removing skills (mirrored as files); its edits made while away are sent when it is back. */
function skillEditor(url: string, seed: number): SkillEditor {
  const client = connectClient(url, VOLUME);
  const gen = streamOf(seed, 77);
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  const edit = () => {
    const id = `chaos-skill-${prng.int32(gen, 0, 9)}`;
    if (prng.int32(gen, 0, 5) === 0) removeSkill(client.doc, id);
    else putSkillSource(client.doc, id, `---\nname: ${id}\nskill_id: ${id}\ntype: python\ndescription: edit ${n}\ninputs: []\noutputs: []\n---\n\n# ${id}\n\n## Code\n\n\`\`\`python\nreturn ${n++}\n\`\`\`\n`);
  };
  return {
    client,
    resume: () => (timer ??= setInterval(edit, 150)),
    pause: () => {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

interface Fault {
  name: 'redis' | 's3';
  /** As the table's fault column says it, with the outage's length. */
  label: (downMs: number) => string;
  /** The name /readyz gives the dependency's backend. */
  backend: string;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

interface FaultLog {
  trials: number;
  downMs: number[];
  recoveryMs: number[];
  wsAckMs: number[];
  readyMs: number[];
  mirrorsMs: number[];
  readyzWhileDown: string[];
  restWhileDown: string[];
  closesWhileDown: string[];
  /** Server log lines about rooms failing (a write or a load), from the outage until its checks end. */
  roomFailures: string[];
  /** Updates WebSocket clients saw acknowledged during each outage. */
  wsAckedWhileDown: number[];
  lost: Set<string>;
  problems: string[];
}

const newLog = (): FaultLog => ({ trials: 0, downMs: [], recoveryMs: [], wsAckMs: [], readyMs: [], mirrorsMs: [], readyzWhileDown: [], restWhileDown: [], closesWhileDown: [], roomFailures: [], wsAckedWhileDown: [], lost: new Set(), problems: [] });

interface Running {
  d: RedisS3Deployment;
  load: Workload;
  writers: RestWriter[];
  editor: SkillEditor;
  stored: StoredRooms;
  /** Every key found lost so far, in any outage. */
  lost: Set<string>;
}

/** One outage: the dependency goes away for `downMs` under load, comes back, and everything is checked. */
async function outage(ctx: ChaosContext, r: Running, fault: Fault, downMs: number, log: FaultLog): Promise<void> {
  const n = ++log.trials;
  const { d, load, writers, editor } = r;
  const closesBefore = editor.client.closeCodes.length;
  const logsBefore = d.servers.map((s) => s.logs.length);
  const seenAtStop = load.seen().size;
  const wentAt = performance.now();
  await fault.stop();
  // While it is away: what /readyz says, every 200 ms.
  const said: Readyz[] = [];
  while (performance.now() - wentAt < downMs) {
    said.push(...(await Promise.all(d.urls.map(readyz))));
    await sleep(200);
  }
  await fault.restart();
  const backAt = performance.now();
  log.downMs.push(backAt - wentAt);
  log.wsAckedWhileDown.push(load.seen().size - seenAtStop);
  log.closesWhileDown.push(...editor.client.closeCodes.slice(closesBefore).map(String));
  log.restWhileDown.push(...writers.flatMap((w) => w.answers.filter((a) => a.at > wentAt && a.at <= backAt).map((a) => String(a.status))));
  log.readyzWhileDown.push(...said.map((s) => `${s.status}${s.down.length ? ` (${s.down.join(', ')} down)` : ''}`));
  if (!said.some((s) => s.status === 503 && s.down.includes(fault.backend))) {
    log.problems.push(`outage ${n}: /readyz never said "${fault.backend}" was down while it was (it said: ${countOf(said.map((s) => `${s.status} ${s.down.join('+')}`))})`);
  }

  // Recovery: every instance acknowledges a write again; /readyz is 200 again.
  const seenBefore = load.seen().size;
  let wsAck: number | undefined;
  let ready: number | undefined;
  const deadline = backAt + WITHIN_MS;
  while (performance.now() < deadline) {
    if (wsAck === undefined && load.seen().size > seenBefore) wsAck = performance.now() - backAt;
    if (ready === undefined && (await Promise.all(d.urls.map(readyz))).every((s) => s.status === 200)) ready = performance.now() - backAt;
    if (writers.every((w) => w.ackedAfter(backAt) !== undefined) && wsAck !== undefined && ready !== undefined) break;
    await sleep(25);
  }
  const acked = writers.map((w) => w.ackedAfter(backAt));
  if (acked.every((t) => t !== undefined)) log.recoveryMs.push(Math.max(...acked.map((t) => t! - backAt)));
  else log.problems.push(`outage ${n}: ${writers.filter((_, i) => acked[i] === undefined).map((w) => w.url).join(', ')} acknowledged no write within ${WITHIN_MS / 1000} s of ${fault.name}'s return`);
  if (wsAck !== undefined) log.wsAckMs.push(wsAck);
  else log.problems.push(`outage ${n}: no WebSocket client saw a new update acknowledged within ${WITHIN_MS / 1000} s of ${fault.name}'s return`);
  if (ready !== undefined) log.readyMs.push(ready);
  else log.problems.push(`outage ${n}: /readyz was not 200 on every instance within ${WITHIN_MS / 1000} s of ${fault.name}'s return`);

  // Nothing acknowledged lost; every client converges; the mirrors match the documents.
  load.pause();
  editor.pause();
  await Promise.all(writers.map((w) => w.pause()));
  // The mirrors are checked meanwhile, so their time is from the return, not after convergence.
  const mirrorsChecked = mirrorsMatchWithin({ rooms: r.stored, redisUrl: d.redis.url, s3: d.s3.config }, WITHIN_MS).then((m) => ({ ...m, at: performance.now() }));
  const { missing, diverged } = await load.settle(WITHIN_MS);
  for (const p of [...missing, ...diverged]) log.problems.push(`outage ${n}: after ${WITHIN_MS / 1000} s, ${p}`);
  // Counted against the outage that lost them (a key lost stays lost in later checks).
  const lost = new Set<string>();
  for (const url of d.urls) for (const key of await load.lostAt(url)) lost.add(key);
  for (const w of writers) for (const content of await w.lost()) lost.add(`REST ${content}`);
  const fresh = [...lost].filter((key) => !r.lost.has(key));
  for (const key of fresh) {
    r.lost.add(key);
    log.lost.add(key);
  }
  if (fresh.length) log.problems.push(`outage ${n}: lost ${fresh.slice(0, 8).join(', ')}${fresh.length > 8 ? ', …' : ''}`);
  log.roomFailures.push(
    ...d.servers.flatMap((s, i) =>
      s.logs
        .slice(logsBefore[i])
        .map((l) => String(l.msg))
        .filter((msg) => /storage write failed|failed to load/.test(msg)),
    ),
  );
  const mirrors = await mirrorsChecked;
  if (mirrors.problems.length) log.problems.push(...mirrors.problems.map((p) => `outage ${n}: mirrors ${WITHIN_MS / 1000} s after: ${p}`));
  else log.mirrorsMs.push(mirrors.at - backAt);
  ctx.progress(
    `${fault.label(downMs)}: writes back after ${log.recoveryMs.at(-1)?.toFixed(0) ?? '–'} ms, /readyz 200 after ${ready?.toFixed(0) ?? '–'} ms, mirrors match ${mirrors.problems.length ? 'NOT' : `after ${(mirrors.at - backAt).toFixed(0)} ms`}, ${load.seen().size} seen, ${log.lost.size} lost`,
  );
}

const median = (values: number[]) => (values.length ? Math.round([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!) : '–');

function rowOf(fault: Fault, backend: string, log: FaultLog, acknowledged: number): ChaosRow {
  return {
    scenario: 'dependencies',
    fault: fault.name === 'redis' ? 'redis stopped' : 's3 stopped',
    backend,
    trials: log.trials,
    acknowledged,
    lost: log.lost.size,
    recoveryMs: log.recoveryMs,
    figures: {
      'down (s)': log.downMs.map((ms) => (ms / 1000).toFixed(1)).join(', '),
      '/readyz while down': countOf(log.readyzWhileDown),
      'REST while down': countOf(log.restWhileDown),
      'client closes while down': countOf(log.closesWhileDown),
      'room failures logged': countOf(log.roomFailures),
      'ws acks while down': log.wsAckedWhileDown.join(', '),
      'ws acks back p50 (ms)': median(log.wsAckMs),
      '/readyz 200 p50 (ms)': median(log.readyMs),
      'mirrors match p50 (ms)': median(log.mirrorsMs),
    },
    problems: log.problems,
  };
}

export const dependencies: ChaosScenario = {
  name: 'dependencies',
  async run(ctx) {
    const sizing = SIZES[ctx.size];
    const gen = streamOf(ctx.seed, 19);
    const d = await redisS3Deployment(ctx.serverBundle, 2, SERVER_ENV);
    const faults: Fault[] = [
      { name: 'redis', label: (ms) => `redis stopped ${(ms / 1000).toFixed(1)} s`, backend: 'redis', stop: () => d.redis.stop(), restart: () => d.redis.restart() },
      { name: 's3', label: (ms) => `s3 stopped ${(ms / 1000).toFixed(1)} s`, backend: 's3 snapshots', stop: () => d.s3.stop(), restart: () => d.s3.restart() },
    ];
    const logs = new Map(faults.map((f) => [f.name, newLog()]));
    const rooms = Array.from({ length: sizing.rooms }, (_, i) => `${VOLUME}/workflow/chaos-deps-${i}`);
    let running: Running | undefined;
    let stored: (StoredRooms & { close(): Promise<void> }) | undefined;
    const problems: string[] = [];
    try {
      stored = await openStoredRooms({ redisUrl: d.redis.url, s3: d.s3.config, dataDir: os.tmpdir() });
      const load = await startWorkload({ urls: d.urls, rooms, writers: sizing.writers, readers: sizing.readers, offline: true, seed: ctx.seed });
      const writers = await Promise.all(d.urls.map((url, i) => RestWriter.start(url, `rest${i}`)));
      running = { d, load, writers, editor: skillEditor(d.urls[0]!, ctx.seed), stored, lost: new Set() };
      for (let cycle = 0; cycle < sizing.cycles; cycle++) {
        for (const fault of faults) {
          load.resume();
          for (const w of running.writers) w.resume();
          running.editor.resume();
          await sleep(prng.int32(gen, ...sizing.loadMs));
          await outage(ctx, running, fault, prng.int32(gen, ...sizing.downMs), logs.get(fault.name)!);
        }
      }
    } catch (e) {
      problems.push(`${(e as Error).message}${d.servers.map((s) => s.stderr()).join('').trim() ? `\nserver stderr:\n${d.servers.map((s) => s.stderr()).join('\n').slice(-2000)}` : ''}`);
    } finally {
      running?.editor.pause();
      running?.editor.client.destroy();
      await Promise.all(running?.writers.map((w) => w.pause()) ?? []);
      await running?.load.stop();
      await stored?.close().catch(() => undefined);
      await d.close();
    }
    const acknowledged = (running?.load.seen().size ?? 0) + (running?.writers.reduce((n, w) => n + w.acknowledged.length, 0) ?? 0);
    return faults.map((f) => {
      const row = rowOf(f, d.backend, logs.get(f.name)!, acknowledged);
      row.problems.unshift(...problems);
      return row;
    });
  },
};
