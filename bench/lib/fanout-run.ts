import { allSynced, connect, nowMs, type BenchClient } from './clients';
import { cpuMicros, peakRssMiB, percentile } from './proc';

/** Where a fan-out runs: one writer, readers spread over the given servers, their processes. */
export interface FanoutTarget {
  name: string;
  writerUrl: string;
  /** Readers connect to these in turn (one URL: all on one instance). */
  readerUrls: string[];
  /** Server processes whose CPU time counts. */
  pids: number[];
}

export interface FanoutResult {
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

/**
 * One room, one writer and `readers` stock y-websocket readers: paced writes, every delivery's
 * latency, and the servers' CPU time per delivered update (from /proc).
 */
export async function measureFanout(target: FanoutTarget, readers: number, updates: number, rate: number): Promise<FanoutResult> {
  const room = `user/default/workflow/bench-${readers}-${Date.now()}`;
  const writer = connect(target.writerUrl, room);
  const clients: BenchClient[] = [];
  for (let i = 0; i < readers; i++) clients.push(connect(target.readerUrls[i % target.readerUrls.length] as string, room));
  await allSynced([writer, ...clients]);

  const latencies = new Float64Array(updates * readers);
  let received = 0;
  for (const c of clients) {
    c.doc.getMap<number>('m').observe((event) => {
      const now = nowMs();
      for (const key of event.keysChanged) latencies[received++] = now - (event.target.get(key) as number);
    });
  }
  const cpu = () => target.pids.reduce((n, pid) => n + cpuMicros(pid), 0);
  const cpuStart = cpu();
  const started = nowMs();
  const map = writer.doc.getMap<number>('m');
  const interval = 1000 / rate;
  for (let i = 0; i < updates; i++) {
    // Paced writes: each update goes out on its own, as a person's edits would.
    const wait = started + i * interval - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    map.set(`k${i}`, nowMs());
  }
  const deadline = Date.now() + 120_000;
  while (received < updates * readers) {
    if (Date.now() > deadline) throw new Error(`${target.name}: only ${received}/${updates * readers} deliveries arrived`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = (nowMs() - started) / 1000;
  const used = cpu() - cpuStart;
  for (const c of [writer, ...clients]) c.destroy();
  return {
    server: target.name,
    readers,
    updates,
    rate,
    cpuPerDeliveryUs: used / received,
    deliveredPerSec: received / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    peakRssMiB: target.pids.reduce((n, pid) => n + peakRssMiB(pid), 0),
  };
}
