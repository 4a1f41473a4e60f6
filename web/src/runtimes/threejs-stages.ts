import type { RunRequest, RunResult, Runtime } from '../../../shared/src/execution/types';
import { VIEWPORT } from '../../../shared/src/execution/threejs-scene';
import { WorkerHost } from './worker-host';

/** A node's live 3D viewport: a canvas drawn by its own worker. */
export interface Stage {
  key: string;
  canvas: HTMLCanvasElement;
  host: WorkerHost;
}

export { VIEWPORT };

const stages = new Map<string, Stage>();
const listeners = new Set<(key: string) => void>();

/** The viewport of a node (`room/nodeId`), if it ran in this page. */
export const stageOf = (key: string): Stage | undefined => stages.get(key);

/** Calls `listener` with the key of every viewport created or removed. */
export function onStages(listener: (key: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Stops a viewport's worker (its animation loop, its WebGL context) and forgets it. */
export function disposeStage(key: string): void {
  const stage = stages.get(key);
  if (!stage) return;
  stage.host.terminate();
  stage.canvas.remove();
  stages.delete(key);
  for (const l of listeners) l(key);
}

/**
 * Three.js skills: each node gets its own viewport and worker (OffscreenCanvas + WebGL, which
 * headless Chromium provides through SwiftShader too). Running a node again replaces its viewport,
 * so one node never keeps two animation loops or WebGL contexts.
 */
export class ThreeRuntime implements Runtime {
  constructor(
    /** The viewport key of the node this request is for. */
    private readonly keyFor: (request: RunRequest) => string,
  ) {}

  run(request: RunRequest): Promise<RunResult> {
    const key = this.keyFor(request);
    disposeStage(key);
    const canvas = document.createElement('canvas');
    canvas.className = 'three-viewport-canvas';
    canvas.width = VIEWPORT.width * devicePixelRatio;
    canvas.height = VIEWPORT.height * devicePixelRatio;
    const offscreen = canvas.transferControlToOffscreen();
    const host = new WorkerHost('Three.js', () => new Worker(new URL('./threejs.worker.ts', import.meta.url), { type: 'module', name: 'threejs' }));
    stages.set(key, { key, canvas, host });
    for (const l of listeners) l(key);
    return host.run(request, { canvas: offscreen, ...VIEWPORT, pixelRatio: devicePixelRatio }, [offscreen]);
  }
}
