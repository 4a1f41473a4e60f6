/**
 * Scale-out: the fan-out benchmark with one instance (embedded file storage, the reference),
 * one instance on Redis, and two instances on Redis with the readers split between them, side
 * by side; then compaction of a room whose log holds 100,000 updates, on Redis against the file
 * backend. Server CPU includes redis-server's.
 *
 *   npm run bench:scale [-- --readers 50 --deliveries 100000 --per-second 50000]
 *   npm run bench:scale -- --compaction-only   (the compaction part alone)
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import * as Y from 'yjs';
import { Room } from '../sync-server/src/rooms/room';
import { FileStorage } from '../sync-server/src/storage/file';
import { FileSnapshotStore } from '../sync-server/src/storage/file-snapshots';
import { RedisRoomLog } from '../sync-server/src/storage/redis-log';
import { SplitStorage } from '../sync-server/src/storage/split';
import type { Storage } from '../sync-server/src/storage/storage';
import { startRedis } from '../sync-server/test/harness/redis-server';
import { measureFanout, type FanoutResult } from './lib/fanout-run';
import { startOurs } from './lib/servers';

process.setMaxListeners(0);
const { values: args } = parseArgs({
  options: {
    readers: { type: 'string', default: '50' },
    deliveries: { type: 'string', default: '100000' },
    'per-second': { type: 'string', default: '50000' },
    'compaction-updates': { type: 'string', default: '100000' },
    'compaction-only': { type: 'boolean', default: false },
  },
});
const READERS = Number(args.readers);
const UPDATES = Math.round(Number(args.deliveries) / READERS);
const RATE = Number(args['per-second']) / READERS;
const COMPACTION_UPDATES = Number(args['compaction-updates']);

async function fanouts(tmp: string): Promise<FanoutResult[]> {
  const results: FanoutResult[] = [];
  const file = await startOurs(path.join(tmp, 'file'));
  results.push(await measureFanout({ name: '1 instance, file', writerUrl: file.wsUrl, readerUrls: [file.wsUrl], pids: [file.pid] }, READERS, UPDATES, RATE));
  await file.stop();

  const redis = await startRedis();
  try {
    const env = { REDIS_URL: redis.url };
    const one = await startOurs(path.join(tmp, 'one'), env);
    results.push(await measureFanout({ name: '1 instance, Redis', writerUrl: one.wsUrl, readerUrls: [one.wsUrl], pids: [one.pid, redis.pid()] }, READERS, UPDATES, RATE));
    await one.stop();
    const a = await startOurs(path.join(tmp, 'two'), env);
    const b = await startOurs(path.join(tmp, 'two'), env);
    results.push(await measureFanout({ name: '2 instances, Redis', writerUrl: a.wsUrl, readerUrls: [a.wsUrl, b.wsUrl], pids: [a.pid, b.pid, redis.pid()] }, READERS, UPDATES, RATE));
    await a.stop();
    await b.stop();
  } finally {
    await redis.destroy();
  }
  return results;
}

/** Loads a room whose log holds `count` updates and compacts it; returns the milliseconds of each. */
async function compaction(storage: Storage, count: number): Promise<{ appendMs: number; loadMs: number; compactMs: number; afterLoadMs: number }> {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < count; i++) doc.getMap('m').set(`k${i % 5000}`, i);
  const room = 'user/default/workflow/compaction';
  let t = performance.now();
  for (let i = 0; i < updates.length; i += 1000) await storage.append(room, updates.slice(i, i + 1000));
  const appendMs = performance.now() - t;
  const options = { compactAfter: Number.MAX_SAFE_INTEGER, groupCommitMs: 0, onFailure: () => undefined };
  t = performance.now();
  const loaded = await Room.load(room, storage, options, pino({ level: 'silent' }));
  const loadMs = performance.now() - t;
  t = performance.now();
  await storage.compact(room, Y.encodeStateAsUpdate(loaded.doc));
  const compactMs = performance.now() - t;
  await loaded.unload();
  t = performance.now();
  const again = await Room.load(room, storage, options, pino({ level: 'silent' }));
  const afterLoadMs = performance.now() - t;
  if (JSON.stringify(again.doc.getMap('m').toJSON()) !== JSON.stringify(doc.getMap('m').toJSON())) throw new Error('the compacted room differs');
  await again.unload();
  return { appendMs, loadMs, compactMs, afterLoadMs };
}

function printFanouts(results: FanoutResult[]): void {
  console.log(`\nFan-out, ${READERS} readers, ${UPDATES} updates at ${Math.round(RATE)}/s (server CPU includes redis-server)\n`);
  console.log('setup                  CPU µs/delivery  delivered/s  p50 ms  p99 ms  ×CPU vs 1 instance, file');
  const ref = results[0] as FanoutResult;
  for (const r of results) {
    console.log(`${r.server.padEnd(22)}${r.cpuPerDeliveryUs.toFixed(2).padStart(16)}${Math.round(r.deliveredPerSec).toString().padStart(13)}${r.p50Ms.toFixed(1).padStart(8)}${r.p99Ms.toFixed(1).padStart(8)}   ×${(r.cpuPerDeliveryUs / ref.cpuPerDeliveryUs).toFixed(2)}`);
  }
}

async function main(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-scale-bench-'));
  try {
    if (!args['compaction-only']) printFanouts(await fanouts(tmp));
    const fileStorage = await FileStorage.open(path.join(tmp, 'compaction-file'));
    const file = await compaction(fileStorage, COMPACTION_UPDATES);
    await fileStorage.close();
    const redis = await startRedis();
    const split = new SplitStorage(RedisRoomLog.connect(redis.url, { instanceId: 'bench' }), await FileSnapshotStore.open(path.join(tmp, 'compaction-redis')));
    const onRedis = await compaction(split, COMPACTION_UPDATES);
    await split.close();
    await redis.destroy();
    console.log(`\nA room whose log holds ${COMPACTION_UPDATES} updates (ms)\n`);
    console.log('backend        append   load   compact   load after   ×compact vs file');
    for (const [name, m] of [['file', file], ['Redis', onRedis]] as const) {
      console.log(`${name.padEnd(13)}${m.appendMs.toFixed(0).padStart(8)}${m.loadMs.toFixed(0).padStart(7)}${m.compactMs.toFixed(0).padStart(10)}${m.afterLoadMs.toFixed(0).padStart(13)}   ×${(m.compactMs / file.compactMs).toFixed(2)}`);
    }
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

await main();
