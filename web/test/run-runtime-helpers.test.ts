// The pure parts of the browser runtimes: ngspice vectors to outputs, the skill sandbox's
// blocked globals, error locations and output conversion.
import { describe, expect, it } from 'vitest';
import { MissingVectorError, outputsFromVectors } from '../src/runtimes/ngspice-outputs';
import { toJsonOutputs } from '../src/runtimes/protocol';
import { captureConsole, describeSkillError, lockDownGlobals, SandboxError } from '../src/runtimes/sandbox';

describe('ngspice outputs', () => {
  const ports = [
    { name: 'v_out', type: 'number' },
    { name: 'i_v1', type: 'array' },
    { name: 'time', type: 'array' },
  ];
  it('a number output takes the operating point (the last value); an array the whole vector', () => {
    const out = outputsFromVectors(ports, [
      { name: 'v(out)', values: [2.5] },
      { name: 'i(v1)', values: [-0.001, -0.002] },
      { name: 'time', values: [0, 1] },
    ]);
    expect(out).toEqual({ v_out: 2.5, i_v1: [-0.001, -0.002], time: [0, 1] });
  });
  it('complex values (AC analysis) come out as {re, im}', () => {
    expect(outputsFromVectors([{ name: 'v_out', type: 'array' }], [{ name: 'v(out)', values: [{ real: 1, img: -2 }] }])).toEqual({ v_out: [{ re: 1, im: -2 }] });
  });
  it('a missing vector is an error naming it and the vectors there are', () => {
    expect(() => outputsFromVectors(ports, [{ name: 'v(in)', values: [1] }])).toThrow(MissingVectorError);
    expect(() => outputsFromVectors(ports, [{ name: 'v(in)', values: [1] }])).toThrow(/v_out \(vector v\(out\)\).*vectors: v\(in\)/);
  });
});

describe('skill sandbox', () => {
  it('replaces network and storage globals with ones that fail saying why, for good', () => {
    const scope = { fetch: () => 'real', indexedDB: {}, XMLHttpRequest: class {} } as unknown as typeof globalThis;
    lockDownGlobals(scope);
    const s = scope as unknown as Record<string, unknown>;
    expect(() => (s.fetch as () => void)()).toThrow(SandboxError);
    expect(() => (s.fetch as () => void)()).toThrow('fetch is not available: skills run without network access');
    expect(() => new (s.XMLHttpRequest as new () => unknown)()).toThrow(/XMLHttpRequest is not available/);
    expect(() => (s.indexedDB as { open(): void }).open()).toThrow(/indexedDB is not available: skills run without this app's stored data/);
    expect(typeof s.fetch).toBe('function');
    expect(() => {
      'use strict';
      s.fetch = () => 'back';
    }).toThrow(TypeError);
    expect(() => delete s.fetch).toThrow(TypeError);
  });

  it('captures console output as stdout lines', () => {
    const saved = { ...console };
    const out: string[] = [];
    try {
      captureConsole((t) => out.push(t));
      console.log('a', 1, { b: 2 });
      console.warn('careful');
    } finally {
      Object.assign(console, saved);
    }
    expect(out).toEqual(['a 1 {"b":2}\n', 'warn: careful\n']);
  });

  it('points an error at the skill file line of the code that threw', () => {
    let error: unknown;
    try {
      new Function('const a = 1;\nnull.x;')();
    } catch (e) {
      error = e;
    }
    // Line 2 of the code block, which starts at line 40 of the file.
    expect(describeSkillError(error, 'skills/x.md', 40)).toMatch(/^TypeError: .* \(skills\/x\.md, line 41\)$/);
    expect(describeSkillError('plain', 'skills/x.md', 40)).toBe('Error: plain');
  });
});

describe('outputs', () => {
  it('are plain JSON objects', () => {
    expect(toJsonOutputs({ a: 1, f: () => 1, n: 10n as unknown as number })).toEqual({ a: 1, n: 10 });
    expect(() => toJsonOutputs([1])).toThrow(/must return an object keyed by output names, got an array/);
    expect(() => toJsonOutputs(undefined)).toThrow(/got undefined/);
  });
});
