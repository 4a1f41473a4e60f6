/**
 * Runs a workflow file headless: `npm run workflow -- FILE.json [--skills DIR] [--cache DIR] [--timeout MS] [--traces DIR]`.
 * One JSON object on stdout (node id → status, outputs, error); progress and skill output on
 * stderr. Exit 0: every node done or cached; 1: a node failed; 2: the file or workflow is
 * invalid; 130: interrupted. `--skills DIR` is the user's volume: `*.md` files, `<name>/SKILL.md`
 * folders and `.zip`/`.skill` archives at its top; whatever else is there is named on stderr as skipped.
 * `--traces DIR` appends the run's trace to `DIR/traces.jsonl`, for `npm run evolve`.
 */
import { parseArgs } from 'node:util';
import { EXIT, runWorkflowFile } from '../src/headless/run-file';

const USAGE = 'usage: npm run workflow -- FILE.json [--skills DIR] [--cache DIR] [--timeout MS] [--traces DIR]';

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(EXIT.invalid);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: { skills: { type: 'string' }, cache: { type: 'string' }, timeout: { type: 'string' }, traces: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
} catch (e) {
  usage((e as Error).message);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const [file, ...extra] = args.positionals;
if (!file || extra.length > 0) usage(file ? `one workflow file at a time (got ${args.positionals.length})` : 'no workflow file given');
const timeout = args.values.timeout === undefined ? undefined : Number(args.values.timeout);
if (timeout !== undefined && !(Number.isInteger(timeout) && timeout > 0)) usage(`--timeout must be a positive number of milliseconds, got "${args.values.timeout}"`);

// Ctrl-C cancels the run (running nodes are stopped, the answer is still printed); twice quits.
const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(EXIT.interrupted);
  process.stderr.write('cancelling… (Ctrl-C again to quit at once)\n');
  controller.abort(new Error('cancelled'));
});

const result = await runWorkflowFile({
  file,
  skillsDir: args.values.skills,
  cacheDir: args.values.cache,
  timeoutMs: timeout,
  tracesDir: args.values.traces,
  signal: controller.signal,
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify(result.nodes, null, 2)}\n`);
process.exitCode = result.exitCode;
