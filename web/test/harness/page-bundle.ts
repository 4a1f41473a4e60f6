import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { ROOT } from './paths';

/**
 * Bundles a test's page-side script, with what it imports from the app and shared/, into one
 * classic script for a page's `<script>` tag (or `addScriptTag`).
 */
export async function bundleForPage(entry: string): Promise<string> {
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning' });
  return bundle.outputFiles[0]!.text;
}

/**
 * The same for page-side source written in the test itself (its imports resolved from the
 * repository root); its exports become the page's global `globalName`.
 */
export async function bundleSourceForPage(contents: string, globalName: string): Promise<string> {
  const bundle = await build({ stdin: { contents, resolveDir: ROOT, loader: 'ts' }, bundle: true, write: false, format: 'iife', globalName, target: 'es2022', logLevel: 'warning' });
  return bundle.outputFiles[0]!.text;
}

/** A page on a free loopback port whose one script is `script`; `close` stops its server. */
export async function servePage(script: string, title = 'test page'): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${title}</title><script src="/page.js"></script>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
