// EXEC-1 … EXEC-12: the conformance table. Every case runs against the headless runtimes in Node
// (sync-server/test/headless/conformance.test.ts) and against the browser workers in Chromium
// (web/test/conformance.e2e.test.ts), and `expectCase` holds both to the same expectation.
// A case has no platform field: it cannot be added for one platform only.
import { expect } from 'vitest';
import type { NodeState } from '../../src/execution/types';
import { JSON_ADVICE } from '../../src/execution/json-outputs';
import type { Json } from '../../src/json';
import type { SkillType } from '../../src/skill/schema';
import { ORIGINAL_FORM_CODE } from './original-form';
import { caseFile, type CaseInput } from './run-case';
import { lineIn, literal, skillText, type GpuParts, type Port } from './skill-text';

type Expected =
  /** Outputs compared with `toEqual` (asymmetric matchers allowed); stdout exactly or by pattern. */
  | { outputs: Record<string, unknown>; stdout?: string | RegExp }
  /** The node's error, exactly or by pattern. */
  | { error: string | RegExp; stdout?: string | RegExp };

export interface ConformanceCase extends CaseInput {
  /** The EXEC rules the case checks. */
  rules: string[];
  title: string;
  type: SkillType;
  expected: Expected;
}

/** A skill as a case runs it: type, declared ports, code, and the inputs the node sets. */
interface SkillSpec extends GpuParts {
  type: SkillType;
  outputs: Port[];
  code: string;
  inputs?: Port[];
  values?: Record<string, Json>;
  timeoutMs?: number;
}

/** An expectation, or one made from the skill's text and file name when it names their lines. */
type Expectation = Expected | ((text: string, file: string) => Expected);

interface CaseSpec extends SkillSpec {
  rules: string[];
  title: string;
  expected: Expectation;
}

const specs: Record<string, CaseSpec> = {};
/** One row of the table: id, the EXEC rules it checks (space-separated), title, skill, expectation. */
const add = (id: string, rules: string, title: string, skill: SkillSpec, expected: Expectation) => {
  if (specs[id]) throw new Error(`conformance case ${id} is defined twice`);
  specs[id] = { rules: rules.split(' '), title, ...skill, expected };
};

/** Ports from `name:type` pairs separated by spaces (`any` when no type is given). */
const ports = (list: string): Port[] =>
  list
    .split(' ')
    .filter(Boolean)
    .map((p) => {
      const [name = '', type = 'any'] = p.split(':');
      return { name, type };
    });
type Extra = Omit<SkillSpec, 'type' | 'outputs' | 'code'>;
const skillOf = (type: SkillType) => (outputs: string, code: string, extra: Extra = {}): SkillSpec => ({ type, outputs: ports(outputs), code, ...extra });
const javascript = skillOf('javascript');
const python = skillOf('python');
const threejs = skillOf('threejs');
const ngspice = skillOf('ngspice');
const qiskit = skillOf('qiskit');
const webgpu = (outputs: Port[], code: string, extra: Omit<SkillSpec, 'type' | 'outputs' | 'code'>): SkillSpec => ({ type: 'webgpu', outputs, code, ...extra });
/** `execute` with this body, in JavaScript and in Python. */
const js = (body: string) => `function execute(inputs) {\n${body}\n}`;
const py = (body: string) => `def execute(inputs):\n${body}`;

const gives = (outputs: Record<string, unknown>, stdout?: string | RegExp): Expected => ({ outputs, ...(stdout !== undefined ? { stdout } : {}) });
const refused = (error: string | RegExp): Expected => ({ error });
const notJson = (output: string, problem: string) => refused(`output "${output}" is not JSON: ${problem}; ${JSON_ADVICE}`);
const BIG = 'is an integer beyond ±2^53, which a JSON number cannot hold exactly (return it as a string)';
const INSTANCE = 'x is a Point (a class instance; copy the fields you need into a plain object)';
const missing = (names: string, returned: string) => refused(`the skill returned no ${names} (declared in its outputs); it returned ${returned}`);

