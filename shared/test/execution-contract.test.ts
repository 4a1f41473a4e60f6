/*
 * The runtime contract's pure rules (shared/src/execution/SPEC.md), beyond what the conformance
 * table runs end to end: values from another realm, every refusal, the output checks, stdout's
 * limit and console formatting, the ngspice vector mapping and the Three.js scene defaults.
 */
import vm from 'node:vm';
import * as THREE from 'three';
import { describe, expect, it } from 'vitest';
import { OutputError, toJsonOutputs } from '../src/execution/json-outputs';
import { ngspiceMessages, outputsFromVectors } from '../src/execution/ngspice-vectors';
import { checkOutputs, fitsPortType } from '../src/execution/output-contract';
import { formatConsoleLine, MAX_STDOUT, Stdout } from '../src/execution/stdout';
import { createScene, SCENE_DEFAULTS } from '../src/execution/threejs-scene';

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(OutputError);
    return (e as Error).message.replace(/; return numbers.*$/, '');
  }
  throw new Error('expected a refusal');
};

describe('EXEC-1: results to JSON', () => {
  it('converts values of another realm (node:vm) by what they are, not by instanceof', () => {
    const value = vm.runInNewContext('({ t: new Int16Array([1, -2]), m: new Map([["k", new Set([1])]]), d: new Date(86400000), o: Object.create(null), b: 3n })');
    expect(toJsonOutputs(value)).toEqual({ t: [1, -2], m: { k: [1] }, d: '1970-01-02T00:00:00.000Z', o: {}, b: 3 });
    expect(refusal(() => toJsonOutputs(vm.runInNewContext('({ x: [0 / 0] })')))).toBe('output "x" is not JSON: x[0] is NaN');
  });

  it('refuses what JSON would change, naming output and path', () => {
    expect(refusal(() => toJsonOutputs({ x: { s: Symbol('a') } }))).toBe('output "x" is not JSON: x.s is a symbol');
    expect(refusal(() => toJsonOutputs({ x: new DataView(new ArrayBuffer(2)) }))).toBe('output "x" is not JSON: x is a DataView (return a typed array or an array of numbers)');
    expect(refusal(() => toJsonOutputs({ x: new Date(Number.NaN) }))).toBe('output "x" is not JSON: x is an invalid Date');
    expect(refusal(() => toJsonOutputs({ x: new Map([[{}, 1]]) }))).toBe('output "x" is not JSON: x has a key that is not a string or a finite number');
    expect(refusal(() => toJsonOutputs({ x: new BigInt64Array([2n ** 62n]) }))).toMatch(/x\[0\] is an integer beyond ±2\^53/);
    expect(refusal(() => toJsonOutputs({ x: [new Error('e')] }))).toBe('output "x" is not JSON: x[0] is a Error (a class instance; copy the fields you need into a plain object)');
  });

  it('keeps shared (not cyclic) references, and refuses a result that is no object', () => {
    const shared = { a: 1 };
    expect(toJsonOutputs({ x: [shared, shared] })).toEqual({ x: [{ a: 1 }, { a: 1 }] });
    expect(() => toJsonOutputs(null)).toThrow('execute(inputs) must return an object keyed by output names, got null');
    expect(() => toJsonOutputs(new Uint8Array(1), 'a three.js skill')).toThrow('a three.js skill must return an object keyed by output names, got a Uint8Array');
  });
});

