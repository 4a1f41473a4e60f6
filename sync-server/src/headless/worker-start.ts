import type { BootData } from './worker-protocol';

/** The runtimes' worker threads: each a TypeScript file beside this one, which calls `serve`. */
export const WORKERS = ['python-worker', 'sandbox-worker', 'ngspice-worker'] as const;
export type WorkerName = (typeof WORKERS)[number];

/**
 * Where a runtime's worker thread starts. From the sources (tsx: tests, `npm run workflow`), its
 * TypeScript file through `worker-boot.mjs`, which registers tsx in the thread (worker threads do
 * not inherit the loader). In the built server (`npm start`) this module is inside
 * `dist/server/start.mjs`, and each worker is a bundle of its own beside it
 * (`sync-server/bin/build-server.ts`), started directly: the bundle has no TypeScript files to load.
 */
export function workerStart(name: WorkerName, here = import.meta.url): { script: URL; workerData?: BootData } {
  if (here.endsWith('.ts')) return { script: new URL('./worker-boot.mjs', here), workerData: { entry: new URL(`./${name}.ts`, here).href } };
  return { script: new URL(`./${name}.mjs`, here) };
}
