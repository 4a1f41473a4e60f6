import { SandboxRuntime } from './javascript-runtime';

/**
 * Three.js skills headless: the code runs as the body of `async (THREE, scene, camera,
 * renderer, inputs)` with the real `three`, a fresh Scene and PerspectiveCamera, and a renderer
 * that records `render` calls and the animation loop but draws nothing (Node has no WebGL).
 * So Three.js skills build their scene without rendering, and their returned values flow on;
 * the node's output says what was built.
 */
export const threejsRuntime = (workers = 2): SandboxRuntime => new SandboxRuntime('threejs', workers);