describe('EXEC-2, EXEC-3: declared outputs and their types', () => {
  it('keeps declared outputs, notes undeclared ones, refuses missing ones and wrong types', () => {
    const declared = [
      { name: 'n', type: 'integer' },
      { name: 'a', type: 'any' },
    ];
    expect(checkOutputs(declared, { n: 2, a: null })).toEqual({ outputs: { n: 2, a: null }, note: '' });
    expect(checkOutputs(declared, { n: 2, a: 1, extra: 3 })).toEqual({
      outputs: { n: 2, a: 1 },
      note: 'note: output "extra" is not declared and was left out; declare it in the skill\'s outputs to use it\n',
    });
    expect(() => checkOutputs(declared, {})).toThrow('the skill returned no "n", "a" (declared in its outputs); it returned nothing');
    expect(() => checkOutputs(declared, { n: null, a: 1 })).toThrow('output "n" is declared integer, but the skill returned null');
    expect(() => checkOutputs([{ name: 's', type: 'number' }], { s: 'x'.repeat(50) })).toThrow(`output "s" is declared number, but the skill returned a string ("${'x'.repeat(40)}…")`);
  });

  it('fits values to port types', () => {
    expect([fitsPortType(1, 'number'), fitsPortType(1.5, 'integer'), fitsPortType([], 'object'), fitsPortType(null, 'object'), fitsPortType({}, 'object'), fitsPortType('1', 'any')]).toEqual([true, false, false, false, true, true]);
  });
});

describe('EXEC-4: stdout', () => {
  it('formats console arguments the same in every JavaScript runtime', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(formatConsoleLine(['x', 1, null, undefined, 2n, new TypeError('t'), [NaN], new Map([['k', 1]]), new Float32Array([0.5]), cyclic, function named() {}])).toBe(
      'x 1 null undefined 2n TypeError: t ["NaN"] {"k":1} [0.5] {"a":1,"self":"[Circular]"} [Function named]\n',
    );
  });

  it('keeps 1 MiB of output, then says it cut the rest; streams in batches', () => {
    const posted: string[] = [];
    const out = new Stdout((t) => posted.push(t));
    out.write('a');
    out.write('x'.repeat(MAX_STDOUT));
    out.write('never');
    out.flush();
    expect(out.all.length).toBe(MAX_STDOUT + `\n[output truncated after ${MAX_STDOUT} characters]\n`.length);
    expect(out.all.endsWith(`\n[output truncated after ${MAX_STDOUT} characters]\n`)).toBe(true);
    expect(posted.join('')).toBe(out.all);
  });
});

describe('EXEC-5: ngspice vectors', () => {
  const vectors = [
    { name: 'v(out)', values: [{ real: 1, img: -2 }] },
    { name: 'frequency', values: [{ real: 100, img: 0 }] },
    { name: 'v(in)', values: new Float64Array([1, 2]) },
  ];
  it('reads vectors by name or identifier form; complex values are {re, im}', () => {
    expect(outputsFromVectors([{ name: 'V(OUT)', type: 'array' }, { name: 'frequency', type: 'any' }, { name: 'v_in', type: 'array' }], vectors)).toEqual({
      'V(OUT)': [{ re: 1, im: -2 }],
      frequency: [{ re: 100, im: 0 }],
      v_in: [1, 2],
    });
  });
  it('refuses a type no vector fits', () => {
    expect(() => outputsFromVectors([{ name: 'v(in)', type: 'string' }], vectors)).toThrow('output "v(in)" is declared string, but an ngspice output is a vector: declare it number (one value, after .op) or array');
  });
  it('tells notes from errors in ngspice messages, pointing errors at the skill file', () => {
    const skill = { file: 'user/c.md', codeLine: 20 };
    expect(ngspiceMessages(['Note: v1 has no value', ''], skill)).toEqual({ stdout: 'Note: v1 has no value\n' });
    const { failure } = ngspiceMessages(['Error on line no. 3 from file x.cir'], skill);
    expect(failure?.message).toBe('ngspice rejected the netlist:\nError on line 22 of user/c.md');
  });
});

describe('EXEC-6: the Three.js scene', () => {
  it('has the same background and camera wherever it is made', () => {
    const { scene, camera } = createScene(THREE, 2);
    expect((scene.background as THREE.Color).getHex()).toBe(SCENE_DEFAULTS.background);
    expect([camera.fov, camera.near, camera.far, camera.aspect]).toEqual([60, 0.1, 1000, 2]);
  });
});
