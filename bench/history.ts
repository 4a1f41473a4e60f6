/**
 * History: a workflow room with 1,000 versions beside it, against the same room (the same log,
 * byte for byte) without history, both cold-loaded by a freshly started server (file backend):
 * time from a fresh client's connect to the moment it holds the whole workflow, and the server's
 * CPU time for it, median of several restarts (the order alternated); the ratio shows whether
 * the live room's load grows with its history. Then listing the 1,000 versions over REST, and
 * restoring one (the REST call, and until a connected client holds the restored workflow).
 *
 *   npm run bench:history [-- --versions 1000 --nodes 60 --restarts 9]
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { moveNode, putNode, readWorkflowGraph, removeNode, writeWorkflowMeta } from '../shared/src/documents/workflow';
import { roomChanges } from '../shared/src/history/changes';
import { roomContentOf, roomDocOf } from '../shared/src/history/content';
import { versionIdOf, type VersionMeta } from '../shared/src/history/version';
import { FileHistory } from '../sync-server/src/history/file-history';
import { FileStorage } from '../sync-server/src/storage/file';
import { connect, nowMs } from './lib/clients';
import { cpuMicros, percentile } from './lib/proc';
import { startOurs, type BenchServer } from './lib/servers';

process.setMaxListeners(0);
const { values: args } = parseArgs({
  options: { versions: { type: 'string', default: '1000' }, nodes: { type: 'string', default: '60' }, restarts: { type: 'string', default: '9' } },
});
const VERSIONS = Number(args.versions);
const NODES = Number(args.nodes);
const RESTARTS = Number(args.restarts);
const WITH = 'user/default/workflow/with-history';
const WITHOUT = 'user/default/workflow/without-history';

const node = (i: number) => ({ id: `n${i}`, skillId: 'square', label: `Node ${i}`, position: { x: i * 10, y: 0 }, inputs: { x: i } });

/**
 * A workflow edited step by step as people do (moves, new nodes, deletions), with its log and a
 * version after each step: the updates go to both rooms, the versions to one only.
 */
async function seed(dataDir: string): Promise<{ finalNodes: number; versions: VersionMeta[] }> {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  doc.transact(() => {
    writeWorkflowMeta(doc, { name: 'Bench', description: 'a workflow with a long history' });
    for (let i = 0; i < NODES; i++) putNode(doc, node(i));
  });
  const history = await FileHistory.open(dataDir);
  const versions: VersionMeta[] = [];
  let before: Y.Doc | null = null;
  let next = NODES;
  // Versions over the last hours, so the server's retention keeps them all.
  const start = Date.now() - VERSIONS * 30_000;
  for (let v = 0; v < VERSIONS; v++) {
    const ids = readWorkflowGraph(doc).nodes.map((n) => n.id);
    if (v % 10 === 3) putNode(doc, node(next++));
    else if (v % 10 === 7 && ids.length > NODES / 2) removeNode(doc, ids[v % ids.length] as string);
    else moveNode(doc, ids[v % ids.length] as string, { x: v, y: v % 97 });
    const content = roomContentOf(doc);
    const after = roomDocOf(content);
    const at = start + v * 30_000;
    const meta: VersionMeta = {
      id: versionIdOf(WITH, at, v.toString(36).padStart(4, '0')),
      room: WITH,
      name: v % 100 === 0 ? `milestone ${v / 100}` : null,
      created_at: new Date(at).toISOString(),
      authors: ['default'],
      changes: roomChanges('workflow', before, after),
      size: content.byteLength,
    };
    await history.add(meta, content);
    versions.push(meta);
    before?.destroy();
    before = after;
  }
  await history.close();
  const storage = await FileStorage.open(dataDir);
  for (const room of [WITH, WITHOUT]) await storage.append(room, updates);
  await storage.close();
  return { finalNodes: readWorkflowGraph(doc).nodes.length, versions };
}

interface Load {
  ms: number;
  cpuMs: number;
}

/** Connects a fresh client and times it until it holds every node of the workflow. */
async function timeLoad(server: BenchServer, room: string, nodes: number): Promise<Load> {
  const cpuBefore = cpuMicros(server.pid);
  const started = nowMs();
  const client = connect(server.wsUrl, room);
  const map = client.doc.getMap('nodes');
  while (map.size < nodes) {
    if (nowMs() - started > 60_000) throw new Error(`${room} holds only ${map.size} nodes after 60 s`);
    await new Promise((r) => setImmediate(r));
  }
  const ms = nowMs() - started;
  const cpuMs = (cpuMicros(server.pid) - cpuBefore) / 1000;
  client.destroy();
  return { ms, cpuMs };
}

