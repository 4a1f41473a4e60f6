import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ServerProcess } from '../harness/server-process';

/** Lines the server logged at error or worse (pino's level 50+), shortened for the table. */
export const serverErrors = (server: ServerProcess): string[] => server.logs.filter((l) => Number(l.level) >= 50).map((l) => JSON.stringify(l).slice(0, 300));

/** A fresh data directory for one scenario's server (the caller removes it). */
export const dataDirFor = (what: string): Promise<string> => fs.mkdtemp(path.join(os.tmpdir(), `llmunix-chaos-${what}-`));
