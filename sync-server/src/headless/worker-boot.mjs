// Entry of every runtime worker thread. Worker threads do not inherit the TypeScript loader
// (tsx) of the thread that starts them, so this plain module registers it for the one
// TypeScript entry it is given and everything that entry imports.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
