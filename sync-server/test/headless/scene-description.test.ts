// EXEC-10 headless: a Three.js skill in the original's form (`function execute(inputs)` returning
// a scene description) runs in `npm run workflow`'s runtime, and its description is built into the
// scene with the real three.js (as the browser's viewport builds it before drawing), then
// described on the node's stdout.
import * as THREE from 'three';
import { afterAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../shared/src/execution/executor';
import { drawSceneDescriptions } from '../../../shared/src/execution/scene-description';
import { createScene } from '../../../shared/src/execution/threejs-scene';
import type { Json } from '../../../shared/src/json';
import { ORIGINAL_FORM_ID, ORIGINAL_FORM_SKILL } from '../../../shared/test/conformance/original-form';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { RecordingRenderer } from '../../src/headless/threejs-stage';
import { node, skillFrom } from './helpers';

const runtimes = nodeRuntimes({ javascriptWorkers: 1 });
afterAll(() => runtimes.close());

const stage = () => ({ ...createScene(THREE), renderer: new RecordingRenderer() });

describe('EXEC-10 scene descriptions headless', () => {
  it("runs the original's execute form and builds its description into the scene", async () => {
    const skill = skillFrom(ORIGINAL_FORM_SKILL, `user/${ORIGINAL_FORM_ID}.md`);
    const report = await runWorkflow({ graph: { nodes: [node('n', ORIGINAL_FORM_ID, { edge: 1 })], edges: [] }, resolve: () => skill, runtimes });
    const n = report.nodes.n!;
    expect(n.status, n.error).toBe('done');
    expect(n.outputs?.frame).toBe(0);
    expect(n.outputs?.box).toMatchObject({ geometry: { type: 'BoxGeometry', args: [1, 1, 1] } });
    expect(n.stdout).toBe('[three.js headless] scene: 3 object(s), 1 mesh(es); built from the scene description(s) "box"; render() called 1×; animation loop set (not run headless)\n');
  });

  it('builds geometry, material, placement, lights and camera as described, and the loop rotates', () => {
    const target = stage();
    const description: Json = {
      geometry: { type: 'torus', args: [1, 0.3, 8, 16] },
      material: { type: 'basic', color: '#ff0000', wireframe: true, metalness: 0.5 },
      position: { x: 1, y: 2, z: 3 },
      rotation: [0.1, 0.2, 0.3],
      scale: 2,
      animation: { type: 'rotate', axis: 'xz', speed: 0.5 },
      lighting: [{ type: 'point', color: 0x00ff00, intensity: 3, position: [0, 5, 0] }],
      camera: { fov: 40, position: [0, 0, 10], lookAt: [1, 2, 3] },
    };
    expect(drawSceneDescriptions(THREE, target, { shape: description, count: 3 })).toEqual(['shape']);
    const mesh = target.scene.getObjectByName('shape') as THREE.Mesh<THREE.TorusGeometry, THREE.MeshBasicMaterial>;
    expect(mesh.geometry).toBeInstanceOf(THREE.TorusGeometry);
    expect(mesh.geometry.parameters).toMatchObject({ radius: 1, tube: 0.3, radialSegments: 8, tubularSegments: 16 });
    expect(mesh.material).toBeInstanceOf(THREE.MeshBasicMaterial);
    expect(mesh.material.color.getHex()).toBe(0xff0000);
    expect(mesh.material.wireframe).toBe(true);
    expect(mesh.position.toArray()).toEqual([1, 2, 3]);
    expect(mesh.rotation.toArray().slice(0, 3)).toEqual([0.1, 0.2, 0.3]);
    expect(mesh.scale.toArray()).toEqual([2, 2, 2]);
    const lights = target.scene.children.filter((o): o is THREE.PointLight => (o as THREE.PointLight).isPointLight);
    expect(lights.map((l) => [l.color.getHex(), l.intensity, l.position.y])).toEqual([[0x00ff00, 3, 5]]);
    expect(target.camera.fov).toBe(40);
    expect(target.camera.position.toArray()).toEqual([0, 0, 10]);
    expect(target.renderer.renders).toBe(1);
    target.renderer.animationLoop!(0);
    expect(mesh.rotation.x).toBeCloseTo(0.6, 10);
    expect(mesh.rotation.y).toBeCloseTo(0.2, 10);
    expect(mesh.rotation.z).toBeCloseTo(0.8, 10);
    expect(target.renderer.renders).toBe(2);
  });

  it('without lighting or camera: default lights, and an unmoved camera is placed to see the origin', () => {
    const target = stage();
    drawSceneDescriptions(THREE, target, { s: { geometry: { type: 'SphereGeometry' } } });
    expect(target.scene.children.map((o) => o.type)).toEqual(['Mesh', 'AmbientLight', 'DirectionalLight']);
    expect(target.camera.position.toArray()).toEqual([0, 0, 5]);
    expect(target.renderer.animationLoop).toBeNull();
    const moved = stage();
    moved.camera.position.set(1, 1, 1);
    drawSceneDescriptions(THREE, moved, { s: { geometry: { type: 'box' } } });
    expect(moved.camera.position.toArray()).toEqual([1, 1, 1]);
  });

  it('outputs that are no description are left alone, and nothing is rendered', () => {
    const target = stage();
    expect(drawSceneDescriptions(THREE, target, { a: 1, b: { geometry: 'box' }, c: [{ geometry: {} }] })).toEqual([]);
    expect(target.scene.children).toHaveLength(0);
    expect(target.renderer.renders).toBe(0);
  });

  it.each([
    [{ geometry: { type: 'BoxGeometry', args: [1, 'x'] } }, 's.geometry.args must be the numbers BoxGeometry is made with; got [1,"x"]'],
    [{ geometry: { type: 'box' }, material: { type: 'Glass' } }, /^s\.material\.type is "Glass", which is not one this app draws; use one of MeshStandardMaterial, /],
    [{ geometry: { type: 'box' }, material: { wireframe: 'yes' } }, 's.material.wireframe must be a boolean; got "yes"'],
    [{ geometry: { type: 'box' }, animation: { type: 'bounce' } }, 's.animation.type is "bounce", which is not one this app draws; use one of rotate'],
    [{ geometry: { type: 'box' }, animation: { axis: 'w' } }, 's.animation.axis must be "x", "y", "z" or several of them ("xy"); got "w"'],
    [{ geometry: { type: 'box' }, lighting: { type: 'AmbientLight' } }, 's.lighting must be a list of lights; got {"type":"AmbientLight"}'],
    [{ geometry: { type: 'box' }, camera: { fov: 'wide' } }, 's.camera.fov must be a number; got "wide"'],
  ] as Array<[Json, string | RegExp]>)('refuses %j, saying what is wrong', (description, message) => {
    expect(() => drawSceneDescriptions(THREE, stage(), { s: description })).toThrow(message);
  });
});
