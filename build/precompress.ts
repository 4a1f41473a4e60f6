import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * Text and WebAssembly: what brotli and gzip shrink. Images (PNG) and archives (Pyodide's
 * python_stdlib.zip: 2.5 % smaller at best) are already compressed and are left alone.
 */
const COMPRESSIBLE = /\.(?:js|mjs|cjs|css|html|json|webmanifest|svg|wasm|map|txt|xml)$/i;

/** A compressed copy is kept only when it saves at least this share of the file; else the server sends the file. */
const MIN_SAVING = 0.05;

/**
 * Brotli's best quality (11) costs about 100× quality 9 on large files (40 s for the 20 MB ngspice
 * bundle, 70 s for Pyodide's 9.6 MB WebAssembly, on one core) for 10–15 % fewer bytes; quality 7
 * costs half of 9 for 1 % more (ngspice 2.36 MB in 1.5 s of CPU, Pyodide 3.17 MB in 2.0 s). Below
 * 7 the ngspice bundle falls off a cliff (quality 5: 4.6 MB). Files up to this size, the app's own
 * chunks, get 11 (well under a second each); larger ones 7.
 */
const BEST_QUALITY_UP_TO = 1024 * 1024;
const LARGE_FILE_QUALITY = 7;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export interface Precompressed {
  /** Path relative to the directory, with `/` separators. */
  file: string;
  bytes: number;
  /** Size of `file.br` / `file.gz`, or null when compression did not pay and no copy was left. */
  br: number | null;
  gzip: number | null;
  /** Wall time spent compressing this file (both encodings). */
  ms: number;
}

function brotliOptions(size: number): zlib.BrotliOptions {
  return {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: size <= BEST_QUALITY_UP_TO ? 11 : LARGE_FILE_QUALITY,
      // A 16 MiB window (brotli's largest, which every browser decodes): the ngspice bundle's inlined
      // WebAssembly repeats over megabytes, and the default 4 MiB window halves what brotli saves there.
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size,
    },
  };
}

/** Writes `compressed` beside `file` as `file + ext` when it saves enough; otherwise removes a copy left from before. */
async function keepIfSmaller(file: string, ext: string, size: number, compressed: Buffer): Promise<number | null> {
  if (compressed.length <= size * (1 - MIN_SAVING)) {
    await fs.writeFile(file + ext, compressed);
    return compressed.length;
  }
  await fs.rm(file + ext, { force: true });
  return null;
}

async function compressFile(dir: string, file: string): Promise<Precompressed> {
  const started = performance.now();
  const full = path.join(dir, file);
  const source = await fs.readFile(full);
  const [br, gz] = await Promise.all([brotli(source, brotliOptions(source.length)), gzip(source, { level: 9 })]);
  return {
    file,
    bytes: source.length,
    br: await keepIfSmaller(full, '.br', source.length, br),
    gzip: await keepIfSmaller(full, '.gz', source.length, gz),
    ms: performance.now() - started,
  };
}

/**
 * Writes `name.br` and `name.gz` beside every compressible file under `dir`, for the server to send
 * in place of the file to clients that accept them (sync-server/src/http/static-files.ts). The
 * largest files start first, a few at a time (zlib works on libuv's thread pool), so the two big
 * runtimes overlap with everything else.
 */
export async function precompressDir(dir: string, parallel = Math.max(2, os.availableParallelism())): Promise<Precompressed[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = await Promise.all(
    entries
      .filter((e) => e.isFile() && COMPRESSIBLE.test(e.name))
      .map(async (e) => {
        const full = path.join(e.parentPath, e.name);
        return { file: path.relative(dir, full).split(path.sep).join('/'), size: (await fs.stat(full)).size };
      }),
  );
  const queue = files.sort((a, b) => b.size - a.size).map((f) => f.file);
  const done: Precompressed[] = [];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) done.push(await compressFile(dir, next));
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return done.sort((a, b) => b.bytes - a.bytes);
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Vite plugin: compresses the finished build. It runs after every other plugin's closeBundle, so
 * what vite-plugin-pwa writes then (sw.js, the Workbox runtime) is compressed too, and the
 * compressed copies, written after the precache manifest was made, never enter it.
 */
export function precompress(): Plugin {
  let outDir = '';
  let log: (message: string) => void = () => undefined;
  return {
    name: 'llmunix-precompress',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      log = (message) => config.logger.info(message);
    },
    closeBundle: {
      sequential: true,
      order: 'post',
      async handler(error) {
        if (error) return;
        const started = performance.now();
        const files = await precompressDir(outDir);
        const sum = (pick: (f: Precompressed) => number) => files.reduce((total, f) => total + pick(f), 0);
        log(
          `precompressed ${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s: ` +
            `${mb(sum((f) => f.bytes))} → brotli ${mb(sum((f) => f.br ?? f.bytes))}, gzip ${mb(sum((f) => f.gzip ?? f.bytes))}`,
        );
      },
    },
  };
}
