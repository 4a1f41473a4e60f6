// The built server (`npm start` runs dist/server/start.mjs) runs skills: its runtimes start their
// worker threads from the bundles built beside it (python-worker.mjs, sandbox-worker.mjs,
// ngspice-worker.mjs), not from TypeScript files the bundle does not have. An MCP client calls a
// JavaScript, a Python and an ngspice system skill on it. (RUNS-10)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServer } from '../bin/build-server';
import { closeMcpClient, mcpClient } from './harness/mcp-clients';
import { startServerProcess, type ServerProcess } from './harness/server-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
// As deep as dist/server/: the bundle finds the checkout (skills/) two levels up.
const OUT = path.join(ROOT, 'dist', `built-runs-${process.pid}`);

let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-built-runs-'));
  const bundle = await buildServer(OUT);
  expect((await fs.readdir(OUT)).filter((f) => f.endsWith('.mjs')).sort()).toEqual(['ngspice-worker.mjs', 'python-worker.mjs', 'sandbox-worker.mjs', 'start.mjs']);
  server = await startServerProcess({ DATA_DIR: dataDir }, 0, { bundle });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fs.rm(OUT, { recursive: true, force: true });
  await fs.rm(dataDir, { recursive: true, force: true });
});

it('calls a JavaScript, a Python and an ngspice system skill on the built server', async () => {
  const client = await mcpClient(server.url);
  try {
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = await client.callTool({ name, arguments: args }, undefined, { timeout: 120_000 });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      return result.structuredContent as Record<string, unknown>;
    };
    const weather = await call('sample-weather-data', { days: 3 });
    expect(Object.keys(weather).length).toBeGreaterThan(0);
    const circuit = await call('quantum-circuit');
    expect(Object.keys(circuit).length).toBeGreaterThan(0);
    const divider = await call('spice-resistor');
    expect(Object.keys(divider).length).toBeGreaterThan(0);
  } finally {
    await closeMcpClient(client);
  }
}, 180_000);
