/**
 * `npm run chaos`: every scenario at full size (100 kill -9 trials per backend, dependencies
 * stopped, a full disk, the 100,000-frame fuzz, 1,000 clients), then one table. Exit code 1 when
 * any row failed.
 *
 *   npm run chaos [-- --size ci|full --only crash,dependencies]   (CHAOS_SEED=<n> replays)
 */
import { parseArgs } from 'node:util';
import { chaosSeed, failedRows, removeServerBundle, runChaos } from './run';
import { chaosTable } from './table';

const { values } = parseArgs({ options: { size: { type: 'string', default: 'full' }, only: { type: 'string' } } });
if (values.size !== 'ci' && values.size !== 'full') throw new Error(`--size is ci or full, not ${values.size}`);
const seed = chaosSeed();
const started = Date.now();
const rows = await runChaos({ size: values.size, seed, only: values.only?.split(',') });
console.log(`\nChaos suite, ${values.size} size, seed ${seed} (replay with CHAOS_SEED=${seed}), ${((Date.now() - started) / 60_000).toFixed(1)} min\n`);
console.log(chaosTable(rows));
await removeServerBundle();
process.exit(failedRows(rows).length > 0 ? 1 : 0);