// ── EXEC-1: results to JSON ────────────────────────────────────────────────────────────────────
add('js-typed-array', 'EXEC-1', 'a Float64Array becomes an array of numbers', javascript('x', js('  return { x: new Float64Array([1.5, 2]) };')), gives({ x: [1.5, 2] }));
add('js-nan', 'EXEC-1', 'NaN is refused, naming the output and the path', javascript('x', js('  return { x: [1, NaN] };')), notJson('x', 'x[1] is NaN'));
add('js-infinity', 'EXEC-1', '-Infinity is refused, naming the path', javascript('x', js('  return { x: { y: -Infinity } };')), notJson('x', 'x.y is -Infinity'));
add('js-map-set', 'EXEC-1', 'a Map with string or number keys becomes an object, a Set an array', javascript('m s', js('  return { m: new Map([["a", 1], [2, "b"]]), s: new Set([1, 2, 2]) };')), gives({ m: { a: 1, 2: 'b' }, s: [1, 2] }));
add('js-bigint', 'EXEC-1', 'a BigInt within ±2^53 becomes a number', javascript('x', js('  return { x: 10n };')), gives({ x: 10 }));
add('js-bigint-large', 'EXEC-1', 'a BigInt beyond ±2^53 is refused', javascript('x', js('  return { x: [2n ** 60n] };')), notJson('x', `x[0] ${BIG}`));
add('js-undefined', 'EXEC-1', 'undefined becomes null in an array and is left out of an object', javascript('x y', js('  return { x: [1, undefined], y: { a: undefined, b: 1 } };')), gives({ x: [1, null], y: { b: 1 } }));
add('js-cycle', 'EXEC-1', 'a cycle is refused', javascript('x', js('  const a = { n: 1 };\n  a.self = a;\n  return { x: a };')), notJson('x', 'x.self refers back to itself (a cycle)'));
add('js-class-instance', 'EXEC-1', 'a class instance is refused', javascript('x', `class Point {\n  constructor() {\n    this.v = 1;\n  }\n}\n${js('  return { x: new Point() };')}`), notJson('x', INSTANCE));
add('js-date', 'EXEC-1', 'a Date becomes its ISO string', javascript('x', js('  return { x: new Date(0) };')), gives({ x: '1970-01-01T00:00:00.000Z' }));
add('js-function', 'EXEC-1', 'a function is refused', javascript('x', js('  return { x: { f() {} } };')), notJson('x', 'x.f is a function'));
add('js-not-object', 'EXEC-1', 'a result that is no object of outputs is refused', javascript('x', js('  return [1, 2];')), refused('execute(inputs) must return an object keyed by output names, got an array'));
add('py-nan', 'EXEC-1', 'Python: NaN is refused with the same text', python('x', py('    return {"x": [1.0, float("nan")]}')), notJson('x', 'x[1] is NaN'));
add('py-infinity', 'EXEC-1', 'Python: Infinity is refused', python('x', py('    return {"x": {"y": float("inf")}}')), notJson('x', 'x.y is Infinity'));
add('py-containers', 'EXEC-1', 'Python: sets, tuples and bytes become arrays, number keys strings', python('s t b d', py('    return {"s": {3}, "t": (1, 2), "b": b"ab", "d": {1: "one"}}')), gives({ s: [3], t: [1, 2], b: [97, 98], d: { 1: 'one' } }));
add('py-big-int', 'EXEC-1', 'Python: an integer beyond ±2^53 is refused', python('x', py('    return {"x": [2 ** 60]}')), notJson('x', `x[0] ${BIG}`));
add('py-cycle', 'EXEC-1', 'Python: a cycle is refused', python('x', py('    a = []\n    a.append(a)\n    return {"x": a}')), notJson('x', 'x[0] refers back to itself (a cycle)'));
add('py-class-instance', 'EXEC-1', 'Python: a class instance is refused', python('x', `class Point:\n    pass\n\n${py('    return {"x": Point()}')}`), notJson('x', INSTANCE));
add('py-not-dict', 'EXEC-1', 'Python: a result that is no dict is refused', python('x', py('    return [1, 2]')), refused('execute(inputs) must return an object keyed by output names (a dict), got a list'));
add('three-typed-array', 'EXEC-1', 'Three.js: a Float32Array of a geometry becomes numbers', threejs('corner', 'const box = new THREE.BoxGeometry(1, 1, 1);\nreturn { corner: box.attributes.position.array.slice(0, 3) };'), gives({ corner: [0.5, 0.5, 0.5] }));

