import fs from 'node:fs';
import path from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { precompress } from './build/precompress.ts';

/**
 * Pyodide is served by our own server, not a CDN, so Python skills run offline. Its files are
 * copied from the npm package under a versioned path: the service worker caches them CacheFirst
 * (too big to precache), and a new Pyodide version gets new URLs instead of stale cache hits.
 */
const PYODIDE_DIR = path.resolve(import.meta.dirname, 'node_modules/pyodide');
const PYODIDE_VERSION = (JSON.parse(fs.readFileSync(path.join(PYODIDE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const PYODIDE_BASE = `pyodide/${PYODIDE_VERSION}/`;
/** The interpreter, its standard library and the package lock; no packages ship with the npm package. */
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const PYODIDE_TYPES: Record<string, string> = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.zip': 'application/zip', '.json': 'application/json' };

function servePyodide(): Plugin {
  return {
    name: 'llmunix-pyodide',
    // `vite` (dev): answer /pyodide/<version>/<file> from node_modules.
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const file = req.url?.startsWith(`/${PYODIDE_BASE}`) ? req.url.slice(PYODIDE_BASE.length + 1).split('?')[0] : undefined;
        if (!file || !PYODIDE_FILES.includes(file)) return next();
        res.setHeader('Content-Type', PYODIDE_TYPES[path.extname(file)] ?? 'application/octet-stream');
        fs.createReadStream(path.join(PYODIDE_DIR, file)).pipe(res);
      });
    },
    // `vite build`: emit the files into dist/web/pyodide/<version>/.
    generateBundle() {
      for (const file of PYODIDE_FILES) {
        this.emitFile({ type: 'asset', fileName: `${PYODIDE_BASE}${file}`, source: fs.readFileSync(path.join(PYODIDE_DIR, file)) });
      }
    },
  };
}

// The PWA lives in web/ and builds to dist/web, which the sync server serves.
export default defineConfig({
  root: 'web',
  publicDir: '../public',
  define: { __PYODIDE_INDEX_URL__: JSON.stringify(`/${PYODIDE_BASE}`) },
  // Runtime workers are ES modules so they can load their engines lazily (code-split chunks).
  worker: { format: 'es' },
  plugins: [
    preact(),
    servePyodide(),
    VitePWA({
      // "prompt": a new version waits until the person agrees to reload (web/src/shell/update-prompt.tsx).
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon-180.png'],
      manifest: {
        name: 'LLMunix',
        short_name: 'LLMunix',
        description: 'Local-first workspace for computational work with an LLM: skills, workflows and sessions.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0f172a',
        background_color: '#0f172a',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell is precached so the installed app starts with no network at all.
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // ngspice (eecircuit-engine, ~20 MB with its WebAssembly inlined) is cached when first used, below.
        globIgnores: ['**/eecircuit-engine-*.js', 'pyodide/**'],
        // Skill runtimes are too big to download at install: each is cached the first time it runs,
        // and from then on comes from the cache, online or not.
        runtimeCaching: [
          {
            urlPattern: /\/pyodide\/[^/]+\/[^/]+$/,
            handler: 'CacheFirst',
            options: { cacheName: 'llmunix-pyodide', cacheableResponse: { statuses: [200] } },
          },
          {
            urlPattern: /\/assets\/eecircuit-engine-[^/]+\.js$/,
            handler: 'CacheFirst',
            options: { cacheName: 'llmunix-ngspice', cacheableResponse: { statuses: [200] } },
          },
        ],
        // The first service worker takes over the page that installed it, so code the page loads
        // later (the skill parser, say) comes from the cache even if the server goes away. Later
        // versions still wait for the person's "Reload".
        clientsClaim: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/, /^\/readyz/],
      },
    }),
    // Brotli and gzip copies of the finished build, served in place of the files (sync-server/src/http/static-files.ts).
    precompress(),
  ],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Everything the first screen imports statically in one chunk: split into the shared
        // pieces lazy chunks also use, it was ~35 files, and a cold start waited on ~35 requests
        // (6 at a time over HTTP/1.1, each through the service worker when offline).
        codeSplitting: { groups: [{ name: 'app', tags: ['$initial'] }] },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/sync': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
