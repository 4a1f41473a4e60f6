// The Assistants panel says how to use the library from other assistants, and what it says works:
// on a server with tokens, a signed-in person's Claude Code command reaches /mcp with their token
// (their own skill is a tool, another person's is not), and the desktop app's configuration, with
// the checkout's path put in, starts `npm run mcp` as a bridge that lists and calls the same tools.
// The Copy button puts the command on the clipboard. (MCP-6)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, it } from 'vitest';
import { mintUserToken } from '../../sync-server/src/access/tokens';
import { ROOT, useApp } from './harness';
import { signedIn } from './harness/sign-in';
import { javascriptSkill } from './run-e2e-helpers';

const SECRET = 'assistants-panel-secret-0123456789-abcdef';
const app = useApp({ AUTH_SECRET: SECRET });

/** Adds a skill to a person's volume over REST, with their token. */
async function addSkill(token: string, skillId: string): Promise<void> {
  const code = 'function execute(inputs) {\n  return { y: inputs.x + 1 };\n}';
  const answer = await fetch(`${app.server.url}/api/skills`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ content: javascriptSkill(skillId, code, [{ name: 'y', type: 'number' }], [{ name: 'x', type: 'number', default: 1 }]) }),
  });
  expect(answer.status).toBe(201);
}

const toolNames = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);

it('gives a signed-in person configurations that reach their library over MCP, by HTTP and by the stdio bridge', async () => {
  const alice = await mintUserToken(SECRET, { sub: 'alice' });
  await addSkill(alice, 'alice-plus-one');
  await addSkill(await mintUserToken(SECRET, { sub: 'bob' }), 'bob-plus-one');

  const page = await signedIn(app, alice);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.locator('[data-testid="assistants-open"]').click();
  const panel = page.locator('[data-testid="assistants-panel"]');
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/assistants-panel.png` });
  const command = (await panel.locator('[data-testid="mcp-claude-code"]').textContent()) ?? '';
  expect(command).toBe(`claude mcp add --transport http llmunix ${app.server.url}/mcp --header "Authorization: Bearer ${alice}"`);
  await panel.locator('[data-testid="mcp-claude-code-copy"]').click();
  await panel.locator('[data-testid="mcp-claude-code-copy"]', { hasText: 'Copied' }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);

  // What Claude Code would do with the command: Streamable HTTP to the URL, with the header.
  const [, url, header] = /--transport http llmunix (\S+) --header "Authorization: (.+)"$/.exec(command) ?? [];
  const http = new Client({ name: 'assistants-panel-test', version: '1.0.0' });
  await http.connect(new StreamableHTTPClientTransport(new URL(url!), { requestInit: { headers: { authorization: header! } } }));
  const names = await toolNames(http);
  expect(names).toContain('alice-plus-one');
  expect(names).toContain('sample-weather-data');
  expect(names).not.toContain('bob-plus-one');
  const called = await http.callTool({ name: 'alice-plus-one', arguments: { x: 41 } });
  expect(called.structuredContent).toEqual({ y: 42 });
  await http.close();

  // What Claude's desktop app would do with its configuration, the checkout's path put in.
  const desktop = JSON.parse((await panel.locator('[data-testid="mcp-desktop"]').textContent()) ?? '') as { mcpServers: { llmunix: { command: string; args: string[]; env: Record<string, string> } } };
  const server = desktop.mcpServers.llmunix;
  expect(server.env).toEqual({ LLMUNIX_TOKEN: alice });
  const stdio = new Client({ name: 'assistants-panel-desktop', version: '1.0.0' });
  await stdio.connect(new StdioClientTransport({ command: server.command, args: server.args.map((a) => (a === '/path/to/llmunix' ? ROOT : a)), env: { ...(process.env as Record<string, string>), ...server.env }, stderr: 'ignore' }));
  expect(await toolNames(stdio)).toContain('alice-plus-one');
  expect((await stdio.callTool({ name: 'alice-plus-one', arguments: { x: 1 } })).structuredContent).toEqual({ y: 2 });
  await stdio.close();

  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'detached' });
}, 120_000);