// ── EXEC-2: missing and undeclared outputs ─────────────────────────────────────────────────────
add('js-missing', 'EXEC-2', 'a declared output the skill does not return is an error', javascript('x y', js('  return { x: 1 };')), missing('"y"', '"x"'));
add('js-undefined-output', 'EXEC-1 EXEC-2', 'an output left undefined counts as missing', javascript('x', js('  return { x: undefined };')), missing('"x"', 'nothing'));
add('js-undeclared', 'EXEC-2', 'an undeclared output is left out, with a note on stdout', javascript('x', js('  console.log("ran");\n  return { x: 1, debug: 2 };')), gives({ x: 1 }, 'ran\nnote: output "debug" is not declared and was left out; declare it in the skill\'s outputs to use it\n'));
add('py-missing', 'EXEC-2', 'Python: a missing output is an error', python('x y', py('    return {"x": 1}')), missing('"y"', '"x"'));
add('py-undeclared', 'EXEC-2', 'Python: undeclared outputs are left out, with a note', python('x', py('    return {"x": 1, "a": 2, "b": 3}')), gives({ x: 1 }, 'note: outputs "a", "b" are not declared and were left out; declare them in the skill\'s outputs to use them\n'));
add('three-no-return', 'EXEC-2', 'Three.js: a skill that only draws returns no outputs', threejs('', 'scene.add(new THREE.Mesh(new THREE.BoxGeometry(), new THREE.MeshBasicMaterial()));\nrenderer.render(scene, camera);'), gives({}));

// ── EXEC-3: output types ──────────────────────────────────────────────────────────────────────
add('js-wrong-type', 'EXEC-3', 'a number output returning a string is an error naming port, type and value', javascript('x:number', js('  return { x: "abc" };')), refused('output "x" is declared number, but the skill returned a string ("abc")'));
add('js-integer', 'EXEC-3', 'an integer output must be an integer', javascript('n:integer', js('  return { n: 1.5 };')), refused('output "n" is declared integer, but the skill returned a number (1.5)'));
const EVERY_TYPE = 'n:number i:integer s:string b:boolean a:array o:object z:any';
add('js-types-fit', 'EXEC-3', 'values of every declared type pass; any takes anything', javascript(EVERY_TYPE, js('  return { n: 0.5, i: 3, s: "s", b: false, a: [], o: {}, z: null };')), gives({ n: 0.5, i: 3, s: 's', b: false, a: [], o: {}, z: null }));
add('py-wrong-type', 'EXEC-3', 'Python: an array output that returns a dict is an error', python('x:array', py('    return {"x": {"a": 1}}')), refused('output "x" is declared array, but the skill returned an object'));

// ── EXEC-4: stdout ────────────────────────────────────────────────────────────────────────────
const LOGS = '  console.log("a", 1, { b: 2 });\n  console.error("oops");\n  console.warn([1, "x"]);\n  return { x: inputs.v * 2 };';
add('js-stdout', 'EXEC-4', 'console output of every level is one stream, values as JSON', javascript('x', js(LOGS), { inputs: ports('v:number'), values: { v: 21 } }), gives({ x: 42 }, 'a 1 {"b":2}\noops\n[1,"x"]\n'));
const PRINTS = `import sys\n\n${py('    print("a", 1)\n    print("careful", file=sys.stderr)\n    return {"x": inputs["v"] + 1}')}`;
add('py-stdout', 'EXEC-4', 'Python: print and sys.stderr are one stream', python('x', PRINTS, { inputs: [{ name: 'v', type: 'number', default: 1 }] }), gives({ x: 2 }, 'a 1\ncareful\n'));
add('three-stdout', 'EXEC-4', 'Three.js: console output is stdout', threejs('x', 'console.log("building", inputs.n);\nreturn { x: inputs.n };', { inputs: [{ name: 'n', type: 'number', default: 3 }] }), gives({ x: 3 }, /^building 3\n/));

