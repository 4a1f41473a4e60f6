// EXEC-1 … EXEC-8: the conformance table. Every case runs against the headless runtimes in Node
// (sync-server/test/headless/conformance.test.ts) and against the browser workers in Chromium
// (web/test/conformance.e2e.test.ts), and `expectCase` holds both to the same expectation.
// A case has no platform field: it cannot be added for one platform only.
import { expect } from 'vitest';
import type { NodeState } from '../../src/execution/types';
import { JSON_ADVICE } from '../../src/execution/json-outputs';
import type { Json } from '../../src/json';
import type { SkillType } from '../../src/skill/schema';
import { caseFile, type CaseInput } from './run-case';
import { lineIn, literal, skillText, type Port } from './skill-text';

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

interface CaseSpec {
  rules: string[];
  title: string;
  type: SkillType;
  outputs: Port[];
  code: string;
  inputs?: Port[];
  values?: Record<string, Json>;
  timeoutMs?: number;
  /** The expectation; given the skill's text and file name when it names their lines. */
  expected: Expected | ((text: string, file: string) => Expected);
}

const specs: Record<string, CaseSpec> = {};
const add = (id: string, spec: CaseSpec) => {
  if (specs[id]) throw new Error(`conformance case ${id} is defined twice`);
  specs[id] = spec;
};

const notJson = (output: string, problem: string) => `output "${output}" is not JSON: ${problem}; ${JSON_ADVICE}`;
const any = (name = 'x'): Port[] => [{ name, type: 'any' }];
const js = (body: string) => `function execute(inputs) {\n${body}\n}`;
const py = (body: string) => `def execute(inputs):\n${body}`;

