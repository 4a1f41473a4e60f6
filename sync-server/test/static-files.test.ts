// STATIC-1: the built web app over real HTTP: the build's brotli and gzip copies sent to clients that accept
// them (decoded, byte for byte the file), the plain file to the others and to Range requests, caching
// by kind (hashed assets immutable, the rest revalidated), and the security headers on every encoding.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir, type Precompressed } from '../../build/precompress';
import { IMMUTABLE, REVALIDATE } from '../src/http/static-files';
import { startTestServer } from './harness/in-process';

const BROWSER = 'gzip, deflate, br, zstd';
const PACKAGES = 'https://packages.example.org/pyodide/0.29/';

/** Deterministic text that compresses as code does (repeated words in a varying order). */
function codeLike(bytes: number, seed: number): Buffer {
  const words = ['const', 'function', 'return', 'export', 'import', 'await', 'value', 'state', 'node', 'this.x', '=>', '{', '}', '(', ')', ';', '\n'];
  let x = seed;
  let out = '';
  while (out.length < bytes) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += `${words[x % words.length]} ${x % 977} `;
  }
  return Buffer.from(out.slice(0, bytes));
}

/** What the build leaves in dist/web, by kind: hashed assets, unhashed app files, Pyodide's versioned files, an image. */
const FILES: Record<string, Buffer> = {
  'index.html': Buffer.from(`<!doctype html><title>LLMunix</title>${'<div class="shell"></div>'.repeat(80)}`),
  'sw.js': codeLike(4000, 1),
  'manifest.webmanifest': Buffer.from(JSON.stringify({ name: 'LLMunix', icons: Array.from({ length: 20 }, (_, i) => ({ src: `/icons/icon-${i}.png`, sizes: '192x192' })) })),
  'assets/index-BYaPEycA.js': codeLike(300_000, 2),
  'assets/index-C_jz0NAj.css': Buffer.from('.canvas { display: flex; color: #0f172a; }\n'.repeat(200)),
  // Above the size where the build drops to a lower brotli quality.
  'assets/eecircuit-engine-C5M85BfN.js': codeLike(1_500_000, 3),
  'assets/python.worker-DA1J_meA.js': codeLike(20_000, 4),
  'pyodide/314.0.7/pyodide.asm.wasm': Buffer.concat(Array.from({ length: 400 }, (_, i) => Buffer.from([0, 97, 115, 109, 1, 0, 0, 0, i % 256, 11, 32, 0, 65, 1, 106, 33]))),
  // Random bytes: compression does not pay, so the build leaves no copy.
  'icons/icon-192.png': Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919 + ((i * i) % 251)) % 256)),
};

let dist: string;
let made: Precompressed[];
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  dist = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-static-'));
  for (const [file, body] of Object.entries(FILES)) {
    await fs.mkdir(path.dirname(path.join(dist, file)), { recursive: true });
    await fs.writeFile(path.join(dist, file), body);
  }
  // The build's own step, on these files.
  made = await precompressDir(dist);
  server = await startTestServer({ WEB_DIST: dist, PYODIDE_PACKAGE_URL: PACKAGES });
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dist, { recursive: true, force: true });
});

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request as sent on the wire, the body as received: no client-side decoding (fetch would undo the encoding). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${url}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decode = (res: Raw): Buffer =>
  res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.body) : res.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(res.body) : res.body;

const urlOf = (file: string) => `/${file}`;
const varies = (res: Raw) => (res.headers.vary ?? '').split(/\s*,\s*/).includes('Accept-Encoding');

describe('the build step', () => {
  it('leaves a .br and a .gz beside every file that compresses, and none beside one that does not', async () => {
    const byFile = new Map(made.map((m) => [m.file, m]));
    for (const file of Object.keys(FILES)) {
      const entry = byFile.get(file);
      if (file.endsWith('.png')) {
        // Not a compressible type: never tried.
        expect(entry, file).toBeUndefined();
        continue;
      }
      expect(entry?.br, file).toBeLessThan(FILES[file]!.length * 0.95);
      expect(entry?.gzip, file).toBeLessThan(FILES[file]!.length * 0.95);
      expect(zlib.brotliDecompressSync(await fs.readFile(path.join(dist, `${file}.br`))).equals(FILES[file]!), file).toBe(true);
      expect(zlib.gunzipSync(await fs.readFile(path.join(dist, `${file}.gz`))).equals(FILES[file]!), file).toBe(true);
    }
    await expect(fs.stat(path.join(dist, 'icons/icon-192.png.br'))).rejects.toThrow(/ENOENT/);
  });
});