// ── EXEC-5: ngspice vectors ───────────────────────────────────────────────────────────────────
const DIVIDER = '* divider\nV1 1 0 DC {{vin}}\nR1 1 2 1k\nR2 2 0 3k\n.op\n.end';
const divider = (outputs: string, values?: Record<string, Json>) => ngspice(outputs, DIVIDER, { inputs: [{ name: 'vin', type: 'number', default: 8 }], ...(values ? { values } : {}) });
const SWEEP = '* swept divider\nV1 1 0 DC 0\nR1 1 2 1k\nR2 2 0 3k\n.dc V1 0 2 1\n.end';
// 1 kΩ and 1 µF at ω = 1000 rad/s: H = 1 / (1 + j) = 0.5 − 0.5j.
const LOW_PASS = '* RC low-pass\nV1 in 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac lin 1 159.15494309189535 159.15494309189535\n.end';
const STEP = '* RC step\nV1 in 0 PULSE(0 1 0 1n 1n 1 2)\nR1 in out 1k\nC1 out 0 1u\n.tran 1m 5m 0 1m\n.end';
const near = (value: number, digits = 9) => expect.closeTo(value, digits);
add('spice-op-vector-names', 'EXEC-5 EXEC-8', 'outputs named v(2) and i(v1) read those vectors; after .op a number is the single value', divider('v(2):number i(v1):number'), gives({ 'v(2)': near(6), 'i(v1)': near(-0.002, 12) }));
add('spice-op-identifiers', 'EXEC-5', 'the identifier forms v_2 and I_V1 read the same vectors', divider('v_2:number I_V1:number', { vin: 4 }), gives({ v_2: near(3), I_V1: near(-0.001, 12) }));
add('spice-case-insensitive', 'EXEC-5 EXEC-8', 'a vector name matches whatever its case', divider('V(2):array'), gives({ 'V(2)': [near(6)] }));
add('spice-sweep-array', 'EXEC-5 EXEC-8', 'a sweep fills an array output with the whole vector', ngspice('v(2):array', SWEEP), gives({ 'v(2)': [near(0), near(0.75), near(1.5)] }));
add('spice-sweep-number', 'EXEC-5', 'a sweep is refused for a number output, saying what to do', ngspice('v(2):number', SWEEP), refused('output "v(2)" is declared number, but the vector v(2) has 3 values (a sweep); declare it array for the whole vector, or simulate with .op for one value'));
add('spice-ac-complex', 'EXEC-5 EXEC-8', 'an AC vector is complex, each value {re, im}', ngspice('v(out):array', LOW_PASS), gives({ 'v(out)': [{ re: near(0.5, 6), im: near(-0.5, 6) }] }));
add('spice-complex-number', 'EXEC-5', 'a complex value is refused for a number output', ngspice('v(out):number', LOW_PASS), refused('output "v(out)" is declared number, but the vector v(out) is complex; declare it array to get [{re, im}]'));
add('spice-time', 'EXEC-5 EXEC-8', 'time names the transient analysis time vector', ngspice('time:array v(out):array', STEP), gives({ time: expect.arrayContaining([0]), 'v(out)': expect.any(Array) }));
add('spice-missing-vector', 'EXEC-5', 'an output naming no vector of the simulation is an error listing those there are', divider('v(nowhere):number'), refused('output "v(nowhere)" reads the vector v(nowhere), which the simulation did not produce (it produced: v(1), v(2), i(v1))'));
const REJECTED = '* bad\nV1 in 0 DC 1\nR1 in out 1k\nXNOPE out 0 nosuchsubckt\n.op\n.end';
add('spice-rejected-netlist', 'EXEC-5 EXEC-7', 'a netlist ngspice rejects is an error at the skill file line', ngspice('v(out):number', REJECTED), (text, file) => refused(new RegExp(`^ngspice rejected the netlist:\\n[\\s\\S]*line ${lineIn(text, 'XNOPE')} of ${literal(file)}`)));

// ── EXEC-6: Three.js scene and camera ─────────────────────────────────────────────────────────
const SETTINGS = 'return { settings: { fov: camera.fov, near: camera.near, far: camera.far, aspect: camera.aspect, background: scene.background.getHex(), at: camera.position.toArray(), children: scene.children.length } };';
add('three-defaults', 'EXEC-6', 'the scene and camera start with the same settings everywhere', threejs('settings', SETTINGS), gives({ settings: { fov: 60, near: 0.1, far: 1000, aspect: 1.5, background: 0x0b1222, at: [0, 0, 0], children: 0 } }));