// ── EXEC-1: results to JSON ────────────────────────────────────────────────────────────────────
add('js-typed-array', { rules: ['EXEC-1'], title: 'a Float64Array becomes an array of numbers', type: 'javascript', outputs: any(), code: js('  return { x: new Float64Array([1.5, 2]) };'), expected: { outputs: { x: [1.5, 2] } } });
add('js-nan', { rules: ['EXEC-1'], title: 'NaN is refused, naming the output and the path', type: 'javascript', outputs: any(), code: js('  return { x: [1, NaN] };'), expected: { error: notJson('x', 'x[1] is NaN') } });
add('js-infinity', { rules: ['EXEC-1'], title: '-Infinity is refused, naming the path', type: 'javascript', outputs: any(), code: js('  return { x: { y: -Infinity } };'), expected: { error: notJson('x', 'x.y is -Infinity') } });
add('js-map-set', {
  rules: ['EXEC-1'],
  title: 'a Map with string or number keys becomes an object, a Set an array',
  type: 'javascript',
  outputs: [...any('m'), ...any('s')],
  code: js('  return { m: new Map([["a", 1], [2, "b"]]), s: new Set([1, 2, 2]) };'),
  expected: { outputs: { m: { a: 1, 2: 'b' }, s: [1, 2] } },
});
add('js-bigint', { rules: ['EXEC-1'], title: 'a BigInt within ±2^53 becomes a number', type: 'javascript', outputs: any(), code: js('  return { x: 10n };'), expected: { outputs: { x: 10 } } });
add('js-bigint-large', {
  rules: ['EXEC-1'],
  title: 'a BigInt beyond ±2^53 is refused',
  type: 'javascript',
  outputs: any(),
  code: js('  return { x: [2n ** 60n] };'),
  expected: { error: notJson('x', 'x[0] is an integer beyond ±2^53, which a JSON number cannot hold exactly (return it as a string)') },
});
add('js-undefined', {
  rules: ['EXEC-1'],
  title: 'undefined becomes null in an array and is left out of an object',
  type: 'javascript',
  outputs: [...any('x'), ...any('y')],
  code: js('  return { x: [1, undefined], y: { a: undefined, b: 1 } };'),
  expected: { outputs: { x: [1, null], y: { b: 1 } } },
});
add('js-cycle', { rules: ['EXEC-1'], title: 'a cycle is refused', type: 'javascript', outputs: any(), code: js('  const a = { n: 1 };\n  a.self = a;\n  return { x: a };'), expected: { error: notJson('x', 'x.self refers back to itself (a cycle)') } });
add('js-class-instance', {
  rules: ['EXEC-1'],
  title: 'a class instance is refused',
  type: 'javascript',
  outputs: any(),
  code: `class Point {\n  constructor() {\n    this.v = 1;\n  }\n}\n${js('  return { x: new Point() };')}`,
  expected: { error: notJson('x', 'x is a Point (a class instance; copy the fields you need into a plain object)') },
});
add('js-date', { rules: ['EXEC-1'], title: 'a Date becomes its ISO string', type: 'javascript', outputs: any(), code: js('  return { x: new Date(0) };'), expected: { outputs: { x: '1970-01-01T00:00:00.000Z' } } });
add('js-function', { rules: ['EXEC-1'], title: 'a function is refused', type: 'javascript', outputs: any(), code: js('  return { x: { f() {} } };'), expected: { error: notJson('x', 'x.f is a function') } });
add('js-not-object', {
  rules: ['EXEC-1'],
  title: 'a result that is no object of outputs is refused',
  type: 'javascript',
  outputs: any(),
  code: js('  return [1, 2];'),
  expected: { error: 'execute(inputs) must return an object keyed by output names, got an array' },
});
add('py-nan', { rules: ['EXEC-1'], title: 'Python: NaN is refused with the same text', type: 'python', outputs: any(), code: py('    return {"x": [1.0, float("nan")]}'), expected: { error: notJson('x', 'x[1] is NaN') } });
add('py-infinity', { rules: ['EXEC-1'], title: 'Python: Infinity is refused', type: 'python', outputs: any(), code: py('    return {"x": {"y": float("inf")}}'), expected: { error: notJson('x', 'x.y is Infinity') } });
add('py-containers', {
  rules: ['EXEC-1'],
  title: 'Python: sets, tuples and bytes become arrays, number keys strings',
  type: 'python',
  outputs: [...any('s'), ...any('t'), ...any('b'), ...any('d')],
  code: py('    return {"s": {3}, "t": (1, 2), "b": b"ab", "d": {1: "one"}}'),
  expected: { outputs: { s: [3], t: [1, 2], b: [97, 98], d: { 1: 'one' } } },
});
add('py-big-int', {
  rules: ['EXEC-1'],
  title: 'Python: an integer beyond ±2^53 is refused',
  type: 'python',
  outputs: any(),
  code: py('    return {"x": [2 ** 60]}'),
  expected: { error: notJson('x', 'x[0] is an integer beyond ±2^53, which a JSON number cannot hold exactly (return it as a string)') },
});
add('py-cycle', { rules: ['EXEC-1'], title: 'Python: a cycle is refused', type: 'python', outputs: any(), code: py('    a = []\n    a.append(a)\n    return {"x": a}'), expected: { error: notJson('x', 'x[0] refers back to itself (a cycle)') } });
add('py-class-instance', {
  rules: ['EXEC-1'],
  title: 'Python: a class instance is refused',
  type: 'python',
  outputs: any(),
  code: `class Point:\n    pass\n\n${py('    return {"x": Point()}')}`,
  expected: { error: notJson('x', 'x is a Point (a class instance; copy the fields you need into a plain object)') },
});
add('py-not-dict', {
  rules: ['EXEC-1'],
  title: 'Python: a result that is no dict is refused',
  type: 'python',
  outputs: any(),
  code: py('    return [1, 2]'),
  expected: { error: 'execute(inputs) must return an object keyed by output names (a dict), got a list' },
});
add('three-typed-array', {
  rules: ['EXEC-1'],
  title: 'Three.js: a Float32Array of a geometry becomes numbers',
  type: 'threejs',
  outputs: any('corner'),
  code: 'const box = new THREE.BoxGeometry(1, 1, 1);\nreturn { corner: box.attributes.position.array.slice(0, 3) };',
  expected: { outputs: { corner: [0.5, 0.5, 0.5] } },
});

