import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// The PWA lives in web/ and builds to dist/web, which the sync server serves.
export default defineConfig({
  root: 'web',
  publicDir: '../public',
  plugins: [preact()],
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
