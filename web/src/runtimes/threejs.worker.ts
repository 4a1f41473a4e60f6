/**
 * A Three.js viewport's worker: owns one OffscreenCanvas (the node's viewport, drawn by the page)
 * and runs Three.js skills against it. The skill code is the body of an async function of
 * `THREE, scene, camera, renderer, inputs`; it may start an animation loop, which keeps running
 * here after the node is done, and it may return outputs. No network, no storage (sandbox.ts).
 */
import * as THREE from 'three';
import type { RunMessage, WorkerReply } from './protocol';
import { toJsonOutputs } from './protocol';
import { captureConsole, describeSkillError, lockDownGlobals, lockDownMessaging } from './sandbox';
import { serveRuns, startRun } from './worker-runs';

/** What the page sends along with a run: the viewport's canvas, moved here. */
export interface ViewportMessage extends RunMessage {
  canvas: OffscreenCanvas;
  width: number;
  height: number;
  pixelRatio: number;
}

const post = self.postMessage.bind(self) as (reply: WorkerReply) => void;
let current: { id: number; stdout: string } | null = null;
captureConsole((text) => {
  if (!current) return;
  current.stdout += text;
  post({ type: 'stdout', id: current.id, text });
});
lockDownGlobals();

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

serveRuns(run);
lockDownMessaging();

async function run({ id, skill, inputs, canvas, width, height, pixelRatio }: ViewportMessage): Promise<void> {
  if (!startRun(id)) return;
  current = { id, stdout: '' };
  try {
    let renderer: THREE.WebGLRenderer;
    try {
      // preserveDrawingBuffer: a skill that renders one frame keeps showing it.
      renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    } catch (e) {
      return post({ type: 'failed', id, kind: 'runtime', message: `WebGL is not available in this browser: ${(e as Error).message}`, stdout: current.stdout });
    }
    renderer.setPixelRatio(pixelRatio);
    renderer.setSize(width, height, false);
    const scene = new THREE.Scene();
    scene.background = new THREE.Color(0x0b1222);
    // At the origin: skills place the camera (Animation Loop moves one left there back).
    const camera = new THREE.PerspectiveCamera(60, width / height, 0.1, 1000);
    const body = new AsyncFunction('THREE', 'scene', 'camera', 'renderer', 'inputs', skill.code);
    const result = await body(THREE, scene, camera, renderer, inputs);
    post({ type: 'done', id, outputs: result === undefined || result === null ? {} : toJsonOutputs(result), stdout: current.stdout });
  } catch (e) {
    post({ type: 'failed', id, kind: 'skill', message: describeSkillError(e, skill.file, skill.codeLine), stdout: current?.stdout ?? '' });
  } finally {
    current = null;
  }
}