// ── EXEC-2: missing and undeclared outputs ─────────────────────────────────────────────────────
add('js-missing', {
  rules: ['EXEC-2'],
  title: 'a declared output the skill does not return is an error',
  type: 'javascript',
  outputs: [...any('x'), ...any('y')],
  code: js('  return { x: 1 };'),
  expected: { error: 'the skill returned no "y" (declared in its outputs); it returned "x"' },
});
add('js-undefined-output', {
  rules: ['EXEC-1', 'EXEC-2'],
  title: 'an output left undefined counts as missing',
  type: 'javascript',
  outputs: any(),
  code: js('  return { x: undefined };'),
  expected: { error: 'the skill returned no "x" (declared in its outputs); it returned nothing' },
});
add('js-undeclared', {
  rules: ['EXEC-2'],
  title: 'an undeclared output is left out, with a note on stdout',
  type: 'javascript',
  outputs: any(),
  code: js('  console.log("ran");\n  return { x: 1, debug: 2 };'),
  expected: { outputs: { x: 1 }, stdout: 'ran\nnote: output "debug" is not declared and was left out; declare it in the skill\'s outputs to use it\n' },
});
add('py-missing', { rules: ['EXEC-2'], title: 'Python: a missing output is an error', type: 'python', outputs: [...any('x'), ...any('y')], code: py('    return {"x": 1}'), expected: { error: 'the skill returned no "y" (declared in its outputs); it returned "x"' } });
add('py-undeclared', {
  rules: ['EXEC-2'],
  title: 'Python: undeclared outputs are left out, with a note',
  type: 'python',
  outputs: any(),
  code: py('    return {"x": 1, "a": 2, "b": 3}'),
  expected: { outputs: { x: 1 }, stdout: 'note: outputs "a", "b" are not declared and were left out; declare them in the skill\'s outputs to use them\n' },
});
add('three-no-return', {
  rules: ['EXEC-2'],
  title: 'Three.js: a skill that only draws returns no outputs',
  type: 'threejs',
  outputs: [],
  code: 'scene.add(new THREE.Mesh(new THREE.BoxGeometry(), new THREE.MeshBasicMaterial()));\nrenderer.render(scene, camera);',
  expected: { outputs: {} },
});

// ── EXEC-3: output types ──────────────────────────────────────────────────────────────────────
add('js-wrong-type', {
  rules: ['EXEC-3'],
  title: 'a number output that returns a string is an error naming port, type and value',
  type: 'javascript',
  outputs: [{ name: 'x', type: 'number' }],
  code: js('  return { x: "abc" };'),
  expected: { error: 'output "x" is declared number, but the skill returned a string ("abc")' },
});
add('js-integer', {
  rules: ['EXEC-3'],
  title: 'an integer output must be an integer',
  type: 'javascript',
  outputs: [{ name: 'n', type: 'integer' }],
  code: js('  return { n: 1.5 };'),
  expected: { error: 'output "n" is declared integer, but the skill returned a number (1.5)' },
});
add('js-types-fit', {
  rules: ['EXEC-3'],
  title: 'values of every declared type pass; any takes anything',
  type: 'javascript',
  outputs: [
    { name: 'n', type: 'number' },
    { name: 'i', type: 'integer' },
    { name: 's', type: 'string' },
    { name: 'b', type: 'boolean' },
    { name: 'a', type: 'array' },
    { name: 'o', type: 'object' },
    { name: 'z', type: 'any' },
  ],
  code: js('  return { n: 0.5, i: 3, s: "s", b: false, a: [], o: {}, z: null };'),
  expected: { outputs: { n: 0.5, i: 3, s: 's', b: false, a: [], o: {}, z: null } },
});
add('py-wrong-type', {
  rules: ['EXEC-3'],
  title: 'Python: an array output that returns a dict is an error',
  type: 'python',
  outputs: [{ name: 'x', type: 'array' }],
  code: py('    return {"x": {"a": 1}}'),
  expected: { error: 'output "x" is declared array, but the skill returned an object' },
});

