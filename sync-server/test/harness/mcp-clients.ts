import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type * as Y from 'yjs';
import { writeSkillFiles } from '../../../shared/src/documents/skill-files';
import { writeWorkflowGraph, writeWorkflowMeta, type WorkflowGraph } from '../../../shared/src/documents/workflow';
import { putSkillSource, putWorkflowListing } from '../../../shared/src/documents/volume-index';
import { connectClient, synced, type TestClient } from './clients';
import { waitFor } from './wait';

/** The SDK's own MCP client over Streamable HTTP to a server's `/mcp`, as the holder of `token`. */
export async function mcpClient(serverUrl: string, token?: string): Promise<Client & { transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'llmunix-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(`${serverUrl}/mcp`), {
    requestInit: token ? { headers: { authorization: `Bearer ${token}` } } : undefined,
  });
  await client.connect(transport);
  return client as Client & { transport: StreamableHTTPClientTransport };
}

/** Ends an MCP client's session on the server (DELETE) and closes it. */
export async function closeMcpClient(client: Client & { transport: StreamableHTTPClientTransport }): Promise<void> {
  await client.transport.terminateSession().catch(() => undefined);
  await client.close();
}

/** A y-websocket client of `room` as the app is, as the holder of `token`, synced. */
export async function appClient(serverUrl: string, room: string, token?: string): Promise<TestClient> {
  const client = connectClient(serverUrl, room, { params: token ? { token } : {} });
  await synced(client);
  return client;
}

/** Waits until the server holds everything `doc` has (its sync answers nothing new), by a second client reading it back. */
async function stored(serverUrl: string, room: string, token: string | undefined, check: (doc: Y.Doc) => boolean): Promise<void> {
  const reader = await appClient(serverUrl, room, token);
  try {
    await waitFor(() => check(reader.doc), `${room} to hold what was written`);
  } finally {
    reader.destroy();
  }
}

/** Adds a skill to a volume as the app's skill editor does: its Markdown in the volume index's `skills` map, and the files of its folder. */
export async function addSkillInApp(serverUrl: string, volumeRoom: string, token: string | undefined, skillId: string, markdown: string, files: Record<string, Uint8Array> = {}): Promise<void> {
  const app = await appClient(serverUrl, volumeRoom, token);
  try {
    app.doc.transact(() => {
      putSkillSource(app.doc, skillId, markdown);
      const written = writeSkillFiles(app.doc, skillId, Object.entries(files).map(([path, bytes]) => ({ path, bytes })));
      if (!written.ok) throw new Error(JSON.stringify(written.error));
    });
    await stored(serverUrl, volumeRoom, token, (doc) => doc.getMap('skills').has(skillId));
  } finally {
    app.destroy();
  }
}

/** Writes a workflow as the app does: its own room (meta and graph), and its listing in the volume index. */
export async function addWorkflowInApp(
  serverUrl: string,
  where: { volumeRoom: string; workflowRoom: string; id: string },
  token: string | undefined,
  workflow: { name: string; description?: string } & WorkflowGraph,
): Promise<void> {
  const now = new Date().toISOString();
  const room = await appClient(serverUrl, where.workflowRoom, token);
  try {
    room.doc.transact(() => {
      writeWorkflowMeta(room.doc, { name: workflow.name, description: workflow.description ?? '', created_at: now, updated_at: now });
      writeWorkflowGraph(room.doc, { nodes: workflow.nodes, edges: workflow.edges });
    });
    await stored(serverUrl, where.workflowRoom, token, (doc) => doc.getMap('nodes').size === workflow.nodes.length);
  } finally {
    room.destroy();
  }
  const index = await appClient(serverUrl, where.volumeRoom, token);
  try {
    putWorkflowListing(index.doc, where.id, { name: workflow.name, description: workflow.description ?? '', created_at: now, updated_at: now });
    await stored(serverUrl, where.volumeRoom, token, (doc) => doc.getMap('workflows').has(where.id));
  } finally {
    index.destroy();
  }
}
