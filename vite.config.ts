import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The PWA lives in web/ and builds to dist/web, which the sync server serves.
export default defineConfig({
  root: 'web',
  publicDir: '../public',
  plugins: [
    preact(),
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
        // The first service worker takes over the page that installed it, so code the page loads
        // later (the skill parser, say) comes from the cache even if the server goes away. Later
        // versions still wait for the person's "Reload".
        clientsClaim: true,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/, /^\/readyz/],
      },
    }),
  ],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:8787',
      '/sync': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
});
