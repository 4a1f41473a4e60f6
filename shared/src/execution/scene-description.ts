import type * as THREE from 'three';
import type { Json } from '../json';
import { SkillRunError } from './types';

/**
 * EXEC-10: the original product's Three.js skills return a scene description instead of drawing
 * (`{ geometry: { type: 'BoxGeometry', args: [1, 1, 1] }, material, position, rotation,
 * animation, lighting, camera }`). Every output of a Three.js skill in that shape is built into
 * its scene here, with the three.js it runs with (the browser's worker draws it, headless it is
 * built and described), so both sides build the same objects from the same description.
 */

type Three = typeof THREE;
type Fields = { [key: string]: Json };

/** What a description is drawn into: the skill's scene, camera and renderer. */
export interface SceneTarget {
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  renderer: { render(scene: THREE.Scene, camera: THREE.Camera): void; setAnimationLoop(loop: ((time: number) => void) | null): void };
}

/** A description that cannot be drawn as written: the skill's own error. */
class SceneDescriptionError extends SkillRunError {
  override name = 'SceneDescriptionError';
}

const GEOMETRIES = [
  'BoxGeometry', 'SphereGeometry', 'PlaneGeometry', 'CircleGeometry', 'CylinderGeometry', 'ConeGeometry', 'TorusGeometry',
  'TorusKnotGeometry', 'RingGeometry', 'CapsuleGeometry', 'DodecahedronGeometry', 'IcosahedronGeometry', 'OctahedronGeometry', 'TetrahedronGeometry',
] as const;
const MATERIALS = ['MeshStandardMaterial', 'MeshBasicMaterial', 'MeshPhongMaterial', 'MeshLambertMaterial', 'MeshPhysicalMaterial', 'MeshToonMaterial', 'MeshNormalMaterial'] as const;
const LIGHTS = ['AmbientLight', 'DirectionalLight', 'PointLight', 'HemisphereLight', 'SpotLight'] as const;
const ANIMATIONS = ['rotate'] as const;

/** Where the camera goes when no description places it and the skill has not moved it. */
const DEFAULT_CAMERA_POSITION = [0, 0, 5] as const;

const isFields = (value: Json | undefined): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);

/** True for an output in the original's scene-description shape: an object with a `geometry` object. */
const isSceneDescription = (value: Json | undefined): value is Fields => isFields(value) && isFields(value.geometry);

/**
 * `value` as one of `known`, in any case and also without the class name's own prefix and suffix
 * (`box`, `Box`, `BoxGeometry`; `standard`, `MeshStandardMaterial`).
 */
function named<T extends string>(known: readonly T[], affix: { prefix?: string; suffix?: string }, value: Json | undefined, where: string, fallback?: T): T {
  if (value === undefined && fallback) return fallback;
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  const full = `${affix.prefix ?? ''}${text}${affix.suffix ?? ''}`.toLowerCase();
  const found = known.find((k) => k.toLowerCase() === text || k.toLowerCase() === full);
  if (found) return found;
  throw new SceneDescriptionError(`${where} is ${JSON.stringify(value ?? null)}, which is not one this app draws; use one of ${known.join(', ')}`);
}

function vector(value: Json | undefined, where: string): [number, number, number] | undefined {
  if (value === undefined) return undefined;
  const parts = Array.isArray(value) ? value : isFields(value) ? [value.x ?? 0, value.y ?? 0, value.z ?? 0] : [];
  if (parts.length === 3 && parts.every((n) => typeof n === 'number' && Number.isFinite(n))) return parts as [number, number, number];
  throw new SceneDescriptionError(`${where} must be three numbers, [x, y, z] or {"x", "y", "z"}; got ${JSON.stringify(value)}`);
}

function numberAt(fields: Fields, key: string, where: string, fallback: number): number {
  const value = fields[key];
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new SceneDescriptionError(`${where}.${key} must be a number; got ${JSON.stringify(value)}`);
}

function geometryOf(three: Three, value: Fields, where: string): THREE.BufferGeometry {
  const type = named(GEOMETRIES, { suffix: 'Geometry' }, value.type, `${where}.type`);
  const args = value.args ?? [];
  if (!Array.isArray(args) || !args.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw new SceneDescriptionError(`${where}.args must be the numbers ${type} is made with; got ${JSON.stringify(args)}`);
  }
  const Geometry = three[type] as unknown as new (...args: number[]) => THREE.BufferGeometry;
  return new Geometry(...(args as number[]));
}

/** The material, with those of the given fields it has; others (metalness on a basic material) are ignored. */
function materialOf(three: Three, value: Json | undefined, where: string): THREE.Material {
  const fields = isFields(value) ? value : {};
  const type = named(MATERIALS, { prefix: 'Mesh', suffix: 'Material' }, fields.type, `${where}.type`, 'MeshStandardMaterial');
  const material = new three[type]() as unknown as THREE.Material & Record<string, unknown>;
  for (const [key, given] of Object.entries(fields)) {
    const current = material[key];
    if (key === 'type' || current === undefined) continue;
    if ((current as THREE.Color | null)?.isColor && (typeof given === 'string' || typeof given === 'number')) (current as THREE.Color).set(given);
    else if (typeof current === typeof given) material[key] = given;
    else throw new SceneDescriptionError(`${where}.${key} must be a ${typeof current}; got ${JSON.stringify(given)}`);
  }
  if (typeof fields.opacity === 'number' && fields.opacity < 1) material.transparent = true;
  return material;
}

