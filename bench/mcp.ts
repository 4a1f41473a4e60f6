/**
 * MCP benchmark: a system skill called as an MCP tool over Streamable HTTP against the same skill
 * run by `npm run workflow` (a one-node workflow file), measured in the same run, for one
 * JavaScript skill and one Python skill:
 * - `npm run workflow` cold: a process spawned for the run (runtimes started for it), the reference;
 * - MCP cold: the first call after the server starts (its runtimes not started yet);
 * - MCP warm: the median of N calls one after another (inputs varied, so no result is cached);
 * - overhead per call: MCP warm − the run's own duration on the server (`_meta["llmunix/run"]`);
 * - calls/s: P clients calling at once, each its own session, under the server's default limits.
 * The server is the built bundle as `npm start` runs it (`dist/server/start.mjs`, built first by
 * the npm script). Its REST/MCP rate limit is raised, as it would stop the load test at 10 calls/s
 * otherwise.
 *
 *   npm run bench:mcp [-- --calls 30 --clients 8]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import readline from 'node:readline';

const { values: args } = parseArgs({ options: { calls: { type: 'string', default: '30' }, clients: { type: 'string', default: '8' }, spawns: { type: 'string', default: '3' } } });
const CALLS = Number(args.calls);
const CLIENTS = Number(args.clients);
const SPAWNS = Number(args.spawns);
const ROOT = path.resolve(import.meta.dirname, '..');

interface Case {
  label: string;
  skillId: string;
  /** Arguments for call `i`: a different seed each time, so the result cache never answers. */
  args: (i: number) => Record<string, unknown>;
}
const CASES: Case[] = [
  { label: 'JavaScript: sample-weather-data', skillId: 'sample-weather-data', args: (i) => ({ days: 30, seed: 1000 + i }) },
  { label: 'Python: quantum-circuit', skillId: 'quantum-circuit', args: (i) => ({ shots: 100, seed: 1000 + i }) },
];

const ms = (t0: number) => performance.now() - t0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (x: number, digits = 0) => x.toFixed(digits);

/** `npm run workflow` on a one-node workflow file, from spawn to exit. */
async function workflowCold(dir: string, c: Case, i: number): Promise<number> {
  const file = path.join(dir, `${c.skillId}-${i}.workflow.json`);
  const workflow = { format: 'llmunix-workflow', version: 1, name: c.skillId, nodes: [{ id: 'skill', skillId: c.skillId, label: '', position: { x: 0, y: 0 }, inputs: c.args(i) }], edges: [] };
  await fs.writeFile(file, JSON.stringify(workflow));
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve) => spawn('npm', ['run', '--silent', 'workflow', '--', file], { cwd: ROOT, stdio: 'ignore' }).once('exit', resolve));
  if (code !== 0) throw new Error(`npm run workflow ${file} exited with ${code}`);
  return ms(t0);
}

/** The server entry point on a free port, with a fresh data directory; resolves with its URL once it listens. */
async function startServer(dataDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--max-semi-space-size=8', path.join(ROOT, 'dist/server/start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', REST_RATE_LIMIT_PER_MINUTE: '1000000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"listening"')) resolve(Number((JSON.parse(line) as { port: number }).port));
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening:\n${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url: `http://127.0.0.1:${port}`, stop };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench-mcp', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`)));
  return client;
}

async function call(client: Client, c: Case, i: number): Promise<{ ms: number; runMs: number }> {
  const t0 = performance.now();
  const result = (await client.callTool({ name: c.skillId, arguments: c.args(i) }, undefined, { timeout: 300_000 })) as CallToolResult;
  const took = ms(t0);
  if (result.isError) throw new Error(`${c.skillId} failed: ${JSON.stringify(result.content)}`);
  const run = result._meta?.['llmunix/run'] as { duration_ms?: number } | undefined;
  return { ms: took, runMs: run?.duration_ms ?? NaN };
}

interface Row {
  label: string;
  workflowCold: number;
  mcpCold: number;
  warm: number;
  runMs: number;
  callsPerS: number;
}

async function measure(c: Case): Promise<Row> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-bench-mcp-'));
  try {
    const spawns: number[] = [];
    for (let i = 0; i < SPAWNS; i++) spawns.push(await workflowCold(dir, c, i));

    const server = await startServer(path.join(dir, 'data'));
    const { url } = server;
    try {
      const client = await connect(url);
      const cold = await call(client, c, 0);
      const warm: Array<{ ms: number; runMs: number }> = [];
      for (let i = 1; i <= CALLS; i++) warm.push(await call(client, c, i));
      await client.close();

      const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect(url)));
      let next = CALLS + 1;
      const end = next + CALLS * CLIENTS;
      const t0 = performance.now();
      await Promise.all(
        clients.map(async (cl) => {
          while (next < end) await call(cl, c, next++);
        }),
      );
      const callsPerS = (CALLS * CLIENTS) / (ms(t0) / 1000);
      await Promise.all(clients.map((cl) => cl.close()));
      return { label: c.label, workflowCold: median(spawns), mcpCold: cold.ms, warm: median(warm.map((w) => w.ms)), runMs: median(warm.map((w) => w.runMs)), callsPerS };
    } finally {
      await server.stop();
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

console.log(`MCP benchmark, Node ${process.version}, ${os.cpus().length} CPUs; ${SPAWNS} spawns, ${CALLS} warm calls, ${CLIENTS} clients × ${CALLS} calls`);
const rows: Row[] = [];
for (const c of CASES) rows.push(await measure(c));
console.log('');
console.log('| skill | `npm run workflow` cold | MCP cold (first call) | MCP warm (median) | run on the server | MCP overhead per call | warm vs `npm run workflow` | calls/s (' + CLIENTS + ' clients, RUN_CONCURRENCY default) |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${fmt(r.workflowCold)} ms | ${fmt(r.mcpCold)} ms (${fmt(r.mcpCold / r.workflowCold, 2)}×) | ${fmt(r.warm, 1)} ms | ${fmt(r.runMs, 1)} ms | ${fmt(r.warm - r.runMs, 1)} ms | ${fmt(r.workflowCold / r.warm, 0)}× faster | ${fmt(r.callsPerS, 1)} |`,
  );
}
