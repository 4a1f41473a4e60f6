import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, WEB_DIST } from './paths';

/**
 * Vitest globalSetup of the e2e project: builds the app once per run, exactly as `npm run build:web`
 * does, so the tests drive what ships. `E2E_SKIP_BUILD=1` reuses an existing dist/web (to iterate
 * on a test without rebuilding).
 *
 * The build runs in a child process: inside Vitest's process NODE_ENV is "test", which would make
 * Vite produce a development bundle (Preact's debug hooks, unminified) instead of the real one.
 */
export default async function setup(): Promise<void> {
  if (process.env.E2E_SKIP_BUILD === '1') {
    if (!fs.existsSync(path.join(WEB_DIST, 'index.html'))) {
      throw new Error(`E2E_SKIP_BUILD=1 but ${WEB_DIST}/index.html does not exist: run "npm run build:web" first.`);
    }
    return;
  }
  const started = Date.now();
  await viteBuild();
  if (process.env.E2E_VERBOSE) console.log(`e2e: vite build took ${Date.now() - started} ms`);
}

function viteBuild(): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  env.NO_COLOR = '1';
  delete env.FORCE_COLOR;
  for (const key of Object.keys(env)) if (key.startsWith('VITEST')) delete env[key];
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? code}); the e2e tests need the built app:\n${output}`));
    });
  });
}
