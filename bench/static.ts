/**
 * The web app's files as sent (issue 19), compressed against uncompressed in the same run:
 * - the build step: what compressing dist/web costs (wall and CPU time) and what it saves;
 * - the big files (the ngspice bundle, Pyodide's WebAssembly and JavaScript, the app's entry
 *   script): bytes as sent and time to fetch them, over bare loopback and over a link of `--mbps`
 *   (a loopback proxy that delivers no faster), until the last byte, and the decoding's time
 *   apart, as brotli, gzip and plain;
 * - the whole first load in Chromium (the page until the app shows, then the service worker's
 *   precache until it is ready): bytes on the wire and times, on both links.
 *
 * Two server processes (the built bundle) serve two copies of the same build: one with the
 * build's .br/.gz copies, one without (what was sent before, byte for byte).
 *
 *   npm run bench:static [-- --runs 3 --mbps 20]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import zlib from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { precompressDir } from '../build/precompress';
import { startServerProcess, type ServerProcess } from '../sync-server/test/harness/server-process';
import { startLinkProxy, type LinkProxy } from './lib/link-proxy';
import { percentile } from './lib/proc';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' }, mbps: { type: 'string', default: '20' } } });
const RUNS = Number(args.runs);
const MBPS = Number(args.mbps);
const ROOT = path.resolve(import.meta.dirname, '..');
const WEB_DIST = path.join(ROOT, 'dist/web');
const BUNDLE = path.join(ROOT, 'dist/server/start.mjs');
const COPY = /\.(br|gz)$/;

const med = (values: number[]) => percentile(values, 50);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const exists = (file: string) => fs.access(file).then(() => true, () => false);

/** `vite build` when dist/web lacks the compressed copies (never built, or built before they existed). */
function buildIfNeeded(has: boolean): void {
  if (has) return;
  console.log('dist/web has no compressed copies: building (npm run build:web)…');
  const started = performance.now();
  const built = spawnSync('npm', ['run', 'build:web', '--', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`npm run build:web failed (${built.status}); the benchmark measures the built app.`);
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** The build step alone, on a fresh copy of the build without its compressed copies. */
async function buildStep(plain: string, compressed: string) {
  await fs.cp(plain, compressed, { recursive: true });
  const cpu = process.cpuUsage();
  const started = performance.now();
  const files = await precompressDir(compressed);
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return { files, wallMs, cpuMs: (user + system) / 1000 };
}

interface Fetch {
  /** Body bytes on the wire. */
  bytes: number;
  /** Until the last byte arrived (the body kept as it came, so decoding does not slow the transfer). */
  lastByteMs: number;
  /** Decoding the whole body afterwards (0 for a plain one): what a browser spends, mostly while the bytes still arrive. */
  decodeMs: number;
  decoded: number;
}

const decoders: Record<string, (body: Buffer) => Promise<Buffer>> = { br: promisify(zlib.brotliDecompress), gzip: promisify(zlib.gunzip) };

/** One GET with `acceptEncoding`: the transfer, then the decoding, each timed. */
async function fetchOnce(url: string, acceptEncoding: string): Promise<Fetch> {
  const started = performance.now();
  const { body, encoding } = await new Promise<{ body: Buffer; encoding: string | undefined }>((resolve, reject) => {
    http
      .get(url, { headers: { 'Accept-Encoding': acceptEncoding }, agent: false }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`${url}: ${res.statusCode}`));
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ body: Buffer.concat(chunks), encoding: res.headers['content-encoding'] }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  const lastByteMs = performance.now() - started;
  const decoder = encoding ? decoders[encoding] : undefined;
  const decodeStarted = performance.now();
  const decoded = decoder ? await decoder(body) : body;
  return { bytes: body.length, lastByteMs, decodeMs: decoder ? performance.now() - decodeStarted : 0, decoded: decoded.length };
}

const ENCODINGS = [
  { label: 'plain (before)', acceptEncoding: 'identity', compressed: false },
  { label: 'gzip', acceptEncoding: 'gzip', compressed: true },
  { label: 'brotli', acceptEncoding: 'gzip, deflate, br, zstd', compressed: true },
] as const;

interface Link {
  name: string;
  plain: string;
  compressed: string;
}

async function bigFiles(links: Link[], files: Array<{ label: string; url: string; size: number }>) {
  const rows: Array<{ link: string; file: string; encoding: string; bytes: number; lastByteMs: number; decodeMs: number }> = [];
  for (const link of links) {
    for (const file of files) {
      const samples = new Map<string, Fetch[]>(ENCODINGS.map((e) => [e.label, []]));
      // Encodings take turns within each run, so drift in the machine's load hits them alike.
      for (let run = 0; run < RUNS; run++) {
        for (const e of ENCODINGS) {
          const got = await fetchOnce(`${e.compressed ? link.compressed : link.plain}${file.url}`, e.acceptEncoding);
          if (got.decoded !== file.size) throw new Error(`${file.url} as ${e.label}: ${got.decoded} bytes decoded, the file has ${file.size}`);
          samples.get(e.label)!.push(got);
        }
      }
      for (const e of ENCODINGS) {
        const s = samples.get(e.label)!;
        rows.push({ link: link.name, file: file.label, encoding: e.label, bytes: s[0]!.bytes, lastByteMs: med(s.map((x) => x.lastByteMs)), decodeMs: med(s.map((x) => x.decodeMs)) });
      }
    }
  }
  return rows;
}

/** One fresh profile's first visit through `proxy`: until the app shows, then until the service worker is ready and the link is quiet. */
async function firstLoad(browser: Browser, proxy: LinkProxy) {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  proxy.reset();
  const started = performance.now();
  await page.goto(`${proxy.url}/`, { waitUntil: 'commit' });
  await page.locator('[data-testid="sync-status"]').waitFor({ timeout: 120_000 });
  const appMs = performance.now() - started;
  const appBytes = proxy.down();
  await page.evaluate(async () => navigator.serviceWorker.ready);
  while (proxy.idleMs() < 300) await new Promise((r) => setTimeout(r, 50));
  const installedMs = performance.now() - started - proxy.idleMs();
  const result = { appMs, appBytes, installedMs, installedBytes: proxy.down() };
  await context.close();
  return result;
}

async function firstLoads(browser: Browser, proxies: Array<{ link: string; kind: 'plain (before)' | 'compressed'; proxy: LinkProxy }>) {
  const samples = new Map<(typeof proxies)[number], Array<Awaited<ReturnType<typeof firstLoad>>>>(proxies.map((p) => [p, []]));
  for (let run = 0; run < RUNS; run++) for (const p of proxies) samples.get(p)!.push(await firstLoad(browser, p.proxy));
  return proxies.map((p) => {
    const s = samples.get(p)!;
    return { link: p.link, kind: p.kind, appMs: med(s.map((x) => x.appMs)), appBytes: med(s.map((x) => x.appBytes)), installedMs: med(s.map((x) => x.installedMs)), installedBytes: med(s.map((x) => x.installedBytes)) };
  });
}

async function main() {
  buildIfNeeded(await exists(path.join(WEB_DIST, 'index.html.br')));
  if (!(await exists(BUNDLE))) throw new Error(`${BUNDLE} is missing: run "npm run build:server" (npm run bench:static does).`);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-bench-static-'));
  const plainDir = path.join(work, 'plain');
  const compressedDir = path.join(work, 'compressed');
  const servers: ServerProcess[] = [];
  const proxies: LinkProxy[] = [];
  let browser: Browser | undefined;
  try {
    await fs.cp(WEB_DIST, plainDir, { recursive: true, filter: (src) => !COPY.test(src) });
    const step = await buildStep(plainDir, compressedDir);

    const html = await fs.readFile(path.join(plainDir, 'index.html'), 'utf8');
    const entry = /<script type="module" crossorigin src="\/([^"]+)"/.exec(html)?.[1];
    const ngspice = (await fs.readdir(path.join(plainDir, 'assets'))).find((n) => /^eecircuit-engine-[\w-]+\.js$/.test(n));
    const pyodide = `pyodide/${(await fs.readdir(path.join(plainDir, 'pyodide')))[0]}`;
    if (!entry || !ngspice) throw new Error('the build has no entry script or no ngspice bundle: is dist/web the app?');
    const files = await Promise.all(
      [
        { label: 'ngspice bundle', file: `assets/${ngspice}` },
        { label: 'pyodide.asm.wasm', file: `${pyodide}/pyodide.asm.wasm` },
        { label: 'pyodide.asm.mjs', file: `${pyodide}/pyodide.asm.mjs` },
        { label: 'entry script', file: entry },
      ].map(async (f) => ({ label: f.label, url: `/${f.file}`, size: (await fs.stat(path.join(plainDir, f.file))).size })),
    );

    const env = { STORAGE: 'memory', LOG_LEVEL: 'info' };
    const [plain, compressed] = await Promise.all([
      startServerProcess({ ...env, WEB_DIST: plainDir }, 0, { bundle: BUNDLE }),
      startServerProcess({ ...env, WEB_DIST: compressedDir }, 0, { bundle: BUNDLE }),
    ]);
    servers.push(plain, compressed);
    const throttled = await Promise.all([startLinkProxy(plain.url, MBPS), startLinkProxy(compressed.url, MBPS)]);
    const bare = await Promise.all([startLinkProxy(plain.url), startLinkProxy(compressed.url)]);
    proxies.push(...throttled, ...bare);
    const links: Link[] = [
      { name: 'loopback', plain: plain.url, compressed: compressed.url },
      { name: `${MBPS} Mbit/s`, plain: throttled[0]!.url, compressed: throttled[1]!.url },
    ];
    const big = await bigFiles(links, files);

    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu', '--no-first-run'],
    });
    const loads = await firstLoads(browser, [
      { link: 'loopback', kind: 'plain (before)', proxy: bare[0]! },
      { link: 'loopback', kind: 'compressed', proxy: bare[1]! },
      { link: `${MBPS} Mbit/s`, kind: 'plain (before)', proxy: throttled[0]! },
      { link: `${MBPS} Mbit/s`, kind: 'compressed', proxy: throttled[1]! },
    ]);

    const total = (pick: (f: (typeof step.files)[number]) => number) => step.files.reduce((sum, f) => sum + pick(f), 0);
    console.log(`\nStatic files as sent (median of ${RUNS} runs; a shared 2-core machine: compare ratios, not absolute times)\n`);
    console.log(`Build step: ${step.files.length} files compressed in ${(step.wallMs / 1000).toFixed(1)} s wall, ${(step.cpuMs / 1000).toFixed(1)} s CPU; ` +
      `${mb(total((f) => f.bytes))} → brotli ${mb(total((f) => f.br ?? f.bytes))} (×${(total((f) => f.br ?? f.bytes) / total((f) => f.bytes)).toFixed(2)}), gzip ${mb(total((f) => f.gzip ?? f.bytes))} (×${(total((f) => f.gzip ?? f.bytes) / total((f) => f.bytes)).toFixed(2)})`);
    console.log('  the largest files, wall time each (sharing the CPU with the others):');
    for (const f of step.files.slice(0, 4)) console.log(`  ${f.file.padEnd(44)} ${(f.ms / 1000).toFixed(1).padStart(5)} s`);

    console.log('\nBig files: bytes sent, ms to the last byte, ms to decode after it; ratios to plain');
    console.log(`${'link'.padEnd(12)}${'file'.padEnd(18)}${'encoding'.padEnd(16)}${'bytes'.padStart(11)}${'×bytes'.padStart(8)}${'last byte'.padStart(11)}${'×time'.padStart(8)}${'decode'.padStart(8)}`);
    for (const r of big) {
      const ref = big.find((x) => x.link === r.link && x.file === r.file && x.encoding === 'plain (before)')!;
      console.log(`${r.link.padEnd(12)}${r.file.padEnd(18)}${r.encoding.padEnd(16)}${mb(r.bytes).padStart(11)}${(r.bytes / ref.bytes).toFixed(2).padStart(8)}${r.lastByteMs.toFixed(0).padStart(11)}${(r.lastByteMs / ref.lastByteMs).toFixed(2).padStart(8)}${r.decodeMs.toFixed(0).padStart(8)}`);
    }

    console.log('\nFirst load in Chromium (fresh profile): until the app shows / until the service worker is ready and the link quiet');
    console.log(`${'link'.padEnd(12)}${'served'.padEnd(16)}${'app bytes'.padStart(11)}${'app ms'.padStart(8)}${'all bytes'.padStart(11)}${'×bytes'.padStart(8)}${'all ms'.padStart(8)}${'×time'.padStart(8)}`);
    for (const r of loads) {
      const ref = loads.find((x) => x.link === r.link && x.kind === 'plain (before)')!;
      console.log(`${r.link.padEnd(12)}${r.kind.padEnd(16)}${mb(r.appBytes).padStart(11)}${r.appMs.toFixed(0).padStart(8)}${mb(r.installedBytes).padStart(11)}${(r.installedBytes / ref.installedBytes).toFixed(2).padStart(8)}${r.installedMs.toFixed(0).padStart(8)}${(r.installedMs / ref.installedMs).toFixed(2).padStart(8)}`);
    }
  } finally {
    await browser?.close();
    await Promise.all(proxies.map((p) => p.close()));
    await Promise.all(servers.map((s) => s.stop()));
    await fs.rm(work, { recursive: true, force: true });
  }
}

await main();
