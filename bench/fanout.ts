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
 * Both servers send each update back to its writer too (y-websocket clients take that echo as
 * the server's receipt); those are not counted as deliveries.
 *
 *   npm run bench:fanout [-- --deliveries 200000 --per-second 50000 --readers 50,200 --servers llmunix,reference]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureFanout, type FanoutResult as Result } from './lib/fanout-run';
import { startOurs, startReference, type BenchServer } from './lib/servers';

// Hundreds of y-websocket clients in one process each add an exit listener.
process.setMaxListeners(0);

const { values: args } = parseArgs({
  options: {
    deliveries: { type: 'string', default: '200000' },
    'per-second': { type: 'string', default: '50000' },
    readers: { type: 'string', default: '50,200' },
    // Some of llmunix, reference, reference+leveldb: comparing two builds of ours needs only ours.
    servers: { type: 'string', default: 'llmunix,reference,reference+leveldb' },
  },
});
const DELIVERIES = Number(args.deliveries);
const PER_SECOND = Number(args['per-second']);
const READERS = String(args.readers).split(',').map(Number);
const SERVERS = new Set(String(args.servers).split(','));


async function run(server: BenchServer, readers: number): Promise<Result> {
  return measureFanout({ name: server.name, writerUrl: server.wsUrl, readerUrls: [server.wsUrl], pids: [server.pid] }, readers, Math.round(DELIVERIES / readers), PER_SECOND / readers);
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-bench-'));
  const results: Result[] = [];
  try {
    for (const readers of READERS) {
      // A fresh process per scenario, so peak RSS belongs to that scenario alone.
      const starters: Array<[string, () => Promise<BenchServer>]> = [
        ['llmunix', () => startOurs(path.join(tmp, `ours-${readers}`))],
        ['reference', () => startReference()],
        ['reference+leveldb', () => startReference(path.join(tmp, `leveldb-${readers}`))],
      ];
      for (const [name, start] of starters) {
        if (!SERVERS.has(name)) continue;
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
