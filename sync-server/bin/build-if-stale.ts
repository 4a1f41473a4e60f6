import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm start` runs this first: it rebuilds the web app and the server bundle only when a source
// is newer than the build (or the build is missing), and says what it is doing meanwhile.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newest(entries: string[]): number {
  let max = 0;
  const visit = (p: string) => {
    const stat = fs.statSync(p, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p)) if (name !== 'node_modules' && name !== 'test') visit(path.join(p, name));
    } else {
      max = Math.max(max, stat.mtimeMs);
    }
  };
  for (const e of entries) visit(path.join(ROOT, e));
  return max;
}

const builtAt = (file: string): number => fs.statSync(path.join(ROOT, file), { throwIfNoEntry: false })?.mtimeMs ?? 0;

const targets = [
  {
    what: 'the web app',
    output: 'dist/web/index.html',
    inputs: ['web/src', 'web/index.html', 'shared/src', 'public', 'vite.config.ts', 'build', 'package-lock.json'],
    script: 'build:web',
  },
  {
    what: 'the server',
    output: 'dist/server/start.mjs',
    inputs: ['sync-server/src', 'sync-server/bin', 'shared/src', 'package-lock.json'],
    script: 'build:server',
  },
];

for (const t of targets) {
  const built = builtAt(t.output);
  if (built > 0 && built >= newest(t.inputs)) {
    console.log(`✓ ${t.what} is up to date`);
    continue;
  }
  console.log(`… building ${t.what} (${built === 0 ? 'no build yet' : 'sources changed'})`);
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', t.script], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✗ building ${t.what} failed (exit ${result.status}); see the output above.`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ built ${t.what} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