// ── EXEC-10: Three.js skills in the original's form, and scene descriptions ──────────────────
const BOX_DATA = { kind: 'box', geometry: { type: 'BoxGeometry', args: [2, 2, 2] }, position: [0, 0, 0] };
add('three-execute-form', 'EXEC-10 EXEC-2', "Three.js: the original's execute(inputs) form returns its outputs", threejs('box:object frame:number', ORIGINAL_FORM_CODE, { inputs: [{ name: 'edge', type: 'number', default: 2 }] }), gives({ box: expect.objectContaining(BOX_DATA), frame: 0 }));
add('three-execute-async', 'EXEC-10', 'Three.js: execute may be async, and sees THREE', threejs('n', 'async function execute(inputs) {\n  await null;\n  return { n: new THREE.Vector3(1, 2, 2).length() };\n}'), gives({ n: 3 }));
add('three-body-return-wins', 'EXEC-10', 'Three.js: a body that returns keeps its own result even if it defines execute', threejs('x', 'function execute() {\n  return { x: "execute" };\n}\nreturn { x: "body" };'), gives({ x: 'body' }));
add('three-execute-throw', 'EXEC-10 EXEC-7', 'Three.js: an exception in execute names the skill file line', threejs('x', 'function execute(inputs) {\n  throw new RangeError("no " + inputs.n);\n}', { inputs: [{ name: 'n', type: 'number', default: 4 }] }), (text, file) => refused(new RegExp(`^RangeError: no 4\\n {4}at execute \\(${at(file, text, 'throw new')}:\\d+\\)$`)));
add('three-description-unknown-geometry', 'EXEC-10', 'Three.js: a scene description naming no three.js geometry is refused, saying which exist', threejs('shape:object', js('  return { shape: { geometry: { type: "Blob" } } };')), refused(/^shape\.geometry\.type is "Blob", which is not one this app draws; use one of BoxGeometry, SphereGeometry, .*TetrahedronGeometry$/));
add('three-description-bad-position', 'EXEC-10', 'Three.js: a malformed position in a scene description is refused, naming it', threejs('shape:object', js('  return { shape: { geometry: { type: "sphere", args: [1] }, position: [0, "up"] } };')), refused('shape.position must be three numbers, [x, y, z] or {"x", "y", "z"}; got [0,"up"]'));

// ── EXEC-12: a scene passed between Three.js nodes ──────────────────────────────────────────
const PASSES_ON = 'const cube = new THREE.Mesh(new THREE.BoxGeometry(), new THREE.MeshBasicMaterial({ color: 0xff0000 }));\ncube.name = "cube";\ncube.position.set(1, 0, 0);\nscene.add(cube);\ncamera.position.set(0, 0, 4);';
const objectJson = (type: string, fields: Record<string, unknown> = {}) => expect.objectContaining({ metadata: expect.objectContaining({ type: 'Object' }), object: expect.objectContaining({ type, ...fields }) });
const AT_X1 = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1];
add('three-scene-out', 'EXEC-12', 'Three.js: a declared scene output carries the scene and camera as three.js JSON', threejs('scene:object', PASSES_ON), gives({ scene: { scene: objectJson('Scene', { children: [expect.objectContaining({ type: 'Mesh', name: 'cube', matrix: AT_X1 })] }), camera: objectJson('PerspectiveCamera', { fov: 60, matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 4, 1] }) } }));
/** A scene as an upstream node passes it on: a red cube at x = 1, a camera of 45° at z = 4. */
const HANDOFF: Json = {
  scene: {
    metadata: { version: 4.7, type: 'Object' },
    geometries: [{ uuid: 'g', type: 'BoxGeometry' }],
    materials: [{ uuid: 'm', type: 'MeshBasicMaterial', color: 0xff0000 }],
    object: { uuid: 's', type: 'Scene', background: 0x112233, children: [{ uuid: 'c', type: 'Mesh', name: 'cube', geometry: 'g', material: 'm', matrix: AT_X1 }] },
  },
  camera: { metadata: { version: 4.7, type: 'Object' }, object: { uuid: 'k', type: 'PerspectiveCamera', fov: 45, near: 0.1, far: 100, aspect: 2, matrix: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 4, 1] } },
};
const LOOKS = 'const names = [];\nscene.traverse((o) => { if (o.isMesh) names.push(`${o.name}@${o.position.x}`); });\nreturn { seen: { names, background: scene.background.getHex(), at: camera.position.toArray(), fov: camera.fov, aspect: camera.aspect } };';
add('three-scene-in', 'EXEC-12 EXEC-6', "Three.js: an input scene in that shape is the skill's starting scene and camera, at the viewport's aspect", threejs('seen', LOOKS, { inputs: ports('scene:object'), values: { scene: HANDOFF } }), gives({ seen: { names: ['cube@1'], background: 0x112233, at: [0, 0, 4], fov: 45, aspect: 1.5 } }));
add('three-scene-other', 'EXEC-12', 'Three.js: an input scene of another shape is left to the skill', threejs('kind', 'return { kind: `${typeof inputs.scene}:${scene.children.length}` };', { inputs: ports('scene:string'), values: { scene: 'forest' } }), gives({ kind: 'string:0' }));

