// A Three.js skill in the original product's form (EXEC-10): `function execute(inputs)` returning
// a scene description, with a `wireframe` switch and keys a basic material does not have, as the
// original's files pass them. The conformance table, the headless tests and the Chromium test
// of the drawn viewport all run this one skill.
import { skillText } from './skill-text';

export const ORIGINAL_FORM_ID = 'original-form-box';

export const ORIGINAL_FORM_CODE = `function execute(inputs) {
  const edge = inputs.edge || 1.5;
  const plain = inputs.wireframe === true;
  return {
    box: {
      kind: 'box',
      geometry: { type: 'BoxGeometry', args: [edge, edge, edge] },
      material: { type: plain ? 'MeshBasicMaterial' : 'MeshStandardMaterial', color: inputs.color || '#ffaa22', wireframe: plain, roughness: 0.6, metalness: 0.1 },
      position: [0, 0, 0],
      rotation: [0.4, 0.7, 0],
      animation: { type: 'rotate', axis: 'y', speed: 0.02 },
      lighting: [
        { type: 'AmbientLight', color: '#ffffff', intensity: 0.7 },
        { type: 'DirectionalLight', color: '#ffffff', intensity: 2, position: [4, 6, 5] }
      ],
      camera: { type: 'PerspectiveCamera', fov: 50, position: [0, 1, 5] }
    },
    frame: 0
  };
}`;

/** The skill's file, with `edge` defaulting to 2. */
export const ORIGINAL_FORM_SKILL = skillText(
  'threejs',
  ORIGINAL_FORM_ID,
  [
    { name: 'box', type: 'object' },
    { name: 'frame', type: 'number' },
  ],
  ORIGINAL_FORM_CODE,
  [
    { name: 'edge', type: 'number', default: 2 },
    { name: 'color', type: 'string', default: '#ffaa22' },
  ],
);