// ── EXEC-4: stdout ────────────────────────────────────────────────────────────────────────────
add('js-stdout', {
  rules: ['EXEC-4'],
  title: 'console output of every level is one stream, values as JSON',
  type: 'javascript',
  outputs: any(),
  code: js('  console.log("a", 1, { b: 2 });\n  console.error("oops");\n  console.warn([1, "x"]);\n  return { x: inputs.v * 2 };'),
  inputs: [{ name: 'v', type: 'number' }],
  values: { v: 21 },
  expected: { outputs: { x: 42 }, stdout: 'a 1 {"b":2}\noops\n[1,"x"]\n' },
});
add('py-stdout', {
  rules: ['EXEC-4'],
  title: 'Python: print and sys.stderr are one stream',
  type: 'python',
  outputs: any(),
  code: `import sys\n\n${py('    print("a", 1)\n    print("careful", file=sys.stderr)\n    return {"x": inputs["v"] + 1}')}`,
  inputs: [{ name: 'v', type: 'number', default: 1 }],
  expected: { outputs: { x: 2 }, stdout: 'a 1\ncareful\n' },
});
add('three-stdout', {
  rules: ['EXEC-4'],
  title: 'Three.js: console output is stdout',
  type: 'threejs',
  outputs: any(),
  code: 'console.log("building", inputs.n);\nreturn { x: inputs.n };',
  inputs: [{ name: 'n', type: 'number', default: 3 }],
  expected: { outputs: { x: 3 }, stdout: /^building 3\n/ },
});