// ── EXEC-7: errors at the skill's lines ───────────────────────────────────────────────────────
const at = (file: string, text: string, needle: string) => `${literal(file)}:${lineIn(text, needle)}`;
add('js-syntax', 'EXEC-7', 'a syntax error points at the skill file line', javascript('x', js('  return { x: 1 ;')), (text, file) => refused(new RegExp(`^${at(file, text, 'x: 1 ;')}\\n  return \\{ x: 1 ;\\nSyntaxError: Unexpected token ';'$`)));
const NULL_LENGTH = "^TypeError: Cannot read properties of null \\(reading 'length'\\)";
const throwing = (text: string, file: string) => new RegExp(`${NULL_LENGTH}\\n {4}at helper \\(${at(file, text, 'null.length')}:\\d+\\)\\n {4}at execute \\(${at(file, text, 'helper() }')}:\\d+\\)$`);
add('js-throw', 'EXEC-7', 'an exception names the skill file lines of its frames', javascript('x', `function helper() {\n  return null.length;\n}\n${js('  return { x: helper() };')}`), (text, file) => refused(throwing(text, file)));
add('js-no-execute', 'EXEC-7', 'a skill without execute says so', javascript('x', 'const y = 1;'), refused('the skill defines no function execute(inputs)'));
add('three-throw', 'EXEC-7', 'Three.js: an exception names the skill file line', threejs('x', 'const n = 1;\nthrow new Error("boom " + n);'), (text, file) => refused(new RegExp(`^Error: boom 1\\n {4}at (.+ \\()?${at(file, text, 'throw new')}:\\d+\\)?$`)));
const pyLine = (text: string, file: string, needle: string) => `File "${literal(file)}", line ${lineIn(text, needle)}`;
add('py-syntax', 'EXEC-7', 'Python: a syntax error points at the skill file line', python('x', py('    return {"x": 1')), (text, file) => refused(new RegExp(`${pyLine(text, file, '{"x": 1')}\\n[\\s\\S]*SyntaxError: '\\{' was never closed$`)));
const RAISES = `def helper(v):\n    raise ValueError("bad value " + str(v))\n\n${py('    return {"x": helper(inputs["v"])}')}`;
const traceback = (text: string, file: string) => new RegExp(`^Traceback \\(most recent call last\\):\\n  ${pyLine(text, file, 'helper(inputs')}, in execute\\n[\\s\\S]*  ${pyLine(text, file, 'raise')}, in helper\\n[\\s\\S]*ValueError: bad value 7$`);
add('py-traceback', 'EXEC-7', 'Python: a traceback names the skill file lines', python('x', RAISES, { inputs: [{ name: 'v', type: 'number', default: 7 }] }), (text, file) => refused(traceback(text, file)));
add('qiskit-as-python', 'EXEC-7', 'a qiskit skill runs as Python', qiskit('n:integer', py('    return {"n": len(inputs["gates"])}'), { inputs: ports('gates:array'), values: { gates: ['h', 'cx'] } }), gives({ n: 2 }));

// ── EXEC-9: time limits ───────────────────────────────────────────────────────────────────────
add('js-timeout', 'EXEC-9', 'an endless loop is stopped by the time limit, counted from the code’s start', javascript('x', js('  while (true) {}'), { timeoutMs: 1500 }), refused("timed out after 1500 ms; stop the loop, or raise the skill's estimated_time_ms"));