describe('content encoding', () => {
  const clients = [
    { who: 'a browser (brotli first)', acceptEncoding: BROWSER, expected: 'br', ext: '.br' },
    { who: 'a gzip-only client', acceptEncoding: 'gzip', expected: 'gzip', ext: '.gz' },
    { who: 'a client that refuses brotli', acceptEncoding: 'br;q=0, gzip;q=0.5', expected: 'gzip', ext: '.gz' },
    { who: 'a client with no Accept-Encoding', acceptEncoding: undefined, expected: undefined, ext: '' },
    { who: 'a client that asks for identity', acceptEncoding: 'identity', expected: undefined, ext: '' },
  ];

  for (const client of clients) {
    it(`${client.who}: the ${client.expected ?? 'plain'} bytes, their length, the file's type, and the file once decoded`, async () => {
      const compressible = Object.keys(FILES).filter((f) => !f.endsWith('.png'));
      for (const file of compressible) {
        const res = await get(urlOf(file), client.acceptEncoding ? { 'Accept-Encoding': client.acceptEncoding } : {});
        const plain = await get(urlOf(file));
        expect(res.status, file).toBe(200);
        expect(res.headers['content-encoding'], file).toBe(client.expected);
        expect(varies(res), file).toBe(true);
        expect(res.headers['content-type'], file).toBe(plain.headers['content-type']);
        expect(res.headers['content-type'], file).not.toMatch(/octet-stream|brotli|gzip/);
        const onDisk = await fs.readFile(path.join(dist, file + client.ext));
        expect(Number(res.headers['content-length']), file).toBe(onDisk.length);
        expect(res.body.equals(onDisk), file).toBe(true);
        expect(decode(res).equals(FILES[file]!), file).toBe(true);
      }
    });
  }

  it('/ is index.html in every encoding', async () => {
    for (const acceptEncoding of [BROWSER, 'gzip', 'identity']) {
      const res = await get('/', { 'Accept-Encoding': acceptEncoding });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(decode(res).equals(FILES['index.html']!), acceptEncoding).toBe(true);
    }
  });

  it('a file with no compressed copy goes as it is, still marked as varying', async () => {
    const res = await get('/icons/icon-192.png', { 'Accept-Encoding': BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.body.equals(FILES['icons/icon-192.png']!)).toBe(true);
    expect(varies(res)).toBe(true);
  });

  it('HEAD: the headers of the compressed response, no body', async () => {
    const res = await get('/assets/index-BYaPEycA.js', { 'Accept-Encoding': BROWSER }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(Number(res.headers['content-length'])).toBe((await fs.stat(path.join(dist, 'assets/index-BYaPEycA.js.br'))).size);
    expect(res.body.length).toBe(0);
  });

  it('a Range request gets ranges of the plain file, whatever the client accepts', async () => {
    const file = FILES['pyodide/314.0.7/pyodide.asm.wasm']!;
    const res = await get('/pyodide/314.0.7/pyodide.asm.wasm', { 'Accept-Encoding': BROWSER, Range: 'bytes=100-1099' });
    expect(res.status).toBe(206);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['content-range']).toBe(`bytes 100-1099/${file.length}`);
    expect(res.body.equals(file.subarray(100, 1100))).toBe(true);
  });

  it('a copy older than its file (the file changed after the build) is not sent: the file is', async () => {
    const file = path.join(dist, 'sw.js');
    const changed = Buffer.concat([FILES['sw.js']!, Buffer.from('\n// deployed again\n')]);
    await fs.writeFile(file, changed);
    // The build's copies older than the file by ten seconds, whatever the file system's clock
    // granularity (moving the file into the future instead made the rebuilt copies older too).
    const earlier = new Date(Date.now() - 10_000);
    for (const copy of [`${file}.br`, `${file}.gz`]) await fs.utimes(copy, earlier, earlier);
    for (const acceptEncoding of [BROWSER, 'gzip']) {
      const res = await get('/sw.js', { 'Accept-Encoding': acceptEncoding });
      expect(res.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(res.body.equals(changed), acceptEncoding).toBe(true);
    }
    // Built again: compressed again.
    await precompressDir(dist);
    const res = await get('/sw.js', { 'Accept-Encoding': BROWSER });
    expect(res.headers['content-encoding']).toBe('br');
    expect(decode(res).equals(changed)).toBe(true);
  });

  it('no file outside the build, in any encoding', async () => {
    for (const url of ['/../package.json', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await get(url, { 'Accept-Encoding': BROWSER });
      expect(res.status, url).not.toBe(200);
    }
  });
});

describe('caching', () => {
  it('hashed assets are immutable for a year, in every encoding', async () => {
    for (const file of ['assets/index-BYaPEycA.js', 'assets/index-C_jz0NAj.css', 'assets/eecircuit-engine-C5M85BfN.js', 'assets/python.worker-DA1J_meA.js']) {
      for (const acceptEncoding of [BROWSER, 'gzip', 'identity']) {
        const res = await get(urlOf(file), { 'Accept-Encoding': acceptEncoding });
        expect(res.headers['cache-control'], `${file} ${acceptEncoding}`).toBe(IMMUTABLE);
      }
    }
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
  });

  it('index.html, sw.js, the manifest, icons and Pyodide are revalidated: no-cache with ETag and Last-Modified, 304 when unchanged', async () => {
    for (const url of ['/', '/index.html', '/sw.js', '/manifest.webmanifest', '/icons/icon-192.png', '/pyodide/314.0.7/pyodide.asm.wasm']) {
      for (const acceptEncoding of [BROWSER, 'gzip', 'identity']) {
        const res = await get(url, { 'Accept-Encoding': acceptEncoding });
        const label = `${url} ${acceptEncoding}`;
        expect(res.headers['cache-control'], label).toBe(REVALIDATE);
        expect(res.headers.etag, label).toBeTruthy();
        expect(res.headers['last-modified'], label).toBeTruthy();
        const again = await get(url, { 'Accept-Encoding': acceptEncoding, 'If-None-Match': res.headers.etag! });
        expect(again.status, label).toBe(304);
        expect(again.body.length, label).toBe(0);
      }
    }
    expect(REVALIDATE).toBe('no-cache');
  });

  it('each encoding has its own ETag, so a cache never answers one with the other', async () => {
    const tags = await Promise.all([BROWSER, 'gzip', 'identity'].map(async (e) => (await get('/index.html', { 'Accept-Encoding': e })).headers.etag));
    expect(new Set(tags).size).toBe(3);
    // The brotli ETag does not validate the plain file.
    const plain = await get('/index.html', { 'Accept-Encoding': 'identity', 'If-None-Match': tags[0]! });
    expect(plain.status).toBe(200);
  });
});

describe('security headers on compressed responses', () => {
  const directives = (header: string | string[] | undefined) =>
    Object.fromEntries(String(header ?? '').split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));

  it("the app's policy and helmet's headers, compressed or not", async () => {
    for (const url of ['/', '/assets/index-BYaPEycA.js', '/pyodide/314.0.7/pyodide.asm.wasm', '/sw.js']) {
      for (const acceptEncoding of [BROWSER, 'gzip', 'identity']) {
        const res = await get(url, { 'Accept-Encoding': acceptEncoding });
        const label = `${url} ${acceptEncoding}`;
        expect(res.headers['x-content-type-options'], label).toBe('nosniff');
        expect(res.headers['cross-origin-opener-policy'], label).toBe('same-origin');
        expect(directives(res.headers['content-security-policy'])['script-src'], label).toEqual(["'self'", "'wasm-unsafe-eval'", 'https://packages.example.org']);
      }
    }
  });

  it("a worker script keeps its own policy in every encoding", async () => {
    for (const acceptEncoding of [BROWSER, 'gzip', 'identity']) {
      const res = await get('/assets/python.worker-DA1J_meA.js', { 'Accept-Encoding': acceptEncoding });
      expect(res.headers['content-encoding'], acceptEncoding).toBe(acceptEncoding === BROWSER ? 'br' : acceptEncoding === 'gzip' ? 'gzip' : undefined);
      const csp = directives(res.headers['content-security-policy']);
      expect(csp['script-src'], acceptEncoding).toEqual(["'self'", "'wasm-unsafe-eval'", 'https://packages.example.org', "'unsafe-eval'"]);
    }
  });
});
