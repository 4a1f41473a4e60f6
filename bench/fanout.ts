/**
 * Fan-out benchmark: one room, 1 writer and N readers (stock y-websocket clients over loopback),
 * against our server with durability on and the reference `@y/websocket-server` 0.1.1 (in memory
 * and with LevelDB), all started in this run. On 2 cores the client process saturates before the
 * server, so the figure to compare is server CPU time per delivered update (from /proc).
 *
 * Each scenario delivers the same total (--deliveries, split over the readers) at the same
 * delivery rate (--per-second), so 200 readers get fewer, slower updates than 50 and the
 * client process keeps up; a saturated client would batch the writer and flatter the server.
 *
 *   npm run bench:fanout [-- --deliveries 200000 --per-second 50000 --readers 50,200]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { allSynced, connect, nowMs, type BenchClient } from './lib/clients';
import { cpuMicros, peakRssMiB, percentile } from './lib/proc';
import { startOurs, startReference, type BenchServer } from './lib/servers';

// Hundreds of y-websocket clients in one process each add an exit listener.
process.setMaxListeners(0);

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '200000' },
    'per-second': { type: 'string', default: '50000' },
    readers: { type: 'string', default: '50,200' },
  },
});
const DELIVERIES = Number(args.deliveries);
const PER_SECOND = Number(args['per-second']);
const READERS = String(args.readers).split(',').map(Number);

interface Result {
  server: string;
  readers: number;
  updates: number;
  rate: number;
  cpuPerDeliveryUs: number;
  deliveredPerSec: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMiB: number;
}

async function run(server: BenchServer, readers: number): Promise<Result> {
  const UPDATES = Math.round(DELIVERIES / readers);
  const RATE = PER_SECOND / readers;
  const room = `user/default/workflow/bench-${readers}-${Date.now()}`;
  const writer = connect(server.wsUrl, room);
  const clients: BenchClient[] = [];
  for (let i = 0; i < readers; i++) clients.push(connect(server.wsUrl, room));
  await allSynced([writer, ...clients]);

  const latencies = new Float64Array(UPDATES * readers);
  let received = 0;
  for (const c of clients) {
    c.doc.getMap<number>('m').observe((event) => {
      const now = nowMs();
      for (const key of event.keysChanged) {
        latencies[received++] = now - (event.target.get(key) as number);
      }
    });
  }
  const cpuStart = cpuMicros(server.pid);
  const started = nowMs();
  const map = writer.doc.getMap<number>('m');
  const interval = 1000 / RATE;
  for (let i = 0; i < UPDATES; i++) {
    // Paced writes: each update goes out on its own, as a person's edits would.
    const due = started + i * interval;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    map.set(`k${i}`, nowMs());
  }
  const deadline = Date.now() + 120_000;
  while (received < UPDATES * readers) {
    if (Date.now() > deadline) throw new Error(`${server.name}: only ${received}/${UPDATES * readers} deliveries arrived`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = (nowMs() - started) / 1000;
  const cpu = cpuMicros(server.pid) - cpuStart;
  for (const c of [writer, ...clients]) c.destroy();
  return {
    server: server.name,
    readers,
    updates: UPDATES,
    rate: RATE,
    cpuPerDeliveryUs: cpu / received,
    deliveredPerSec: received / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMiB: peakRssMiB(server.pid),
  };
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-bench-'));
  const results: Result[] = [];
  try {
    for (const readers of READERS) {
      // A fresh process per scenario, so peak RSS belongs to that scenario alone.
      const starters: Array<() => Promise<BenchServer>> = [
        () => startOurs(path.join(tmp, `ours-${readers}`)),
        () => startReference(),
        () => startReference(path.join(tmp, `leveldb-${readers}`)),
      ];
      for (const start of starters) {
        const server = await start();
        try {
          const r = await run(server, readers);
          results.push(r);
          console.error(`  ${r.server} with ${readers} readers: ${r.cpuPerDeliveryUs.toFixed(2)} µs/delivery`);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }

  console.log(`\nFan-out: 1 writer, N readers, stock y-websocket clients over loopback, ${DELIVERIES} deliveries at ${PER_SECOND}/s per scenario\n`);
  console.log('server              readers  updates  rate/s  CPU µs/delivery  delivered/s  p50 ms  p99 ms  peak RSS MiB');
  for (const r of results) {
    console.log(
      `${r.server.padEnd(20)}${String(r.readers).padStart(7)}${String(r.updates).padStart(9)}${String(Math.round(r.rate)).padStart(8)}${r.cpuPerDeliveryUs.toFixed(2).padStart(17)}${Math.round(r.deliveredPerSec).toString().padStart(13)}${r.p50Ms.toFixed(1).padStart(8)}${r.p99Ms.toFixed(1).padStart(8)}${r.peakRssMiB.toFixed(0).padStart(14)}`,
    );
  }
  console.log('\nRatios (ours / reference; below 1 means ours uses less):');
  for (const readers of READERS) {
    const ours = results.find((r) => r.server === 'llmunix' && r.readers === readers);
    for (const ref of results.filter((r) => r.server !== 'llmunix' && r.readers === readers)) {
      if (!ours) continue;
      console.log(
        `  ${readers} readers vs ${ref.server}: CPU/delivery ×${(ours.cpuPerDeliveryUs / ref.cpuPerDeliveryUs).toFixed(2)}, p99 ×${(ours.p99Ms / ref.p99Ms).toFixed(2)}, peak RSS ×${(ours.peakRssMiB / ref.peakRssMiB).toFixed(2)}`,
      );
    }
  }
}

await main();
