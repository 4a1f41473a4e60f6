/**
 * The library over MCP on stdio, for clients that start a command (Claude's desktop app, editors):
 *   npm run --silent mcp -- [--server URL] [--token TOKEN]   a bridge to a running server's /mcp
 *   npm run --silent mcp -- --data DIR                       the library of DATA_DIR, run in this process
 * stdout carries the protocol alone; everything else goes to stderr.
 */
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { bridgeToServer, mcpEndpoint } from '../src/mcp/bridge';
import { serveDataDir } from '../src/mcp/local';

const DEFAULT_SERVER = 'http://127.0.0.1:8787';
const USAGE = `usage: npm run --silent mcp -- [--server URL] [--token TOKEN]
       npm run --silent mcp -- --data DIR

Speaks MCP (Model Context Protocol) on stdin/stdout: every skill and workflow you can read is a tool.
  --server URL   forward to the /mcp of the LLMunix server at URL (default ${DEFAULT_SERVER});
                 you are whoever the token says (env LLMUNIX_TOKEN, or --token), as in the app.
  --token TOKEN  a token from "npm run token" when the server has AUTH_SECRET.
  --data DIR     no server: open the data directory DIR and run the library here, as the local user.
                 Not while a server uses DIR (use --server then).
Errors and progress go to stderr; stdout is the protocol.`;

const say = (line: string) => process.stderr.write(`${line}\n`);

function usage(problem: string): never {
  say(`${problem}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { server: { type: 'string' }, token: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (e) {
  usage((e as Error).message);
}
if (values.help) {
  // Asked for by a person at a terminal, not a client: stdout is fine here.
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (values.data !== undefined && (values.server !== undefined || values.token !== undefined)) usage('--data runs without a server: give either --data or --server (and --token), not both.');

const stdio = new StdioServerTransport();
try {
  let served: { closed: Promise<void>; close(): Promise<void> };
  if (values.data !== undefined) {
    served = await serveDataDir(values.data, stdio, say);
  } else {
    let endpoint: URL;
    try {
      endpoint = mcpEndpoint(values.server ?? DEFAULT_SERVER);
    } catch {
      usage(`--server must be a URL such as ${DEFAULT_SERVER}, got "${values.server}"`);
    }
    served = await bridgeToServer(stdio, endpoint, { token: values.token ?? process.env.LLMUNIX_TOKEN, say });
    say(`llmunix mcp: forwarding stdio to ${endpoint.href}`);
  }
  // A client ends by closing our stdin (then SIGTERM): what is open (rooms, the server's session) is closed before exiting.
  const stop = () => void served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.once('end', stop);
  await served.closed;
  process.exit(0);
} catch (e) {
  say(`llmunix mcp: ${(e as Error).message}`);
  process.exit(1);
}
