/**
 * Mining benchmark: the evolution engine's miner over seeded traces (10,000 runs of 20 nodes,
 * and a smaller set), in Node and in headless Chromium (the same timing code, bundled by esbuild
 * and served from 127.0.0.1), side by side. Each row has its reference, measured in the same
 * place and run: reading the traces (parsing each JSON line, reading it as the miner does) and
 * canonicalising each run's whole graph once. "bounded" is what the app and `npm run evolve`
 * ask for (the first `--limit` patterns); "all" is every maximal pattern (`limit: Infinity`),
 * measured once. The reference and the bounded mining are
 * medians of `--repeat` runs, after a small warm-up pass in each place.
 *
 *   npm run bench:mine [-- --traces 10000 --small 1000 --nodes 20 --workflows 200 --skills 40
 *                          --seed 1 --limit 20 --repeat 3 --node-only]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { timeMining, type MineTiming, type MineTimingOptions } from './lib/mine-timing';

const { values: args } = parseArgs({
  options: {
    traces: { type: 'string', default: '10000' },
    small: { type: 'string', default: '1000' },
    nodes: { type: 'string', default: '20' },
    workflows: { type: 'string', default: '200' },
    skills: { type: 'string', default: '40' },
    seed: { type: 'string', default: '1' },
    'min-support': { type: 'string', default: '3' },
    'max-nodes': { type: 'string', default: '8' },
    limit: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '3' },
    'node-only': { type: 'boolean', default: false },
  },
});
const NOW = Date.parse('2026-12-07T00:00:00Z');
const sizes = [Number(args.small), Number(args.traces)];
const runsOf = (traces: number): MineTimingOptions => ({
  setup: { traces, nodes: Number(args.nodes), workflows: Number(args.workflows), skills: Number(args.skills), seed: Number(args.seed), now: NOW },
  minSupport: Number(args['min-support']),
  maxNodes: Number(args['max-nodes']),
  limit: Number(args.limit),
  all: true,
  repeat: Number(args.repeat),
});
/** A first small pass, not reported, so neither place is timed while its JIT warms up. */
const warmUp: MineTimingOptions = { ...runsOf(300), all: false, repeat: 1 };

/** The page's bundle: bench/mine-page.ts and the miner it imports. */
async function pageScript(): Promise<string> {
  const out = await build({ entryPoints: [path.join(import.meta.dirname, 'mine-page.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return out.outputFiles[0]!.text;
}

/** Times each size in headless Chromium, the bundle served from 127.0.0.1. */
async function inChromium(options: MineTimingOptions[]): Promise<MineTiming[]> {
  const script = await pageScript();
  const server = http.createServer((req, res) => {
    if (req.url === '/mine.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>mine</title><script src="/mine.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'mineBench' in globalThis);
    const timings: MineTiming[] = [];
    await page.evaluate((o) => (globalThis as unknown as { mineBench: (o: MineTimingOptions) => MineTiming }).mineBench(o), warmUp);
    for (const o of options) {
      timings.push(await page.evaluate((o) => (globalThis as unknown as { mineBench: (o: MineTimingOptions) => MineTiming }).mineBench(o), o));
    }
    return timings;
  } finally {
    await browser.close();
    server.close();
  }
}

const options = sizes.map(runsOf);
timeMining(warmUp);
const node = options.map((o) => timeMining(o));
const browser = args['node-only'] ? undefined : await inChromium(options);

const ms = (t: number | undefined) => (t === undefined ? '—' : `${t.toFixed(0)} ms`);
const row = (where: string, t: MineTiming) =>
  `  ${where.padEnd(9)} read (ref) ${ms(t.readMs).padStart(9)} | bounded ${ms(t.boundedMs).padStart(9)} (${(t.boundedMs / t.readMs).toFixed(2)}× ref) → ${t.bounded} patterns | all ${ms(t.allMs).padStart(9)}${t.allMs === undefined ? '' : ` (${(t.allMs / t.readMs).toFixed(1)}× ref)`} → ${t.all ?? '—'} patterns`;
options.forEach((o, i) => {
  const s = o.setup;
  console.log(`${s.traces} traces of ${s.nodes} nodes (${s.workflows} workflows, ${s.skills} skills, seed ${s.seed}): ${node[i]!.runs} successful runs in the 7-day window; min support ${o.minSupport}, at most ${o.maxNodes} nodes, limit ${o.limit}`);
  console.log(row('Node', node[i]!));
  if (browser) console.log(row('Chromium', browser[i]!));
  console.log(`  top: ${node[i]!.top.join('; ')}`);
});
