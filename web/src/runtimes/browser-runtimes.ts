import type { RunRequest, Runtimes } from '../../../shared/src/execution/types';
import { ThreeRuntime } from './threejs-stages';
import { WebGpuRuntime } from './webgpu-runtime';
import { WorkerHost, type EngineState } from './worker-host';
import type { ReadonlyStore } from '../documents/store';

/*
 * One worker per runtime, created the first time a skill of its type runs (so Pyodide and
 * ngspice are downloaded only when needed), shared by every workflow of the page.
 * `new Worker(new URL(…, import.meta.url))` is the form Vite bundles as a worker entry.
 */
const python = new WorkerHost('Python', () => new Worker(new URL('./python.worker.ts', import.meta.url), { type: 'module', name: 'python' }));
const javascript: WorkerHost = new WorkerHost(
  'JavaScript',
  () => new Worker(new URL('./javascript.worker.ts', import.meta.url), { type: 'module', name: 'javascript' }),
  (request, signal) => gpuRuntime.serve(request, signal),
);
const webgpu = new WorkerHost('WebGPU', () => new Worker(new URL('./webgpu.worker.ts', import.meta.url), { type: 'module', name: 'webgpu' }));
const gpuRuntime: WebGpuRuntime = new WebGpuRuntime(webgpu, javascript);
const ngspice = new WorkerHost('ngspice', () => new Worker(new URL('./ngspice.worker.ts', import.meta.url), { type: 'module', name: 'ngspice' }));

/** How far Python (Pyodide) has loaded in this page. */
export const pythonEngine: ReadonlyStore<EngineState> = python.engine;

/** Starts loading Python in the background (a workflow with Python nodes opened). */
export const preloadPython = (): void => python.preload();

/** The browser's runtimes; Three.js viewports are keyed per node by `viewportKey`. */
export function browserRuntimes(viewportKey: (request: RunRequest) => string): Runtimes {
  return {
    python: { run: (r) => python.run(r) },
    javascript: { run: (r) => javascript.run(r) },
    ngspice: { run: (r) => ngspice.run(r) },
    threejs: new ThreeRuntime(viewportKey),
    webgpu: gpuRuntime,
  };
}
