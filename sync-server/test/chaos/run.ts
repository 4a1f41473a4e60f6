import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../../bin/build-server';
import { SCENARIOS } from './scenarios';
import { rowProblems } from './table';
import type { ChaosRow, ChaosSize } from './types';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let built: Promise<string> | undefined;

/**
 * Builds the server bundle the scenarios run, as `npm run build:server` does (what `npm start`
 * serves), once per process, under `dist/chaos-<pid>/` so test files running at once never
 * write one file together (inside the checkout, so its packages resolve from node_modules). It
 * sits as deep as `dist/server/`: the bundle finds the checkout (skills/, dist/web/) two levels up.
 */
export function buildServerBundle(): Promise<string> {
  return (built ??= buildServer(BUNDLE_DIR));
}

const BUNDLE_DIR = path.join(ROOT, 'dist', `chaos-${process.pid}`);

/** Removes the bundle this process built (its servers are stopped): runs leave no `dist/chaos-*` behind. */
export async function removeServerBundle(): Promise<void> {
  if (!built) return;
  built = undefined;
  await fs.rm(BUNDLE_DIR, { recursive: true, force: true });
}

export function chaosSeed(): number {
  const fromEnv = Number(process.env.CHAOS_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.floor(Math.random() * 2 ** 31) + 1;
}

/** Runs the scenarios named (all by default) at one size; a scenario that throws becomes a failed row. */
export async function runChaos(options: { size: ChaosSize; seed: number; only?: string[]; progress?: (line: string) => void }): Promise<ChaosRow[]> {
  const serverBundle = await buildServerBundle();
  const progress = options.progress ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: ChaosRow[] = [];
  for (const scenario of SCENARIOS) {
    if (options.only && !options.only.includes(scenario.name)) continue;
    progress(`chaos: ${scenario.name} (${options.size}, seed ${options.seed})…`);
    const started = Date.now();
    try {
      rows.push(...(await scenario.run({ size: options.size, seed: options.seed, serverBundle, progress: (l) => progress(`  ${scenario.name}: ${l}`) })));
    } catch (e) {
      rows.push({ scenario: scenario.name, fault: '(scenario threw)', backend: '–', trials: 0, acknowledged: 0, lost: 0, recoveryMs: [], problems: [(e as Error).stack ?? String(e)] });
    }
    progress(`chaos: ${scenario.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return rows;
}

export const failedRows = (rows: ChaosRow[]) => rows.filter((r) => rowProblems(r).length > 0);
