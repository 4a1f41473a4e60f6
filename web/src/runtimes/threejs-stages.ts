import type { RunRequest, RunResult, Runtime } from '../../../shared/src/execution/types';
import { VIEWPORT } from '../../../shared/src/execution/threejs-scene';
import { WorkerHost } from './worker-host';
import { createStore, type ReadonlyStore } from '../documents/store';

/** A node's live 3D viewport: a canvas drawn by its own worker. */
export interface Stage {
  key: string;
  canvas: HTMLCanvasElement;
  host: WorkerHost;
}

export { VIEWPORT };

const stages = createStore<ReadonlyMap<string, Stage>>(new Map());

/** Every node's viewport (by `room/nodeId`) that ran in this page; a new map on each change. */
export const threeStages: ReadonlyStore<ReadonlyMap<string, Stage>> = stages;

function putStage(key: string, stage: Stage | undefined): void {
  const next = new Map(stages.get());
  if (stage) next.set(key, stage);
  else next.delete(key);
  stages.set(next);
}

/** Stops a viewport's worker (its animation loop, its WebGL context) and forgets it. */
export function disposeStage(key: string): void {
  const stage = stages.get().get(key);
  if (!stage) return;
  stage.host.terminate();
  stage.canvas.remove();
  putStage(key, undefined);
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
    putStage(key, { key, canvas, host });
    return host.run(request, { canvas: offscreen, ...VIEWPORT, pixelRatio: devicePixelRatio }, [offscreen]);
  }
}