function lightOf(three: Three, value: Json, where: string): THREE.Light {
  const fields = isFields(value) ? value : {};
  const type = named(LIGHTS, { suffix: 'Light' }, fields.type, `${where}.type`);
  const light = new three[type]() as THREE.Light;
  if (typeof fields.color === 'string' || typeof fields.color === 'number') light.color.set(fields.color);
  light.intensity = numberAt(fields, 'intensity', where, light.intensity);
  const at = vector(fields.position, `${where}.position`);
  if (at) light.position.set(...at);
  return light;
}

/** The lights of a description without `lighting`: enough for a lit material to show its shape. */
function defaultLights(three: Three): THREE.Light[] {
  const sun = new three.DirectionalLight(0xffffff, 2);
  sun.position.set(5, 5, 5);
  return [new three.AmbientLight(0xffffff, 0.6), sun];
}

type Step = () => void;

function animationOf(mesh: THREE.Mesh, value: Json | undefined, where: string): Step | undefined {
  if (value === undefined || value === null) return undefined;
  const fields = isFields(value) ? value : {};
  named(ANIMATIONS, {}, fields.type, `${where}.type`, 'rotate');
  const axis = fields.axis ?? 'y';
  if (typeof axis !== 'string' || !/^[xyz]+$/.test(axis)) throw new SceneDescriptionError(`${where}.axis must be "x", "y", "z" or several of them ("xy"); got ${JSON.stringify(axis)}`);
  const speed = numberAt(fields, 'speed', where, 0.01);
  const axes = [...new Set(axis)] as Array<'x' | 'y' | 'z'>;
  return () => {
    for (const a of axes) mesh.rotation[a] += speed;
  };
}

function placeCamera(camera: THREE.PerspectiveCamera, value: Json | undefined, target: [number, number, number], where: string): void {
  if (!isFields(value)) {
    // The skill may have placed the camera itself (a body that also returns a description).
    if (camera.position.lengthSq() > 0) return;
    camera.position.set(...DEFAULT_CAMERA_POSITION);
    camera.lookAt(...target);
    return;
  }
  camera.fov = numberAt(value, 'fov', where, camera.fov);
  camera.near = numberAt(value, 'near', where, camera.near);
  camera.far = numberAt(value, 'far', where, camera.far);
  camera.position.set(...(vector(value.position, `${where}.position`) ?? [...DEFAULT_CAMERA_POSITION]));
  camera.lookAt(...(vector(value.lookAt ?? value.look_at, `${where}.lookAt`) ?? target));
  camera.updateProjectionMatrix();
}

/** Builds one description into the scene; returns its animation step, if it has one. */
function build(three: Three, { scene, camera }: SceneTarget, description: Fields, output: string): Step | undefined {
  const mesh = new three.Mesh(geometryOf(three, description.geometry as Fields, `${output}.geometry`), materialOf(three, description.material, `${output}.material`));
  mesh.name = output;
  const position = vector(description.position, `${output}.position`) ?? [0, 0, 0];
  mesh.position.set(...position);
  const rotation = vector(description.rotation, `${output}.rotation`);
  if (rotation) mesh.rotation.set(...rotation);
  const scale = typeof description.scale === 'number' ? ([description.scale, description.scale, description.scale] as [number, number, number]) : vector(description.scale, `${output}.scale`);
  if (scale) mesh.scale.set(...scale);
  const lighting = description.lighting;
  if (lighting !== undefined && !Array.isArray(lighting)) throw new SceneDescriptionError(`${output}.lighting must be a list of lights; got ${JSON.stringify(lighting)}`);
  const lights = lighting ? lighting.map((l, i) => lightOf(three, l, `${output}.lighting[${i}]`)) : defaultLights(three);
  const step = animationOf(mesh, description.animation, `${output}.animation`);
  placeCamera(camera, description.camera, position, `${output}.camera`);
  scene.add(mesh, ...lights);
  return step;
}

/**
 * Draws every output that is a scene description (EXEC-10) into the skill's scene: renders it
 * once, and sets an animation loop when one rotates. Returns the names of the outputs drawn.
 */
export function drawSceneDescriptions(three: Three, target: SceneTarget, outputs: Record<string, Json>): string[] {
  const drawn = Object.entries(outputs).filter(([, value]) => isSceneDescription(value));
  const steps = drawn.map(([name, value]) => build(three, target, value as Fields, name)).filter((s): s is Step => s !== undefined);
  if (drawn.length === 0) return [];
  const frame = () => target.renderer.render(target.scene, target.camera);
  frame();
  if (steps.length > 0) {
    target.renderer.setAnimationLoop(() => {
      for (const step of steps) step();
      frame();
    });
  }
  return drawn.map(([name]) => name);
}
