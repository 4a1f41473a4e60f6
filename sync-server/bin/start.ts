import pino from 'pino';
import { ConfigError, loadConfig } from '../src/config';
import { startServer } from '../src/server';
import { SystemSkillsError } from '../src/system-volume';

// Thin entry point: configuration, start, and a graceful stop on SIGINT/SIGTERM.
try {
  const config = loadConfig();
  const log = pino({ level: config.logLevel });
  const server = await startServer(config, { log });
  // The log line above is JSON, for machines; a person starting the server wants the address.
  // On stderr, so stdout stays one JSON object per line.
  console.error(`\nLLMunix is running: open ${server.url} in your browser (Ctrl+C stops it).\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'signal received');
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (e) {
  if (e instanceof ConfigError || e instanceof SystemSkillsError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
