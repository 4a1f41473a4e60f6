// STATIC-1: the real build, compressed at build time, as Chromium receives it: the app and its big runtimes
// (the ngspice bundle, Pyodide's WebAssembly) arrive compressed, decode to the very files, and carry
// the cache headers of their kind. sync-server/test/static-files.test.ts has the protocol's details.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { useApp, WEB_DIST } from './harness';

const app = useApp();

const sha256 = async (file: string) => createHash('sha256').update(await fs.readFile(file)).digest('hex');

/** What the page's fetch of `url` got: headers, and the decoded body's length and digest. */
interface Fetched {
  encoding: string | null;
  cacheControl: string | null;
  bytes: number;
  sha256: string;
}

it('every file under assets/ carries a content hash in its name (so immutable caching is safe for all of them)', async () => {
  const names = (await fs.readdir(path.join(WEB_DIST, 'assets'))).filter((n) => !/\.(br|gz)$/.test(n));
  expect(names.length).toBeGreaterThan(20);
  // Vite's hash: eight URL-safe base64 characters before the extension.
  for (const name of names) expect(name).toMatch(/-[\w-]{8}\.\w+$/);
});

it('the page, its entry script and the big runtimes arrive compressed and decode to the files', async () => {
  const { context, page, errors } = await app.newPage();
  const sent = new Map<string, { acceptEncoding: string; encoding: string | undefined; cacheControl: string | undefined }>();
  const seen: Promise<void>[] = [];
  page.on('response', (res) => {
    // allHeaders: what went on the wire, Accept-Encoding included (headers() leaves it out).
    const recorded = Promise.all([res.request().allHeaders(), res.allHeaders()]).then(([request, response]) => {
      sent.set(new URL(res.url()).pathname, { acceptEncoding: request['accept-encoding'] ?? '', encoding: response['content-encoding'], cacheControl: response['cache-control'] });
    });
    seen.push(recorded);
  });
  await page.goto('/');
  await page.locator('[data-testid="sync-status"]').waitFor();
  await Promise.all(seen);

  const html = await fs.readFile(path.join(WEB_DIST, 'index.html'), 'utf8');
  const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
  expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
  // Chromium's choice: brotli when it offers it (it does on secure contexts), else gzip.
  const document = sent.get('/');
  const expected = document?.acceptEncoding.includes('br') ? 'br' : 'gzip';
  expect(document).toMatchObject({ encoding: expected, cacheControl: 'no-cache' });
  expect(sent.get(entry!)).toMatchObject({ encoding: expected, cacheControl: 'public, max-age=31536000, immutable' });

  const assets = await fs.readdir(path.join(WEB_DIST, 'assets'));
  const ngspice = assets.find((n) => /^eecircuit-engine-[\w-]+\.js$/.test(n));
  const pyodideDir = (await fs.readdir(path.join(WEB_DIST, 'pyodide')))[0];
  const big = [
    { url: `/assets/${ngspice}`, file: path.join(WEB_DIST, 'assets', ngspice!), cacheControl: 'public, max-age=31536000, immutable' },
    { url: `/pyodide/${pyodideDir}/pyodide.asm.wasm`, file: path.join(WEB_DIST, 'pyodide', pyodideDir!, 'pyodide.asm.wasm'), cacheControl: 'no-cache' },
  ];
  for (const { url, file, cacheControl } of big) {
    // Fetched by the page as the runtimes fetch them (through the service worker, whose cache keeps the response).
    const got = await page.evaluate(async (u): Promise<Fetched> => {
      const res = await fetch(u, { cache: 'no-store' });
      const body = await res.arrayBuffer();
      const digest = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { encoding: res.headers.get('content-encoding'), cacheControl: res.headers.get('cache-control'), bytes: body.byteLength, sha256: digest };
    }, url);
    expect(got, url).toEqual({ encoding: expected, cacheControl, bytes: (await fs.stat(file)).size, sha256: await sha256(file) });
  }
  errors.assertNone();
  await context.close();
});
