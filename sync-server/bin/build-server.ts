/**
 * Builds the server as `npm start` runs it: `dist/server/start.mjs`, and beside it one bundle per
 * runtime worker thread (`python-worker.mjs`, `sandbox-worker.mjs`, `ngspice-worker.mjs`), which
 * the runtimes start from there (`src/headless/worker-start.ts`). Packages stay in node_modules.
 * `npm run build:server [-- OUTDIR]`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { WORKERS } from '../src/headless/worker-start';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Builds the server and its workers into `outdir` (as deep as `dist/server/`: the bundle finds the checkout two levels up). */
export async function buildServer(outdir = path.join(ROOT, 'dist/server')): Promise<string> {
  const entryPoints = [path.join(ROOT, 'sync-server/bin/start.ts'), ...WORKERS.map((w) => path.join(ROOT, `sync-server/src/headless/${w}.ts`))];
  await build({ entryPoints, bundle: true, platform: 'node', format: 'esm', packages: 'external', sourcemap: true, logLevel: 'warning', outdir, entryNames: '[name]', outExtension: { '.js': '.mjs' } });
  return path.join(outdir, 'start.mjs');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildServer(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
}
