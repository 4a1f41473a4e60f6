// `npm run mcp` over stdio with the SDK's own client, which starts it as Claude's desktop app
// does: as a bridge to a running server (started through `npm run --silent`, so stdout carries
// nothing but the protocol), and over a data directory with no server, which it locks: a second
// process on the same directory is refused and told to use --server.
// (MCP-6, DUR-8)
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, type StdioServerParameters } from '@modelcontextprotocol/sdk/client/stdio.js';
import { expect, it } from 'vitest';
import { LOCK_FILE } from '../../src/storage/data-dir-lock';
import { REPO } from '../headless/helpers';
import { startTestServer } from '../harness/in-process';
import { teardownEachTest } from '../harness/teardown';
import { waitFor } from '../harness/wait';

const { cleanups, tempDir } = teardownEachTest('llmunix-mcp-stdio-');
const TSX = ['--import', 'tsx', 'sync-server/bin/mcp.ts'];

async function stdioClient(params: StdioServerParameters): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ cwd: REPO, stderr: 'pipe', ...params });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'llmunix-stdio-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, stderr: () => stderr };
}

it('npm run --silent mcp -- --server URL: lists and calls the running server’s tools', async () => {
  const server = await startTestServer();
  cleanups.push(() => server.close());
  const { client } = await stdioClient({ command: 'npm', args: ['run', '--silent', 'mcp', '--prefix', REPO, '--', '--server', server.url] });
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toEqual(expect.arrayContaining(['sample-weather-data', 'quantum-circuit']));
  const result = await client.callTool({ name: 'sample-weather-data', arguments: { cities: ['Lisbon', 'Tokyo'], days: 2 } });
  expect(result.structuredContent).toMatchObject({ row_count: 4 });
}, 60_000);

it('--data DIR: the library of a data directory with no server, which a second process may not open', async () => {
  const dir = await tempDir();
  const { client } = await stdioClient({ command: process.execPath, args: [...TSX, '--data', dir] });
  expect((await client.listTools()).tools.map((t) => t.name)).toContain('sample-weather-data');
  const result = await client.callTool({ name: 'sample-weather-data', arguments: { days: 1 } });
  expect(result.structuredContent).toMatchObject({ row_count: 4 });

  const second = spawn(process.execPath, [...TSX, '--data', dir], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  second.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
  expect(code).toBe(1);
  expect(stderr).toMatch(/is in use by npm run mcp --data \(pid \d+.*npm run mcp -- --server URL/);
  expect(stdout).toBe('');

  // The client closing stdin ends the first one gracefully: its rooms flushed and the directory free again.
  await client.close();
  await waitFor(async () => !(await fs.stat(path.join(dir, LOCK_FILE)).then(() => true, () => false)), 'the lock to be released');
}, 90_000);

it('--help says how to use it; bad arguments exit 2 with the problem on stderr', async () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [...TSX, ...args], { cwd: REPO });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.once('exit', (code) => resolve({ code, stdout, stderr }));
    });
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/--server URL[\s\S]*--data DIR/);
  const both = await run(['--data', '/tmp/x', '--server', 'http://127.0.0.1:1']);
  expect(both.code).toBe(2);
  expect(both.stderr).toMatch(/either --data or --server/);
  expect(both.stdout).toBe('');
}, 60_000);
