/**
 * The evolution engine, headless: `npm run evolve -- DIR [--min-support N] [--days D] [--limit N|all] [--out SKILLS_DIR] [--skills DIR] [--now ISO]`.
 * Reads every `*.jsonl` trace file in DIR (as `npm run workflow -- … --traces DIR` writes them),
 * prints the compound skill suggestions as one JSON array on stdout, progress on stderr; lines
 * that are not traces are skipped and counted. `--out` writes each suggestion as `<skill_id>.md`
 * (a skill file `npm run workflow -- … --skills SKILLS_DIR` runs); `--skills` names and types
 * the user's skills; `--limit` how many suggestions at most (20 by default, `all` for every
 * maximal pattern); `--now` ends the window somewhere else than now. Exit 0, or 2 on bad input.
 */
import { parseArgs } from 'node:util';
import { MineOptionsError } from '../../shared/src/evolution/mine';
import { evolve, EvolveInputError } from '../src/headless/evolve';

const USAGE = 'usage: npm run evolve -- DIR [--min-support N] [--days D] [--limit N|all] [--out SKILLS_DIR] [--skills DIR] [--now ISO]';
const INVALID = 2;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(INVALID);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      'min-support': { type: 'string' },
      days: { type: 'string' },
      limit: { type: 'string' },
      out: { type: 'string' },
      skills: { type: 'string' },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (e) {
  usage((e as Error).message);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [dir, ...extra] = args.positionals;
if (!dir || extra.length > 0) usage(dir ? `one trace directory at a time (got ${args.positionals.length})` : 'no trace directory given');
const number = (flag: string, value: string | undefined) => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) usage(`--${flag} must be a number, got "${value}"`);
  return n;
};
const now = args.values.now === undefined ? undefined : Date.parse(args.values.now);
if (now !== undefined && Number.isNaN(now)) usage(`--now must be a date such as 2026-12-07T00:00:00Z, got "${args.values.now}"`);

try {
  const result = await evolve({
    dir,
    minSupport: number('min-support', args.values['min-support']),
    days: number('days', args.values.days),
    limit: args.values.limit === 'all' ? Infinity : number('limit', args.values.limit),
    outDir: args.values.out,
    skillsDir: args.values.skills,
    now,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${JSON.stringify(result.suggestions, null, 2)}\n`);
} catch (e) {
  if (!(e instanceof EvolveInputError || e instanceof MineOptionsError)) throw e;
  usage(e.message);
}