// ── EXEC-5: ngspice vectors ───────────────────────────────────────────────────────────────────
const DIVIDER = '* divider\nV1 1 0 DC {{vin}}\nR1 1 2 1k\nR2 2 0 3k\n.op\n.end';
const VIN: Port[] = [{ name: 'vin', type: 'number', default: 8 }];
add('spice-op-vector-names', {
  rules: ['EXEC-5', 'EXEC-8'],
  title: 'outputs named v(2) and i(v1) read those vectors; after .op a number is the single value',
  type: 'ngspice',
  outputs: [{ name: 'v(2)', type: 'number' }, { name: 'i(v1)', type: 'number' }],
  inputs: VIN,
  code: DIVIDER,
  expected: { outputs: { 'v(2)': expect.closeTo(6, 9), 'i(v1)': expect.closeTo(-0.002, 12) } },
});
add('spice-op-identifiers', {
  rules: ['EXEC-5'],
  title: 'the identifier forms v_2 and i_v1 read the same vectors',
  type: 'ngspice',
  outputs: [{ name: 'v_2', type: 'number' }, { name: 'I_V1', type: 'number' }],
  inputs: VIN,
  values: { vin: 4 },
  code: DIVIDER,
  expected: { outputs: { v_2: expect.closeTo(3, 9), I_V1: expect.closeTo(-0.001, 12) } },
});
add('spice-case-insensitive', {
  rules: ['EXEC-5', 'EXEC-8'],
  title: 'a vector name matches whatever its case',
  type: 'ngspice',
  outputs: [{ name: 'V(2)', type: 'array' }],
  inputs: VIN,
  code: DIVIDER,
  expected: { outputs: { 'V(2)': [expect.closeTo(6, 9)] } },
});
const SWEEP = '* swept divider\nV1 1 0 DC 0\nR1 1 2 1k\nR2 2 0 3k\n.dc V1 0 2 1\n.end';
add('spice-sweep-array', {
  rules: ['EXEC-5', 'EXEC-8'],
  title: 'a sweep fills an array output with the whole vector',
  type: 'ngspice',
  outputs: [{ name: 'v(2)', type: 'array' }],
  code: SWEEP,
  expected: { outputs: { 'v(2)': [expect.closeTo(0, 9), expect.closeTo(0.75, 9), expect.closeTo(1.5, 9)] } },
});
add('spice-sweep-number', {
  rules: ['EXEC-5'],
  title: 'a sweep is refused for a number output, saying what to do',
  type: 'ngspice',
  outputs: [{ name: 'v(2)', type: 'number' }],
  code: SWEEP,
  expected: { error: 'output "v(2)" is declared number, but the vector v(2) has 3 values (a sweep); declare it array for the whole vector, or simulate with .op for one value' },
});
// 1 kΩ and 1 µF at ω = 1000 rad/s: H = 1 / (1 + j) = 0.5 − 0.5j.
const LOW_PASS = '* RC low-pass\nV1 in 0 AC 1\nR1 in out 1k\nC1 out 0 1u\n.ac lin 1 159.15494309189535 159.15494309189535\n.end';
add('spice-ac-complex', {
  rules: ['EXEC-5', 'EXEC-8'],
  title: 'an AC vector is complex, each value {re, im}',
  type: 'ngspice',
  outputs: [{ name: 'v(out)', type: 'array' }],
  code: LOW_PASS,
  expected: { outputs: { 'v(out)': [{ re: expect.closeTo(0.5, 6), im: expect.closeTo(-0.5, 6) }] } },
});
add('spice-complex-number', {
  rules: ['EXEC-5'],
  title: 'a complex value is refused for a number output',
  type: 'ngspice',
  outputs: [{ name: 'v(out)', type: 'number' }],
  code: LOW_PASS,
  expected: { error: 'output "v(out)" is declared number, but the vector v(out) is complex; declare it array to get [{re, im}]' },
});
add('spice-time', {
  rules: ['EXEC-5', 'EXEC-8'],
  title: 'time names the transient analysis time vector',
  type: 'ngspice',
  outputs: [{ name: 'time', type: 'array' }, { name: 'v(out)', type: 'array' }],
  code: '* RC step\nV1 in 0 PULSE(0 1 0 1n 1n 1 2)\nR1 in out 1k\nC1 out 0 1u\n.tran 1m 5m 0 1m\n.end',
  expected: { outputs: { time: expect.arrayContaining([0]), 'v(out)': expect.any(Array) } },
});
add('spice-missing-vector', {
  rules: ['EXEC-5'],
  title: 'an output naming no vector of the simulation is an error listing those there are',
  type: 'ngspice',
  outputs: [{ name: 'v(nowhere)', type: 'number' }],
  inputs: VIN,
  code: DIVIDER,
  expected: { error: 'output "v(nowhere)" reads the vector v(nowhere), which the simulation did not produce (it produced: v(1), v(2), i(v1))' },
});
add('spice-rejected-netlist', {
  rules: ['EXEC-5', 'EXEC-7'],
  title: 'a netlist ngspice rejects is an error at the skill file line',
  type: 'ngspice',
  outputs: [{ name: 'v(out)', type: 'number' }],
  code: '* bad\nV1 in 0 DC 1\nR1 in out 1k\nXNOPE out 0 nosuchsubckt\n.op\n.end',
  expected: (text, file) => ({ error: new RegExp(`^ngspice rejected the netlist:\\n[\\s\\S]*line ${lineIn(text, 'XNOPE')} of ${literal(file)}`) }),
});

// ── EXEC-6: Three.js scene and camera ─────────────────────────────────────────────────────────
add('three-defaults', {
  rules: ['EXEC-6'],
  title: 'the scene and camera start with the same settings everywhere',
  type: 'threejs',
  outputs: any('settings'),
  code: 'return { settings: { fov: camera.fov, near: camera.near, far: camera.far, aspect: camera.aspect, background: scene.background.getHex(), at: camera.position.toArray(), children: scene.children.length } };',
  expected: { outputs: { settings: { fov: 60, near: 0.1, far: 1000, aspect: 1.5, background: 0x0b1222, at: [0, 0, 0], children: 0 } } },
});

