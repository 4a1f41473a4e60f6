// Interim: the MCP layer against a small in-test Library and RunService, until the real ones land.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { expect, it } from 'vitest';
import { identifyLocal } from '../../src/access/identity';
import type { Library, LibraryTool } from '../../src/library/types';
import type { RunService, RunView } from '../../src/runs/types';
import { McpSessions } from '../../src/mcp/sessions';
import { mcpRouter } from '../../src/mcp/http';

it('interim', async () => {
  const tool: LibraryTool = { name: 'echo', kind: 'skill', title: 'Echo', description: 'echoes', volume: { volume: 'system', volumeId: 'system' }, id: 'echo', inputs: [], outputs: [], inputSchema: { type: 'object', properties: { x: { type: 'number' } } }, outputSchema: { type: 'object', properties: { y: { type: 'number' } } } };
  let onChange = () => {};
  const library: Library = {
    view: async () => ({ tools: [tool], prompts: [{ name: 'p', title: 'P', description: 'd', body: 'body', skillId: 'p', volume: tool.volume, files: ['llmunix://system/system/skills/p/a.txt'] }], resources: [{ uri: 'llmunix://system/system/skills/p/a.txt', name: 'a.txt', mimeType: 'text/plain', size: 2, skillId: 'p', path: 'a.txt', volume: tool.volume }] }),
    prepareWorkflow: async () => { throw new Error('no'); },
    prepareTool: async (_i, _t, args) => ({ name: 'echo', kind: 'skill', graph: { nodes: [], edges: [] }, resolve: () => undefined, library: () => undefined, compounds: () => undefined, outputs: [], total: 2, args } as never),
    readResource: async (_i, uri) => (uri.endsWith('a.txt') ? { resource: (await library.view(_i)).resources[0]!, bytes: new TextEncoder().encode('hi') } : undefined),
    watch: (_i, cb) => { onChange = cb; return () => { onChange = () => {}; }; },
  };
  const runs: RunService = {
    start: (run, o) => {
      const base: RunView = { run_id: 'r', state: 'running', kind: 'skill', name: 'echo', created_at: '', progress: { done: 0, total: 2, running: ['a'] }, nodes: {} };
      const done = (async () => {
        o.onProgress?.(base);
        await new Promise((r) => setTimeout(r, 20));
        o.onProgress?.({ ...base, progress: { done: 1, total: 2, running: ['b'] } });
        await new Promise((r) => setTimeout(r, 20));
        return { ...base, state: 'done', progress: { done: 2, total: 2, running: [] }, outputs: { y: ((run as unknown as { args: { x: number } }).args.x ?? 0) * 2 }, nodes: { skill: { status: 'done' } } } as RunView;
      })();
      return { id: 'r', view: () => base, done, cancel: () => {} };
    },
    get: () => undefined,
    close: async () => {},
  };
  const sessions = new McpSessions({ library, runs, log: pino({ level: 'silent' }) });
  const app = express();
  app.use(express.json());
  app.use('/mcp', mcpRouter({ sessions, identify: identifyLocal, perMinute: 1000 }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  const client = new Client({ name: 't', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  const tools = await client.listTools();
  expect(tools.tools[0]!.name).toBe('echo');
  const progress: unknown[] = [];
  const result = await client.callTool({ name: 'echo', arguments: { x: 21 } }, undefined, { onprogress: (p) => progress.push(p) });
  expect(result.structuredContent).toEqual({ y: 42 });
  expect(progress.length).toBe(2);
  console.log(progress, result.content);
  const bad = await client.callTool({ name: 'nope' });
  expect(bad.isError).toBe(true);
  const prompt = await client.getPrompt({ name: 'p' });
  console.log(JSON.stringify(prompt));
  const res = await client.readResource({ uri: 'llmunix://system/system/skills/p/a.txt' });
  expect(res.contents[0]).toMatchObject({ text: 'hi' });
  await expect(client.readResource({ uri: 'llmunix://x' })).rejects.toThrow(/resource/);
  const changed = new Promise((r) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => r(true)));
  await new Promise((r) => setTimeout(r, 200));
  onChange();
  expect(await changed).toBe(true);
  expect(sessions.size).toBe(1);
  await client.close();
  await (client.transport as StreamableHTTPClientTransport | undefined)?.terminateSession?.();
  await sessions.closeAll();
  expect(sessions.size).toBe(0);
  server.closeAllConnections();
  server.close();
});