const httpOf = (server: BenchServer) => server.wsUrl.replace(/^ws/, 'http').replace(/\/sync$/, '');
const med = (xs: number[]) => percentile(xs, 50);

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-bench-history-'));
  try {
    const seededAt = nowMs();
    const { finalNodes, versions } = await seed(dataDir);
    const seedMs = nowMs() - seededAt;
    const loads: Record<string, Load[]> = { [WITH]: [], [WITHOUT]: [] };
    for (let r = 0; r < RESTARTS; r++) {
      const server = await startOurs(dataDir, { HISTORY_PAUSE_MS: '600000', HISTORY_MAX_MS: '600000' });
      const order = r % 2 === 0 ? [WITH, WITHOUT] : [WITHOUT, WITH];
      for (const room of order) loads[room]!.push(await timeLoad(server, room, finalNodes));
      await server.stop();
    }

    const server = await startOurs(dataDir, { HISTORY_PAUSE_MS: '600000', HISTORY_MAX_MS: '600000' });
    const base = httpOf(server);
    const listMs: number[] = [];
    let listed = 0;
    for (let i = 0; i < 20; i++) {
      const t = nowMs();
      const body = (await (await fetch(`${base}/api/versions?room=${WITH}`)).json()) as { versions: VersionMeta[] };
      listMs.push(nowMs() - t);
      listed = body.versions.length;
    }
    const watcher = connect(server.wsUrl, WITH);
    while (watcher.doc.getMap('nodes').size < finalNodes) await new Promise((r) => setTimeout(r, 5));
    const restoreMs: number[] = [];
    const seenMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const version = versions[Math.floor(((i + 0.5) / 10) * versions.length)] as VersionMeta;
      const raw = new Uint8Array(await (await fetch(`${base}/api/versions/${version.id}/raw`)).arrayBuffer());
      const want = readWorkflowGraph(roomDocOf(raw)).nodes;
      const t = nowMs();
      const res = await fetch(`${base}/api/versions/${version.id}/restore`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`restore answered ${res.status}: ${await res.text()}`);
      restoreMs.push(nowMs() - t);
      const sameAsVersion = () => {
        const live = readWorkflowGraph(watcher.doc).nodes;
        return live.length === want.length && want.every((n) => live.some((l) => l.id === n.id && l.position.x === n.position.x && l.position.y === n.position.y));
      };
      while (!sameAsVersion()) {
        if (nowMs() - t > 30_000) throw new Error('the restore never reached the client');
        await new Promise((r) => setImmediate(r));
      }
      seenMs.push(nowMs() - t);
    }
    watcher.destroy();
    await server.stop();

    const historyBytes = versions.reduce((n, v) => n + v.size, 0);
    console.log(`\nA workflow of ${finalNodes} nodes with ${VERSIONS} versions (${(historyBytes / 1e6).toFixed(1)} MB of content, written in ${(seedMs / 1000).toFixed(1)} s), file backend\n`);
    console.log(`Cold load, median of ${RESTARTS} restarts         all content ms  server CPU ms`);
    for (const [room, label] of [[WITHOUT, 'the room without history (reference)'], [WITH, `the same room with ${VERSIONS} versions`]] as const) {
      const l = loads[room]!;
      console.log(`${label.padEnd(44)}${med(l.map((x) => x.ms)).toFixed(1).padStart(16)}${med(l.map((x) => x.cpuMs)).toFixed(1).padStart(15)}`);
    }
    const ratio = (f: (x: Load) => number) => (med(loads[WITH]!.map(f)) / med(loads[WITHOUT]!.map(f))).toFixed(3);
    console.log(`Ratio (with history / without): time ×${ratio((x) => x.ms)}, server CPU ×${ratio((x) => x.cpuMs)}`);
    console.log(`\nListing ${listed} versions (GET /api/versions), median of 20: ${med(listMs).toFixed(1)} ms (${((med(listMs) * 1000) / listed).toFixed(1)} µs a version)`);
    console.log(`Restoring one (POST /api/versions/:id/restore), median of 10: ${med(restoreMs).toFixed(1)} ms; until a connected client holds it: ${med(seenMs).toFixed(1)} ms`);
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

await main();