// ── EXEC-7: errors at the skill's lines ───────────────────────────────────────────────────────
add('js-syntax', {
  rules: ['EXEC-7'],
  title: 'a syntax error points at the skill file line',
  type: 'javascript',
  outputs: any(),
  code: js('  return { x: 1 ;'),
  expected: (text, file) => ({ error: new RegExp(`^${literal(file)}:${lineIn(text, 'return { x: 1 ;')}\\n  return \\{ x: 1 ;\\nSyntaxError: Unexpected token ';'$`) }),
});
add('js-throw', {
  rules: ['EXEC-7'],
  title: 'an exception names the skill file lines of its frames',
  type: 'javascript',
  outputs: any(),
  code: `function helper() {\n  return null.length;\n}\n${js('  return { x: helper() };')}`,
  expected: (text, file) => ({
    error: new RegExp(
      `^TypeError: Cannot read properties of null \\(reading 'length'\\)\\n {4}at helper \\(${literal(file)}:${lineIn(text, 'null.length')}:\\d+\\)\\n {4}at execute \\(${literal(file)}:${lineIn(text, 'helper() }')}:\\d+\\)$`,
    ),
  }),
});
add('js-no-execute', { rules: ['EXEC-7'], title: 'a skill without execute says so', type: 'javascript', outputs: any(), code: 'const y = 1;', expected: { error: 'the skill defines no function execute(inputs)' } });
add('three-throw', {
  rules: ['EXEC-7'],
  title: 'Three.js: an exception names the skill file line',
  type: 'threejs',
  outputs: any(),
  code: 'const n = 1;\nthrow new Error("boom " + n);',
  expected: (text, file) => ({ error: new RegExp(`^Error: boom 1\\n {4}at (.+ \\()?${literal(file)}:${lineIn(text, 'throw new Error')}:\\d+\\)?$`) }),
});
add('py-syntax', {
  rules: ['EXEC-7'],
  title: 'Python: a syntax error points at the skill file line',
  type: 'python',
  outputs: any(),
  code: py('    return {"x": 1'),
  expected: (text, file) => ({ error: new RegExp(`File "${literal(file)}", line ${lineIn(text, 'return {"x": 1')}\\n[\\s\\S]*SyntaxError: '\\{' was never closed$`) }),
});
add('py-traceback', {
  rules: ['EXEC-7'],
  title: 'Python: a traceback names the skill file lines',
  type: 'python',
  outputs: any(),
  code: `def helper(v):\n    raise ValueError("bad value " + str(v))\n\n${py('    return {"x": helper(inputs["v"])}')}`,
  inputs: [{ name: 'v', type: 'number', default: 7 }],
  expected: (text, file) => ({
    error: new RegExp(
      `^Traceback \\(most recent call last\\):\\n  File "${literal(file)}", line ${lineIn(text, 'helper(inputs')}, in execute\\n[\\s\\S]*  File "${literal(file)}", line ${lineIn(text, 'raise ValueError')}, in helper\\n[\\s\\S]*ValueError: bad value 7$`,
    ),
  }),
});
add('qiskit-as-python', {
  rules: ['EXEC-7'],
  title: 'a qiskit skill runs as Python',
  type: 'qiskit',
  outputs: [{ name: 'n', type: 'integer' }],
  code: py('    return {"n": len(inputs["gates"])}'),
  inputs: [{ name: 'gates', type: 'array' }],
  values: { gates: ['h', 'cx'] },
  expected: { outputs: { n: 2 } },
});

// ── Time limits ───────────────────────────────────────────────────────────────────────────────
add('js-timeout', {
  rules: ['EXEC-9'],
  title: 'an endless loop is stopped by the time limit, counted from the code’s start',
  type: 'javascript',
  outputs: any(),
  code: js('  while (true) {}'),
  timeoutMs: 1500,
  expected: { error: "timed out after 1500 ms; stop the loop, or raise the skill's estimated_time_ms" },
});

/** Every case, with its skill's file text; ids are the skills' ids. */
export const CASES: ConformanceCase[] = Object.entries(specs).map(([key, s]) => {
  const id = `conf-${key}`;
  const skill = skillText(s.type, id, s.outputs, s.code, s.inputs);
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
