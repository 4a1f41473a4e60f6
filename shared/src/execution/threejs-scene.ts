import type * as THREE from 'three';

/**
 * EXEC-6: what a Three.js skill starts with, in the browser's viewport and headless alike: a
 * fresh scene with this background and a perspective camera at the origin with these settings
 * (skills place the camera themselves). The aspect is the viewport's.
 */
export const SCENE_DEFAULTS = {
  background: 0x0b1222,
  fov: 60,
  near: 0.1,
  far: 1000,
} as const;

/** A node's viewport size in CSS pixels; headless runs use its aspect too. */
export const VIEWPORT = { width: 360, height: 240 } as const;

/** The scene and camera a Three.js skill is given, built with the three.js it runs with. */
export function createScene(three: Pick<typeof THREE, 'Scene' | 'Color' | 'PerspectiveCamera'>, aspect = VIEWPORT.width / VIEWPORT.height): { scene: THREE.Scene; camera: THREE.PerspectiveCamera } {
  const scene = new three.Scene();
  scene.background = new three.Color(SCENE_DEFAULTS.background);
  const camera = new three.PerspectiveCamera(SCENE_DEFAULTS.fov, aspect, SCENE_DEFAULTS.near, SCENE_DEFAULTS.far);
  return { scene, camera };
}

/** The names a Three.js skill's code is given, in order (its code is the body of an async function of them). */
export const THREEJS_PARAMS = ['THREE', 'scene', 'camera', 'renderer', 'inputs'] as const;

/**
 * EXEC-10: appended after a Three.js skill's code. A body that returns nothing but defines
 * `function execute(inputs)` (the original product's form) has that function's result as its own.
 * It follows the code, so the code's lines keep their numbers.
 */
export const EXECUTE_FORM_TAIL = "\n;return typeof execute === 'function' ? await execute(inputs) : undefined;";
