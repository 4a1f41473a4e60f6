import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import pino from 'pino';
import { localIdentity } from '../../../shared/src/access';
import { LOCAL_USER_ID } from '../../../shared/src/rooms';
import { loadConfig } from '../config';
import { startServer } from '../server';
import { createMcpServer } from './server';

/** What `npm run mcp --data` holds the data directory as, in the lock another process reads. */
export const DATA_MODE_HOLDER = 'npm run mcp --data';

/**
 * The library of a data directory over one MCP transport, as the local user, with no server
 * listening: the storage, rooms, system volume, library and runs are built as `startServer`
 * builds them, and the data directory is locked for this process as a server locks it.
 */
export async function serveDataDir(dataDir: string, transport: Transport, say: (line: string) => void): Promise<{ closed: Promise<void>; close(): Promise<void> }> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    STORAGE: 'file',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...(process.env.SKILLS_DIR ? { SKILLS_DIR: process.env.SKILLS_DIR } : {}),
  });
  // Logs on stderr: stdout is the protocol.
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const server = await startServer(config, { log, listen: false, holder: DATA_MODE_HOLDER });
  const mcp = createMcpServer(localIdentity(LOCAL_USER_ID), { library: server.library, runs: server.runs, log });
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await mcp.close().catch(() => undefined);
      await server.close();
      resolveClosed();
    })());
  const stopWatching = mcp.onclose;
  mcp.onclose = () => {
    stopWatching?.();
    void close();
  };
  await mcp.connect(transport);
  say(`llmunix mcp: serving the library of ${config.dataDir} as the local user`);
  return { closed, close };
}
