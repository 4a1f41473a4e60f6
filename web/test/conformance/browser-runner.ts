// Bundled by web/test/conformance.e2e.test.ts and loaded into the built app's page: runs a
// conformance case through the shared executor with the browser's worker hosts, in front of the
// app's own built worker scripts (their URLs come from the build).
import type { NodeState, RunRequest, Runtimes } from '../../../shared/src/execution/types';
import { VIEWPORT } from '../../../shared/src/execution/threejs-scene';
import { runCase, type CaseInput } from '../../../shared/test/conformance/run-case';
import { WebGpuRuntime } from '../../src/runtimes/webgpu-runtime';
import { WorkerHost, type GpuService } from '../../src/runtimes/worker-host';

/** The built worker scripts, by runtime. */
export interface WorkerUrls {
  python: string;
  javascript: string;
  ngspice: string;
  threejs: string;
  webgpu: string;
}

declare global {
  interface Window {
    runConformanceCase(c: CaseInput, urls: WorkerUrls): Promise<NodeState>;
  }
}

const hosts = new Map<string, WorkerHost>();
const worker = (label: string, url: string) => () => new Worker(url, { type: 'module', name: label });
const shared = (label: string, url: string, gpu?: GpuService): WorkerHost => {
  let host = hosts.get(label);
  if (!host) hosts.set(label, (host = new WorkerHost(label, worker(label, url), gpu)));
  return host;
};

/** The WebGPU runtime as the app wires it: kernels on its worker, fallbacks and `gpu.compute` through the JavaScript worker's. */
let webgpu: WebGpuRuntime | undefined;
const gpuRuntime = (urls: WorkerUrls): WebGpuRuntime =>
  (webgpu ??= new WebGpuRuntime(shared('WebGPU', urls.webgpu), javascriptHost(urls)));
const javascriptHost = (urls: WorkerUrls) => shared('JavaScript', urls.javascript, (request, signal) => gpuRuntime(urls).serve(request, signal));

/** A Three.js run as a node's viewport makes it: its own canvas and worker, gone afterwards. */
async function runThree(request: RunRequest, url: string) {
  const canvas = document.createElement('canvas');
  canvas.width = VIEWPORT.width;
  canvas.height = VIEWPORT.height;
  document.body.append(canvas);
  const offscreen = canvas.transferControlToOffscreen();
  const host = new WorkerHost('Three.js', worker('threejs', url));
  try {
    return await host.run(request, { canvas: offscreen, ...VIEWPORT, pixelRatio: 1 }, [offscreen]);
  } finally {
    host.terminate();
    canvas.remove();
  }
}

window.runConformanceCase = (c, urls) => {
  const runtimes: Runtimes = {
    python: { run: (r) => shared('Python', urls.python).run(r) },
    javascript: { run: (r) => javascriptHost(urls).run(r) },
    ngspice: { run: (r) => shared('ngspice', urls.ngspice).run(r) },
    threejs: { run: (r) => runThree(r, urls.threejs) },
    webgpu: gpuRuntime(urls),
  };
  return runCase(c, runtimes);
};
