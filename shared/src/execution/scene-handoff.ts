import type * as THREE from 'three';
import type { Json } from '../json';

/**
 * EXEC-12: a scene passed from one Three.js node to the next. Each Three.js node draws in a
 * viewport of its own, so what flows along an edge is the scene as data: three.js's own JSON
 * (`Object3D.toJSON()`) of the scene and of the camera. A skill that declares an output named
 * `scene` passes its scene on; a skill given such a value as its input `scene` starts from it.
 */

/** The port name that carries a scene, as output and as input. */
export const SCENE_PORT = 'scene';

type Three = typeof THREE;
type Fields = { [key: string]: Json };
type Stage = { scene: THREE.Scene; camera: THREE.PerspectiveCamera };

const isFields = (value: Json | undefined): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** three.js JSON of one object tree, as `Object3D.toJSON()` writes it. */
const isObjectJson = (value: Json | undefined): value is Fields => isFields(value) && isFields(value.metadata) && value.metadata.type === 'Object' && isFields(value.object);

/** True for a value in the shape a Three.js node's `scene` output has. */
export const isSceneHandoff = (value: Json | undefined): value is { scene: Fields; camera: Fields } =>
  isFields(value) && isObjectJson(value.scene) && isObjectJson(value.camera);

/** The scene and camera as the value of a `scene` output. */
export function sceneHandoff({ scene, camera }: Stage): Json {
  // toJSON writes each object's matrix, which follows its position and rotation only once updated.
  scene.updateMatrixWorld(true);
  camera.updateMatrixWorld(true);
  return { scene: scene.toJSON() as unknown as Json, camera: camera.toJSON() as unknown as Json };
}

/**
 * Fills the `scene` output of a skill that declares one and did not return it itself, with its
 * scene as the code left it (and any scene descriptions drawn into it).
 */
export function passSceneOn(outputs: Record<string, Json>, declared: ReadonlyArray<{ name: string }>, stage: Stage): void {
  if (outputs[SCENE_PORT] === undefined && declared.some((p) => p.name === SCENE_PORT)) outputs[SCENE_PORT] = sceneHandoff(stage);
}

/**
 * Starts a skill's fresh scene (EXEC-6) from the scene an upstream node passed on in its input
 * `scene`: its objects, its background and its camera's placement and lens (the aspect stays the
 * viewport's). Any other value of `scene` is left to the skill. True when a scene was received.
 */
export function receiveScene(three: Three, stage: Stage, inputs: Record<string, Json>): boolean {
  const value = inputs[SCENE_PORT];
  if (!isSceneHandoff(value)) return false;
  const loader = new three.ObjectLoader();
  const scene = loader.parse(value.scene);
  for (const child of [...scene.children]) stage.scene.add(child);
  if (scene instanceof three.Scene && scene.background instanceof three.Color) stage.scene.background = scene.background;
  const camera = loader.parse(value.camera);
  if (camera instanceof three.PerspectiveCamera) {
    const { aspect } = stage.camera;
    stage.camera.copy(camera);
    stage.camera.aspect = aspect;
    stage.camera.updateProjectionMatrix();
  }
  return true;
}
