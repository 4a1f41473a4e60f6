import type * as THREE from 'three';
import { createScene } from '../../../shared/src/execution/threejs-scene';

/**
 * The renderer a Three.js skill gets headless: Node has no WebGL, so it draws nothing and
 * records what the skill asked for (frames rendered, the animation loop). The no-op setters
 * are ones viewport code commonly calls; they have nothing to set here.
 */
export class RecordingRenderer {
  renders = 0;
  animationLoop: ((time: number) => void) | null = null;
  render(_scene: THREE.Object3D, _camera: THREE.Camera): void {
    this.renders++;
  }
  setAnimationLoop(fn: ((time: number) => void) | null): void {
    this.animationLoop = fn;
  }
  setSize(): void {}
  setPixelRatio(): void {}
  setClearColor(): void {}
  dispose(): void {}
}

export interface Stage {
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  renderer: RecordingRenderer;
}

/** A fresh scene and camera per run, as the browser's viewport starts them (EXEC-6). */
export const createStage = (three: typeof THREE): Stage => ({ ...createScene(three), renderer: new RecordingRenderer() });

/** One line of what the skill built, for the node's output (there is no picture to show). */
export function describeStage({ scene, renderer }: Stage, descriptions: string[] = []): string {
  let objects = 0;
  let meshes = 0;
  scene.traverse((o) => {
    if (o === scene) return;
    objects++;
    if ((o as THREE.Mesh).isMesh) meshes++;
  });
  const loop = renderer.animationLoop ? '; animation loop set (not run headless)' : '';
  const built = descriptions.length ? `; built from the scene description(s) ${descriptions.map((d) => `"${d}"`).join(', ')}` : '';
  return `[three.js headless] scene: ${objects} object(s), ${meshes} mesh(es)${built}; render() called ${renderer.renders}×${loop}\n`;
}
