import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Where `vite build` (the root vite.config.ts) puts the app, and what the server serves. */
export const WEB_DIST = path.join(ROOT, 'dist/web');
