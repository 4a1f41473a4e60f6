import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../../sync-server/src/config';
import type { RunningServer } from '../../../sync-server/src/server';
import { startTestServer } from '../../../sync-server/test/harness/in-process';
import { WEB_DIST } from './paths';

export interface AppServer extends RunningServer {
  config: Config;
  /** The file backend's directory (a temp one unless DATA_DIR was given), or undefined with memory storage. */
  dataDir: string | undefined;
  /**
   * Stops the server and starts it again on the same port with the same storage directory, as a
   * server restart looks to the pages connected to it. Returns the new server; close that one at
   * the end (closing it also removes the temp DATA_DIR). Use `STORAGE: 'file'` for this: memory
   * storage starts empty, so the pages' copies of the read-only system volume look like edits to
   * the new server, which refuses them (y-websocket warns "Permission denied … read-only").
   */
  restart(): Promise<AppServer>;
}

/**
 * The real sync server, in this process on a free port, serving the built app (dist/web, built
 * by the e2e globalSetup). Memory storage and silent logs unless `env` says otherwise;
 * `{ STORAGE: 'file' }` without a DATA_DIR uses a fresh temp directory that `close()` removes.
 */
export async function startAppServer(env: Record<string, string> = {}): Promise<AppServer> {
  const ownsDir = env.STORAGE === 'file' && !env.DATA_DIR;
  const dataDir = ownsDir ? await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-e2e-')) : env.DATA_DIR;
  return start({ WEB_DIST, ...env, ...(dataDir ? { DATA_DIR: dataDir } : {}) }, ownsDir);
}

async function start(env: Record<string, string>, ownsDir: boolean): Promise<AppServer> {
  const server = await startTestServer(env);
  const dataDir = server.config.storage === 'file' ? server.config.dataDir : undefined;
  const removeDir = async () => {
    if (ownsDir && dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
  return {
    ...server,
    dataDir,
    close: async () => {
      await server.close();
      await removeDir();
    },
    restart: async () => {
      await server.close();
      return start({ ...env, PORT: String(server.port) }, ownsDir);
    },
  };
}