// ── EXEC-14: webgpu kernels, on the GPU in Chromium (SwiftShader) and by their fallback in Node ──
/** A kernel over one invocation per element of its first output, bounds-checked. */
const kernel = (output: string, body: string) => `@compute @workgroup_size(WG_X, WG_Y, WG_Z)\nfn main(@builtin(global_invocation_id) id: vec3u) {\n  let i = id.x;\n  if (i >= arrayLength(&${output})) { return; }\n  ${body}\n}`;
const SAXPY_INPUTS: Port[] = [
  { name: 'x', type: 'array', default: [1, 2, 3, 4] },
  { name: 'y', type: 'array', default: [10, 20, 30, 40] },
  { name: 'a', type: 'number', default: 2 },
];
add(
  'gpu-saxpy',
  'EXEC-14 EXEC-1',
  'array inputs bind as buffers, numbers as params; the output buffer is read back as numbers',
  webgpu([{ name: 'z', type: 'array', length: 'len(x)' }], kernel('z', 'z[i] = params.a * x[i] + y[i];'), {
    inputs: SAXPY_INPUTS,
    values: { a: 0.5 },
    fallback: js('  return { z: inputs.x.map((v, i) => inputs.a * v + inputs.y[i]) };'),
  }),
  gives({ z: [10.5, 21, 31.5, 42] }),
);
add(
  'gpu-shape',
  'EXEC-14',
  'an output with a shape is read back as rows (a flat fallback result too), i32 as integers',
  webgpu([{ name: 'grid', type: 'array', element: 'i32', length: 'rows * 3', shape: ['rows', 3] }], kernel('grid', 'grid[i] = i32(i) - 2;'), {
    inputs: [{ name: 'rows', type: 'integer', default: 2 }],
    fallback: js('  return { grid: Array.from({ length: inputs.rows * 3 }, (_, i) => i - 2) };'),
  }),
  gives({ grid: [[-2, -1, 0], [1, 2, 3]] }),
);
add(
  'gpu-steps-feedback',
  'EXEC-14',
  'steps dispatch the kernel again, each output fed back as its input, params.step counting',
  webgpu([{ name: 'next', type: 'array', element: 'u32', length: 'len(prev)' }], kernel('next', 'next[i] = prev[i] * 2u + params.step;'), {
    inputs: [{ name: 'prev', type: 'array', element: 'u32', default: [0, 1, 2] }],
    gpu: { dispatch: ['len(prev)'], steps: 3, feedback: { next: 'prev' } },
    fallback: js('  let v = inputs.prev;\n  for (let step = 0; step < 3; step++) v = v.map((p) => p * 2 + step);\n  return { next: v };'),
  }),
  // ((p·2 + 0)·2 + 1)·2 + 2 = 8p + 4
  gives({ next: [4, 12, 20] }),
);
add(
  'gpu-timeout',
  'EXEC-14 EXEC-9',
  'a kernel dispatched for hours is stopped by the time limit (as its endless fallback is)',
  webgpu([{ name: 'acc', type: 'array', length: 1024 }], kernel('acc', 'var s = 0.0;\n  for (var k = 0u; k < 5000u; k++) { s = s * 0.999 + f32(k % 7u); }\n  acc[i] = s;'), {
    gpu: { steps: 1000000 },
    fallback: js('  while (true) {}'),
    timeoutMs: 1500,
  }),
  refused("timed out after 1500 ms; stop the loop, or raise the skill's estimated_time_ms"),
);

/** Every case, with its skill's file text; ids are the skills' ids. */
export const CASES: ConformanceCase[] = Object.entries(specs).map(([key, s]) => {
  const id = `conf-${key}`;
  const skill = skillText(s.type, id, s.outputs, s.code, s.inputs, { gpu: s.gpu, fallback: s.fallback });
  return {
    id,
    rules: s.rules,
    title: s.title,
    type: s.type,
    skill,
    ...(s.values ? { inputs: s.values } : {}),
    ...(s.timeoutMs ? { timeoutMs: s.timeoutMs } : {}),
    expected: typeof s.expected === 'function' ? s.expected(skill, caseFile(id)) : s.expected,
  };
});

/** A case's name in test output: its rules, runtime and title. */
export const caseName = (c: ConformanceCase): string => `${c.rules.join(', ')} ${c.type}: ${c.title} (${c.id})`;

/** The one expectation both runners hold a case's result to. */
export function expectCase(c: ConformanceCase, state: NodeState): void {
  const matches = (actual: string | undefined, wanted: string | RegExp) => (typeof wanted === 'string' ? expect(actual).toBe(wanted) : expect(actual).toMatch(wanted));
  if ('outputs' in c.expected) {
    expect(state.error, `${c.id} failed`).toBeUndefined();
    expect(state.status).toBe('done');
    expect(state.outputs).toEqual(c.expected.outputs);
  } else {
    expect(state.status).toBe('error');
    matches(state.error, c.expected.error);
  }
  if (c.expected.stdout !== undefined) matches(state.stdout, c.expected.stdout);
}
