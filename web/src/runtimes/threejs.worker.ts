/**
 * A Three.js viewport's worker: owns one OffscreenCanvas (the node's viewport, drawn by the page)
 * and runs Three.js skills against it. The skill code is the body of an async function of
 * `THREE, scene, camera, renderer, inputs`, or defines the original's `function execute(inputs)`;
 * it may start an animation loop, which keeps running here after the node is done, and it may
 * return outputs, of which scene descriptions are drawn (EXEC-10). It starts from the scene an
 * upstream node passed on, and passes its own on when it declares a `scene` output (EXEC-12).
 * No network, no storage (sandbox.ts).
 */
import * as THREE from 'three';
import { RuntimeError } from '../../../shared/src/execution/types';
import { drawSceneDescriptions } from '../../../shared/src/execution/scene-description';
import { passSceneOn, receiveScene } from '../../../shared/src/execution/scene-handoff';
import { createScene, EXECUTE_FORM_TAIL, THREEJS_PARAMS } from '../../../shared/src/execution/threejs-scene';
import type { RunMessage } from './protocol';
import { lockDownGlobals, lockDownMessaging } from './sandbox';
import { captureRunOutput, runSandboxed, type SandboxedKind } from './sandboxed-run';
import { serveRuns } from './worker-runs';

/** What the page sends along with a run: the viewport's canvas, moved here. */
export interface ViewportMessage extends RunMessage {
  canvas: OffscreenCanvas;
  width: number;
  height: number;
  pixelRatio: number;
}

captureRunOutput();
lockDownGlobals();

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>;

/** The code is the body of an async function; the generated source puts it two lines down. */
const THREEJS: SandboxedKind = { what: 'a three.js skill', compile: (code) => new AsyncFunction(...THREEJS_PARAMS, code), headerLines: 2 };

serveRuns((message: ViewportMessage) => {
  let stage: { scene: THREE.Scene; camera: THREE.PerspectiveCamera; renderer: THREE.WebGLRenderer } | undefined;
  return runSandboxed(message, THREEJS, async () => {
    const { canvas, width, height, pixelRatio } = message;
    let renderer: THREE.WebGLRenderer;
    try {
      // preserveDrawingBuffer: a skill that renders one frame keeps showing it.
      renderer = new THREE.WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    } catch (e) {
      throw new RuntimeError(`WebGL is not available in this browser: ${(e as Error).message}`);
    }
    renderer.setPixelRatio(pixelRatio);
    renderer.setSize(width, height, false);
    const { scene, camera } = createScene(THREE, width / height);
    stage = { scene, camera, renderer };
    receiveScene(THREE, stage, message.inputs);
    const body = new AsyncFunction(...THREEJS_PARAMS, message.skill.code + EXECUTE_FORM_TAIL);
    // A skill that only draws returns nothing: it has no outputs.
    return (await body(THREE, scene, camera, renderer, message.inputs)) ?? {};
  }, (outputs) => {
    if (!stage) return;
    drawSceneDescriptions(THREE, stage, outputs);
    passSceneOn(outputs, message.skill.outputs, stage);
  });
});
lockDownMessaging();
