import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { startServer, type RunningServer } from '../../src/server';

/** Starts the server in this process on a free port; memory storage unless told otherwise. */
export async function startTestServer(env: Record<string, string> = {}): Promise<RunningServer & { config: Config }> {
  const config = loadConfig({ STORAGE: 'memory', PORT: '0', LOG_LEVEL: 'silent', ...env });
  const server = await startServer(config, { log: pino({ level: 'silent' }) });
  return { ...server, config };
}
