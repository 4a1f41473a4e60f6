/*
 * Runs every system skill for real in Node and checks the numbers it produces.
 *
 * Python, JavaScript and ngspice skills run in the headless runtimes (sync-server/src/headless)
 * through the shared executor, so they follow the runtime contract (shared/src/execution/SPEC.md):
 * defaults applied, outputs converted to JSON and checked against their declared types, ngspice
 * outputs read from the vectors they name. Three.js skills are run in this process with the shared
 * scene and camera (`createScene`) and the headless renderer, so a test can look into the scene and
 * step the animation loop; their results go through the same JSON conversion and output checks.
 */
import { readFileSync } from 'node:fs';
import * as THREE from 'three';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toJsonOutputs } from '../../../shared/src/execution/json-outputs';
import { checkOutputs } from '../../../shared/src/execution/output-contract';
import { isSceneHandoff, passSceneOn, receiveScene } from '../../../shared/src/execution/scene-handoff';
import { createScene } from '../../../shared/src/execution/threejs-scene';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import { formatSkillError, parseSkill, type Skill } from '../../../shared/src/skill/parse';
import { renderNetlist } from '../../../shared/src/skill/ngspice';
import { runCase } from '../../../shared/test/conformance/run-case';
import { heatReference, matmulA, matmulB, matmulReference, nbodyReference, relativeError } from '../../../shared/test/gpu-references';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { RecordingRenderer } from '../../src/headless/threejs-stage';

type Outputs = Record<string, unknown>;

const timings: Record<string, number[]> = {};
const runtimes = nodeRuntimes({ javascriptWorkers: 2 });

function loadSkill(id: string): ResolvedSkill {
  const file = `${id}.md`;
  const source = readFileSync(new URL(`../../../skills/${file}`, import.meta.url), 'utf8');
  const parsed = parseSkill(source, `skills/${file}`);
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return { skill: parsed.value, source };
}

async function timed<T>(label: string, run: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    timings[label] = [...(timings[label] ?? []), Math.round(performance.now() - start)];
  }
}

beforeAll(async () => {
  await timed('runtimes start', () => runtimes.warm(['python', 'javascript', 'ngspice']));
});

afterAll(async () => {
  await runtimes.close();
  console.info('system skill run times (ms):', JSON.stringify(timings));
});

/**
 * Runs a system skill in its headless runtime; resolves to its outputs (exactly the declared
 * ones: nothing was left out) or rejects with the node's error.
 */
async function runSkill(id: string, inputs: Record<string, unknown> = {}): Promise<Outputs> {
  const { skill, source } = loadSkill(id);
  const state = await timed(id, () => runCase({ id, skill: source, inputs: inputs as Record<string, Json> }, runtimes));
  if (state.status !== 'done') throw new Error(state.error);
  expect(state.stdout).not.toMatch(/not declared and w(as|ere) left out/);
  expect(Object.keys(state.outputs ?? {}).sort()).toEqual(skill.frontmatter.outputs.map((p) => p.name).sort());
  return state.outputs as Outputs;
}

const runPython = runSkill;
const runJavaScript = runSkill;

interface Stage {
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  renderer: RecordingRenderer;
  /** What each `render` call drew. */
  frames: Array<{ scene: THREE.Object3D; camera: THREE.Camera }>;
}

function newStage(): Stage {
  const renderer = new RecordingRenderer();
  const frames: Stage['frames'] = [];
  const render = renderer.render.bind(renderer);
  renderer.render = (scene, camera) => {
    frames.push({ scene, camera });
    render(scene, camera);
  };
  return { ...createScene(THREE), renderer, frames };
}

const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<unknown>;

/** The inputs a node would get: the given ones over the skill's defaults. */
const withDefaults = (skill: Skill, inputs: Record<string, unknown>) => ({
  ...Object.fromEntries(skill.frontmatter.inputs.filter((p) => p.default !== undefined).map((p) => [p.name, structuredClone(p.default)])),
  ...inputs,
});

async function runThree(id: string, stage: Stage, inputs: Record<string, unknown> = {}): Promise<Outputs> {
  const { skill } = loadSkill(id);
  return timed(id, async () => {
    const body = new AsyncFunction('THREE', 'scene', 'camera', 'renderer', 'inputs', skill.code);
    const given = withDefaults(skill, inputs);
    receiveScene(THREE, stage, given as Record<string, Json>);
    const result = await body(THREE, stage.scene, stage.camera, stage.renderer, given);
    const converted = toJsonOutputs(result ?? {}, 'a three.js skill');
    passSceneOn(converted, skill.frontmatter.outputs, stage);
    const { outputs, note } = checkOutputs(skill.frontmatter.outputs, converted);
    expect(note).toBe('');
    return outputs;
  });
}

async function runSpice(id: string, inputs: Record<string, unknown> = {}): Promise<{ out: Outputs; netlist: string }> {
  const { skill } = loadSkill(id);
  const out = await runSkill(id, inputs);
  return { out, netlist: renderNetlist(skill.code, withDefaults(skill, inputs)) };
}

// ---------------------------------------------------------------------------------------------------

interface Term {
  pauli: string;
  coeff: number;
}
interface Hamiltonian {
  num_qubits: number;
  terms: Term[];
  nuclear_repulsion: number;
  bond_length: number;
  hartree_fock_energy: number;
  exact_energy: number;
}

/** The real matrix of Σ coeff·P on two qubits (qubit 0 = the top bit of the index); fails on imaginary parts. */
function matrixOf(terms: Term[]): number[][] {
  // Pauli matrices as [re, im] entries.
  const P: Record<string, [number, number][][]> = {
    I: [[[1, 0], [0, 0]], [[0, 0], [1, 0]]],
    X: [[[0, 0], [1, 0]], [[1, 0], [0, 0]]],
    Y: [[[0, 0], [0, -1]], [[0, 1], [0, 0]]],
    Z: [[[1, 0], [0, 0]], [[0, 0], [-1, 0]]],
  };
  const re = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  const im = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  for (const { pauli, coeff } of terms) {
    const [a, b] = [P[pauli[0]!]!, P[pauli[1]!]!];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const [ar, ai] = a[i >> 1]![j >> 1]!;
        const [br, bi] = b[i & 1]![j & 1]!;
        re[i]![j]! += coeff * (ar * br - ai * bi);
        im[i]![j]! += coeff * (ar * bi + ai * br);
      }
    }
  }
  expect(Math.max(...im.flat().map(Math.abs))).toBeLessThan(1e-12);
  return re;
}

/** All eigenvalues of a real symmetric matrix, ascending (cyclic Jacobi). */
function eigenvalues(matrix: number[][]): number[] {
  const a = matrix.map((row) => row.slice());
  const n = a.length;
  const at = (i: number, j: number) => a[i]![j]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) off += at(i, j) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (at(p, q) === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * at(p, q));
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const [arp, arq] = [at(r, p), at(r, q)];
          a[r]![p] = c * arp - s * arq;
          a[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const [apr, aqr] = [at(p, r), at(q, r)];
          a[p]![r] = c * apr - s * aqr;
          a[q]![r] = s * apr + c * aqr;
        }
      }
    }
  }
  return a.map((_, i) => at(i, i)).sort((x, y) => x - y);
}

describe('quantum-hamiltonian (Pyodide)', () => {
  it('builds the STO-3G H2 Hamiltonian at 0.735 Å: exact −1.13731 Ha and Hartree–Fock −1.11700 Ha', async () => {
    const out = await runPython('quantum-hamiltonian');
    const h = out.hamiltonian as Hamiltonian;
    expect(h.num_qubits).toBe(2);
    expect(h.bond_length).toBe(0.735);
    expect(h.terms.every((t) => /^[IXYZ]{2}$/.test(t.pauli) && Number.isFinite(t.coeff))).toBe(true);
    // 1/R in hartree with R = 0.735 Å in bohr.
    expect(h.nuclear_repulsion).toBeCloseTo(0.529177210903 / 0.735, 10);

    const spectrum = eigenvalues(matrixOf(h.terms)).map((e) => e + h.nuclear_repulsion);
    console.info('H2 @ 0.735 Å: spectrum incl. nuclear repulsion', spectrum, 'HF', out.hartree_fock_energy);
    expect(Math.abs(spectrum[0]! - -1.13731)).toBeLessThan(1e-4);
    expect(Math.abs((out.hartree_fock_energy as number) - -1.117)).toBeLessThan(1e-4);
    expect(h.hartree_fock_energy).toBe(out.hartree_fock_energy);
    expect(out.exact_energy as number).toBeCloseTo(spectrum[0]!, 9);
    expect(h.exact_energy).toBe(out.exact_energy);
    // |00> is the Hartree–Fock determinant: its energy is the HF energy.
    expect(matrixOf(h.terms)[0]![0]! + h.nuclear_repulsion).toBeCloseTo(out.hartree_fock_energy as number, 9);
    // The parity-reduced form: II, IZ, ZI, ZZ and XX, with the well-known magnitudes.
    const coeff = Object.fromEntries(h.terms.map((t) => [t.pauli, t.coeff]));
    expect(Object.keys(coeff).sort()).toEqual(['II', 'IZ', 'XX', 'ZI', 'ZZ']);
    expect(coeff.II).toBeCloseTo(-1.052373, 5);
    expect(Math.abs(coeff.IZ!)).toBeCloseTo(0.397937, 5);
    expect(Math.abs(coeff.ZI!)).toBeCloseTo(0.397937, 5);
    expect(Math.abs(coeff.ZZ!)).toBeCloseTo(0.011280, 5);
    expect(Math.abs(coeff.XX!)).toBeCloseTo(0.180931, 5);
  });

  it('dissociates correctly: at 10 Å the exact energy is two STO-3G hydrogen atoms, and Hartree–Fock fails', async () => {
    const out = await runPython('quantum-hamiltonian', { bond_length: 10 });
    const h = out.hamiltonian as Hamiltonian;
    const exact = eigenvalues(matrixOf(h.terms))[0]! + h.nuclear_repulsion;
    // E(H, STO-3G) = −0.466582 Ha.
    expect(exact).toBeCloseTo(2 * -0.466582, 4);
    expect(out.hartree_fock_energy as number).toBeGreaterThan(exact + 0.3);
  });

  it('rejects a bond length out of range with a clear error', async () => {
    await expect(runPython('quantum-hamiltonian', { bond_length: 0 })).rejects.toThrow(
      /ValueError: bond_length must be between 0.1 and 10 angstrom, got 0.0/,
    );
  });
});

describe('quantum-vqe (Pyodide)', () => {
  let hamiltonian: Hamiltonian;
  beforeAll(async () => {
    hamiltonian = (await runPython('quantum-hamiltonian')).hamiltonian as Hamiltonian;
  });

  it('finds the H2 ground-state energy within 1e-3 of the exact value, deterministically', async () => {
    const out = await runPython('quantum-vqe', { hamiltonian });
    const exact = eigenvalues(matrixOf(hamiltonian.terms))[0]! + hamiltonian.nuclear_repulsion;
    const trace = out.convergence_trace as number[];
    console.info('VQE: eigenvalue', out.eigenvalue, 'exact', exact, 'iterations', out.iterations, 'converged', out.converged);
    expect(Math.abs((out.eigenvalue as number) - exact)).toBeLessThan(1e-3);
    expect(out.eigenvalue as number).toBeGreaterThanOrEqual(exact - 1e-9); // variational: never below the exact energy
    expect(out.iterations as number).toBeGreaterThan(10);
    expect(out.iterations as number).toBeLessThanOrEqual(300);
    expect(trace).toHaveLength(out.iterations as number);
    // The best energy never gets worse, starts near Hartree–Fock (the zero-angle state) and ends at the eigenvalue.
    for (let i = 1; i < trace.length; i++) expect(trace[i]!).toBeLessThanOrEqual(trace[i - 1]!);
    expect(trace[0]!).toBeLessThanOrEqual(hamiltonian.hartree_fock_energy + 1e-12);
    expect(trace.at(-1)).toBe(out.eigenvalue);
    expect(out.optimal_parameters).toHaveLength(4);

    const again = await runPython('quantum-vqe', { hamiltonian });
    expect(again).toEqual(out);
  });

  it('stops at max_iterations and takes initial parameters', async () => {
    const out = await runPython('quantum-vqe', { hamiltonian, max_iterations: 5, initial_parameters: [0.1, 0, 0, 0] });
    expect(out.iterations).toBe(5);
    expect(out.converged).toBe(false);
    expect(out.convergence_trace).toHaveLength(5);
    await expect(runPython('quantum-vqe', { hamiltonian, initial_parameters: [1, 2] })).rejects.toThrow(
      /ValueError: initial_parameters must be an array of 4 numbers/,
    );
  });

  it('solves a one-qubit Hamiltonian: X + Z has eigenvalue −√2', async () => {
    const out = await runPython('quantum-vqe', {
      hamiltonian: { num_qubits: 1, terms: [{ pauli: 'X', coeff: 1 }, { pauli: 'Z', coeff: 1 }] },
    });
    expect(out.eigenvalue as number).toBeCloseTo(-Math.SQRT2, 6);
  });
});

describe('quantum-circuit (Pyodide)', () => {
  it('prepares the Bell state by default: probabilities 0.5 / 0.5, amplitudes 1/√2', async () => {
    const out = await runPython('quantum-circuit');
    const probabilities = out.probabilities as Record<string, number>;
    expect(Object.keys(probabilities).sort()).toEqual(['00', '11']);
    expect(probabilities['00']).toBeCloseTo(0.5, 12);
    expect(probabilities['11']).toBeCloseTo(0.5, 12);
    const sv = out.statevector as [number, number][];
    expect(sv).toHaveLength(4);
    expect(sv.map(([re]) => re)).toEqual([Math.SQRT1_2, 0, 0, Math.SQRT1_2].map((x) => expect.closeTo(x, 12)));
    expect(sv.every(([, im]) => Math.abs(im) < 1e-12)).toBe(true);
    expect(out.counts).toEqual({});
    const circuit = out.circuit as { diagram: string; gates: unknown[]; depth: number };
    expect(circuit.gates).toEqual([
      { gate: 'h', qubits: [0] },
      { gate: 'cx', qubits: [0, 1] },
    ]);
    expect(circuit.depth).toBe(2);
    expect(circuit.diagram.split('\n')).toHaveLength(2);
    expect(circuit.diagram).toMatch(/^q0: .*H.*●/);
    expect(circuit.diagram).toMatch(/\nq1: .*⊕/);
  });

  it('samples shots reproducibly with the seed', async () => {
    const out = await runPython('quantum-circuit', { shots: 1000, seed: 7 });
    const counts = out.counts as Record<string, number>;
    expect(Object.keys(counts).sort()).toEqual(['00', '11']);
    expect(counts['00']! + counts['11']!).toBe(1000);
    expect(Math.abs(counts['00']! - 500)).toBeLessThan(80);
    expect(await runPython('quantum-circuit', { shots: 1000, seed: 7 })).toEqual(out);
    const other = await runPython('quantum-circuit', { shots: 1000, seed: 8 });
    expect(other.counts).not.toEqual(counts);
  });

  it('applies rotations and phases: X then RY(π/2) on qubit 1, and S·S = Z', async () => {
    const out = await runPython('quantum-circuit', {
      num_qubits: 2,
      gates: [
        { gate: 'x', target: 0 },
        { gate: 'ry', qubits: [1], angle: Math.PI / 3 },
        { gate: 'h', qubits: [0] },
        { gate: 's', qubits: [0] },
        { gate: 's', qubits: [0] },
        { gate: 'h', qubits: [0] },
      ],
    });
    // H·Z·H = X undoes the first X, so qubit 0 is |0>; qubit 1 is cos(π/6)|0> + sin(π/6)|1>.
    const p = out.probabilities as Record<string, number>;
    expect(p['00']).toBeCloseTo(Math.cos(Math.PI / 6) ** 2, 12);
    expect(p['01']).toBeCloseTo(Math.sin(Math.PI / 6) ** 2, 12);
    expect(Object.keys(p).sort()).toEqual(['00', '01']);
  });

  it('gets complex phases right: T·H|0>, Y on a superposition, RZ and CZ', async () => {
    const sv = async (num_qubits: number, gates: unknown[]) =>
      (await runPython('quantum-circuit', { num_qubits, gates })).statevector as [number, number][];
    const h = Math.SQRT1_2;
    // T·H|0> = (|0> + e^{iπ/4}|1>)/√2
    expect((await sv(1, [{ gate: 'h', qubits: [0] }, { gate: 't', qubits: [0] }])).flat()).toEqual(
      [h, 0, 0.5, 0.5].map((x) => expect.closeTo(x, 12)),
    );
    // Y·H|0> = Y(|0> + |1>)/√2 = (−i|0> + i|1>)/√2
    expect((await sv(1, [{ gate: 'h', qubits: [0] }, { gate: 'y', qubits: [0] }])).flat()).toEqual(
      [0, -h, 0, h].map((x) => expect.closeTo(x, 12)),
    );
    // RZ(π/2)|0> = e^{−iπ/4}|0>
    expect((await sv(1, [{ gate: 'rz', qubits: [0], angle: Math.PI / 2 }])).flat()).toEqual(
      [h, -h, 0, 0].map((x) => expect.closeTo(x, 12)),
    );
    // CZ on |+>|1> flips the sign of |11>: qubit 0 is the top bit of the index.
    expect((await sv(2, [{ gate: 'h', qubits: [0] }, { gate: 'x', qubits: [1] }, { gate: 'cz', qubits: [0, 1] }])).flat()).toEqual(
      [0, 0, h, 0, 0, 0, -h, 0].map((x) => expect.closeTo(x, 12)),
    );
  });

  it('builds a 3-qubit GHZ state with controls/targets', async () => {
    const out = await runPython('quantum-circuit', {
      num_qubits: 3,
      gates: [
        { gate: 'h', qubits: [0] },
        { gate: 'cx', controls: [0], targets: [1] },
        { gate: 'cx', control: 1, target: 2 },
      ],
    });
    const p = out.probabilities as Record<string, number>;
    expect(Object.keys(p).sort()).toEqual(['000', '111']);
    expect(p['111']).toBeCloseTo(0.5, 12);
  });

  it('names a bad gate and its index, and limits the number of qubits', async () => {
    await expect(
      runPython('quantum-circuit', { gates: [{ gate: 'h', qubits: [0] }, { gate: 'toffoli', qubits: [0, 1] }] }),
    ).rejects.toThrow(/ValueError: gate 1: unknown gate 'toffoli'/);
    await expect(runPython('quantum-circuit', { gates: [{ gate: 'rx', qubits: [0] }] })).rejects.toThrow(
      /ValueError: gate 0 \(rx\): needs a numeric angle/,
    );
    await expect(runPython('quantum-circuit', { gates: [{ gate: 'x', qubits: [2] }] })).rejects.toThrow(
      /ValueError: gate 0: qubit 2 is out of range/,
    );
    await expect(runPython('quantum-circuit', { num_qubits: 11, gates: [] })).rejects.toThrow(
      /ValueError: num_qubits must be an integer from 1 to 10, got 11/,
    );
  });
});

describe('plot-convergence (JavaScript)', () => {
  it('draws a line chart spec and a self-contained SVG', async () => {
    const trace = [-1.05, -1.1, -1.12, -1.135, -1.137];
    const out = await runJavaScript('plot-convergence', { convergence_trace: trace, reference: -1.13731, title: 'H2 <VQE>' });
    expect(out.final_value).toBe(-1.137);
    expect(out.min_value).toBe(-1.137);
    expect(out.iterations).toBe(5);
    expect(out.chart).toEqual({
      type: 'line',
      title: 'H2 <VQE>',
      x_label: 'Iteration',
      y_label: 'Value',
      x: [1, 2, 3, 4, 5],
      y: trace,
      reference: -1.13731,
    });
    const svg = out.svg as string;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 640 400"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('H2 &lt;VQE&gt;'); // the title is escaped
    const points = /<polyline[^>]*points="([^"]+)"/.exec(svg)?.[1]?.split(' ') ?? [];
    expect(points).toHaveLength(5);
    // Lower energies are drawn lower: y grows downwards in SVG.
    const ys = points.map((p) => Number(p.split(',')[1]));
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThan(ys[i - 1]!);
    expect(svg).toContain('stroke-dasharray'); // the reference line
    expect(svg).toMatch(/>-1\.1[0-4]</); // y tick labels: a nice step of 0.02
    expect(svg).toMatch(/>Iteration</);
    // Every tag is closed: the SVG is well formed enough for a browser or a file viewer.
    expect((svg.match(/<(?!\/)[a-z]+[^>]*[^/]>/g) ?? []).length).toBe((svg.match(/<\/[a-z]+>/g) ?? []).length);
  });

  it('handles one point and a constant trace without a reference', async () => {
    const out = await runJavaScript('plot-convergence', { convergence_trace: [2, 2, 2] });
    expect(out.chart).not.toHaveProperty('reference');
    expect(out.svg as string).not.toContain('NaN');
    const one = await runJavaScript('plot-convergence', { convergence_trace: [3.5] });
    expect(one.iterations).toBe(1);
    expect(one.svg as string).not.toContain('NaN');
  });

  it('rejects non-numeric entries, naming the index', async () => {
    await expect(runJavaScript('plot-convergence', { convergence_trace: [1, '2', 3] })).rejects.toThrow(
      'convergence_trace[1] is "2", not a finite number',
    );
    await expect(runJavaScript('plot-convergence', { convergence_trace: [1, null] })).rejects.toThrow(
      'convergence_trace[1] is null, not a finite number',
    );
    await expect(runJavaScript('plot-convergence', { convergence_trace: [] })).rejects.toThrow(/empty/);
  });
});

describe('export-results (JavaScript)', () => {
  it('exports JSON by default', async () => {
    const out = await runJavaScript('export-results', { data: { energy: -1.137, ok: true } });
    expect(out).toEqual({
      content: '{\n  "energy": -1.137,\n  "ok": true\n}\n',
      filename: 'results.json',
      mime_type: 'application/json',
    });
  });

  it('exports an array of objects as CSV with the union of keys and RFC 4180 quoting', async () => {
    const out = await runJavaScript('export-results', {
      format: 'csv',
      filename: 'runs',
      data: [
        { name: 'a, b', value: 1 },
        { name: 'say "hi"', extra: 'two\nlines' },
        { value: null, nested: { x: 1 } },
      ],
    });
    expect(out.filename).toBe('runs.csv');
    expect(out.mime_type).toBe('text/csv');
    expect(out.content).toBe(
      'name,value,extra,nested\r\n' +
        '"a, b",1,,\r\n' +
        '"say ""hi""",,"two\nlines",\r\n' +
        ',,,"{""x"":1}"\r\n',
    );
  });

  it('exports columns, flat objects and plain arrays as CSV', async () => {
    const csv = async (data: unknown) => (await runJavaScript('export-results', { data, format: 'CSV' })).content;
    expect(await csv({ x: [1, 2], y: [3, 4] })).toBe('x,y\r\n1,3\r\n2,4\r\n');
    expect(await csv({ eigenvalue: -1.137, iterations: 135 })).toBe('key,value\r\neigenvalue,-1.137\r\niterations,135\r\n');
    expect(await csv([0.5, 'a,b'])).toBe('value\r\n0.5\r\n"a,b"\r\n');
    expect(await csv([[1, 2], [3, 4]])).toBe('1,2\r\n3,4\r\n');
    expect(await csv(['carriage\rreturn', true, null])).toBe('value\r\n"carriage\rreturn"\r\ntrue\r\n\r\n');
    await expect(csv({ x: [1, 2], y: [3] })).rejects.toThrow(/different lengths \(x: 2, y: 1\)/);
  });

  it('keeps an extension already there, and rejects an unsupported format', async () => {
    const out = await runJavaScript('export-results', { data: [], filename: 'a/b.json' });
    expect(out.filename).toBe('a_b.json');
    await expect(runJavaScript('export-results', { data: 1, format: 'xml' })).rejects.toThrow(
      'Unsupported export format "xml": use "json" or "csv"',
    );
  });
});

describe('threejs-cube (three.js)', () => {
  it('adds a lit cube, aims the camera at it and renders once', async () => {
    const stage = newStage();
    const out = await runThree('threejs-cube', stage, { size: 2, color: '#ff8800' });
    const cube = stage.scene.getObjectByProperty('uuid', out.mesh_id) as THREE.Mesh<THREE.BoxGeometry, THREE.MeshStandardMaterial>;
    expect(cube).toBeInstanceOf(THREE.Mesh);
    expect(cube.name).toBe('cube');
    expect(cube.geometry.parameters).toMatchObject({ width: 2, height: 2, depth: 2 });
    expect(cube.material.color.getHexString()).toBe('ff8800');
    expect(out.triangle_count).toBe(12);
    expect(stage.scene.children.some((o) => o instanceof THREE.DirectionalLight)).toBe(true);
    expect(stage.frames).toHaveLength(1);
    expect(stage.frames[0]).toEqual({ scene: stage.scene, camera: stage.camera });
    // The camera looks at the cube: the origin is in front of it, inside the view frustum.
    stage.camera.updateMatrixWorld();
    const frustum = new THREE.Frustum().setFromProjectionMatrix(
      new THREE.Matrix4().multiplyMatrices(stage.camera.projectionMatrix, stage.camera.matrixWorldInverse),
    );
    expect(frustum.intersectsObject(cube)).toBe(true);
    expect(stage.camera.position.length()).toBeGreaterThan(2);
  });

  it('uses its defaults and rejects a colour three.js cannot read', async () => {
    const stage = newStage();
    const out = await runThree('threejs-cube', stage);
    const cube = stage.scene.getObjectByName('cube') as THREE.Mesh<THREE.BoxGeometry, THREE.MeshStandardMaterial>;
    expect(cube.uuid).toBe(out.mesh_id);
    expect(cube.geometry.parameters.width).toBe(1);
    expect(cube.material.color.getHexString()).toBe('44aa88');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await expect(runThree('threejs-cube', newStage(), { color: 'no-such-colour' })).rejects.toThrow(
        /color "no-such-colour" is not a colour/,
      );
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('Unknown color no-such-colour'));
    } finally {
      warn.mockRestore();
    }
    await expect(runThree('threejs-cube', newStage(), { size: -1 })).rejects.toThrow(/size must be a positive number/);
  });
});

describe('threejs-animation (three.js)', () => {
  it('rotates every mesh at `speed` rad/s and renders each frame', async () => {
    const stage = newStage();
    await runThree('threejs-cube', stage);
    const extra = new THREE.Mesh(new THREE.SphereGeometry(0.3), new THREE.MeshBasicMaterial());
    stage.scene.add(extra);
    const cube = stage.scene.getObjectByName('cube')!;
    const start = { cube: cube.rotation.y, extra: extra.rotation.y };
    const rendersBefore = stage.frames.length;

    const out = await runThree('threejs-animation', stage, { speed: 2 });
    expect(out.animated_objects).toBe(2);
    const loop = stage.renderer.animationLoop;
    expect(loop).toBeTypeOf('function');
    for (const t of [1000, 1016, 1032, 1048, 1064]) loop!(t);
    expect(stage.frames.length - rendersBefore).toBe(5);
    // 64 ms at 2 rad/s.
    expect(cube.rotation.y - start.cube).toBeCloseTo(0.128, 9);
    expect(extra.rotation.y - start.extra).toBeCloseTo(0.128, 9);
    expect(extra.rotation.x).toBeCloseTo(0.128, 9);
    loop!(1080);
    expect(extra.rotation.y).toBeCloseTo(0.16, 9); // it keeps advancing
  });

  it('EXEC-12: spins the cube Cube Renderer built when its scene input is connected to the cube\'s scene output', async () => {
    const built = await runThree('threejs-cube', newStage(), { color: '#ff8800' });
    const stage = newStage();
    const out = await runThree('threejs-animation', stage, { scene: built.scene, speed: 1 });
    expect(out.animated_objects).toBe(1);
    const cube = stage.scene.getObjectByName('cube') as THREE.Mesh<THREE.BoxGeometry, THREE.MeshStandardMaterial>;
    expect(cube.material.color.getHexString()).toBe('ff8800');
    expect(stage.scene.getObjectByName('default-torus-knot')).toBeUndefined();
    expect(stage.camera.position.toArray()).toEqual([1.6, 1.2, 2.4].map((v) => expect.closeTo(v, 9)));
    const before = cube.rotation.y;
    stage.renderer.animationLoop!(0);
    stage.renderer.animationLoop!(50);
    expect(cube.rotation.y - before).toBeCloseTo(0.05, 9);
  });

  it('adds a default object to an empty scene so it shows something', async () => {
    const stage = newStage();
    const out = await runThree('threejs-animation', stage);
    expect(out.animated_objects).toBe(1);
    const meshes: THREE.Mesh[] = [];
    stage.scene.traverse((o) => {
      if (o instanceof THREE.Mesh) meshes.push(o);
    });
    expect(meshes).toHaveLength(1);
    expect(stage.camera.position.z).toBe(5);
    stage.renderer.animationLoop!(0);
    stage.renderer.animationLoop!(500);
    expect(meshes[0]!.rotation.y).toBeCloseTo(0.1, 9); // a long gap counts as 0.1 s at the default 1 rad/s
    expect(stage.frames).toHaveLength(2);
  });
});

describe('sample-weather-data (JavaScript)', () => {
  it('gives cities × days rows by date then city, the same for the same seed and others for another', async () => {
    const out = await runJavaScript('sample-weather-data', { cities: ['Oslo', 'Atlantis'], days: 3, start_date: '2026-02-27' });
    const rows = out.rows as Array<Record<string, unknown>>;
    expect(out.row_count).toBe(6);
    expect(rows.map((r) => `${r.date} ${r.city}`)).toEqual([
      '2026-02-27 Oslo', '2026-02-27 Atlantis', '2026-02-28 Oslo', '2026-02-28 Atlantis', '2026-03-01 Oslo', '2026-03-01 Atlantis',
    ]);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(['date', 'city', 'temperature_c', 'rainfall_mm']);
      expect(Number.isInteger((r.temperature_c as number) * 10)).toBe(true);
      expect(r.rainfall_mm as number).toBeGreaterThanOrEqual(0);
    }
    expect((await runJavaScript('sample-weather-data', { cities: ['Oslo', 'Atlantis'], days: 3, start_date: '2026-02-27' })).rows).toEqual(rows);
    expect((await runJavaScript('sample-weather-data', { cities: ['Oslo', 'Atlantis'], days: 3, start_date: '2026-02-27', seed: 8 })).rows).not.toEqual(rows);
  });

  it('keeps each city near its climate, and refuses bad inputs saying what is wanted', async () => {
    const rows = (await runJavaScript('sample-weather-data', { cities: ['Oslo', 'Singapore'], days: 200 })).rows as Array<{ city: string; temperature_c: number }>;
    const mean = (city: string) => rows.filter((r) => r.city === city).reduce((s, r) => s + r.temperature_c, 0) / 200;
    expect(mean('Oslo')).toBeCloseTo(-3, 0);
    expect(mean('Singapore')).toBeCloseTo(26.5, 0);
    await expect(runJavaScript('sample-weather-data', { days: 0 })).rejects.toThrow('days must be an integer from 1 to 366, got 0');
    await expect(runJavaScript('sample-weather-data', { start_date: '1 Jan' })).rejects.toThrow('start_date must be a date as YYYY-MM-DD, got "1 Jan"');
    await expect(runJavaScript('sample-weather-data', { cities: [] })).rejects.toThrow('cities must be an array of 1 to 50 city names');
  });
});

describe('table-group-summary (JavaScript)', () => {
  const rows = [
    { city: 'A', t: 1 },
    { city: 'B', t: 10 },
    { city: 'A', t: 3 },
    { city: 'B', t: 'n/a' },
    { city: 'A', t: 5 },
    { t: 7 },
  ];

  it('summarizes each group: count, mean, min, max, sample standard deviation, total; skips non-numbers', async () => {
    const out = await runJavaScript('table-group-summary', { rows, value: 't' });
    expect(out.summary).toEqual([
      { city: 'B', count: 1, mean: 10, min: 10, max: 10, std: 0, total: 10 },
      { city: null, count: 1, mean: 7, min: 7, max: 7, std: 0, total: 7 },
      { city: 'A', count: 3, mean: 3, min: 1, max: 5, std: 2, total: 9 },
    ]);
    expect(out.groups).toBe(3);
    expect(out.skipped).toBe(1);
    const byGroup = await runJavaScript('table-group-summary', { rows: rows.slice(0, 3), value: 't', sort: 'group' });
    expect((byGroup.summary as Array<{ city: string }>).map((r) => r.city)).toEqual(['A', 'B']);
  });

  it('names the columns there are when the group column is not one of them', async () => {
    await expect(runJavaScript('table-group-summary', { rows, group_by: 'town', value: 't' })).rejects.toThrow(
      'no row has the column "town" to group by; the rows have "city", "t"',
    );
    await expect(runJavaScript('table-group-summary', { rows: [1, 2] })).rejects.toThrow('rows must be an array of objects');
    await expect(runJavaScript('table-group-summary', { rows, sort: 'size' })).rejects.toThrow('sort must be "mean_desc", "mean_asc" or "group", got "size"');
  });
});

describe('plot-bars (JavaScript)', () => {
  it('draws one bar per label, bitstrings in order, with the largest named', async () => {
    const out = await runJavaScript('plot-bars', { data: { '11': 0.25, '00': 0.75 }, title: 'Bell <pair>' });
    expect(out.labels).toEqual(['00', '11']);
    expect(out.values).toEqual([0.75, 0.25]);
    expect(out.top_label).toBe('00');
    const svg = out.svg as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<rect [^>]*fill="#2563eb"/g)).toHaveLength(2);
    expect(svg).toContain('Bell &lt;pair&gt;');
    expect((await runJavaScript('plot-bars', { data: { a: 1, b: 3 }, sort: 'value' })).labels).toEqual(['b', 'a']);
  });

  it('refuses negative or non-numeric values, naming the label', async () => {
    await expect(runJavaScript('plot-bars', { data: { x: -1 } })).rejects.toThrow('data["x"] is -1, not a finite number of at least 0');
    await expect(runJavaScript('plot-bars', { data: {} })).rejects.toThrow('data must have 1 to 64 entries, got 0');
  });
});

describe('spice-diode-iv (ngspice via eecircuit-engine)', () => {
  it("follows Shockley's law below the knee and names its sweep vector", async () => {
    const { out, netlist } = await runSpice('spice-diode-iv', { v_max: 0.5, v_step: 0.05 });
    expect(netlist).toContain('.dc V1 0 {vmax} {vstep}');
    const v = out['v(v-sweep)'] as number[];
    const i = out['i(vsense)'] as number[];
    expect(v).toHaveLength(11);
    expect(v.at(-1)).toBeCloseTo(0.5, 9);
    // At low current the series resistance does not matter: I = IS·(exp(V/(N·Vt)) − 1), Vt at 27 °C.
    const vt = (1.380649e-23 * 300.15) / 1.602176634e-19;
    for (const k of [4, 6, 8]) expect(i[k]! / (2.52e-9 * Math.expm1(v[k]! / (1.752 * vt)))).toBeCloseTo(1, 2);
  });
});

describe('spice-resistor (ngspice via eecircuit-engine)', () => {
  it('simulates the divider: v(out) = vin·r2/(r1+r2) across the sweep', async () => {
    const { out, netlist } = await runSpice('spice-resistor', { vin: 12, r1: 3300, r2: 4700 });
    expect(netlist).toContain('.param vin_v=12');
    expect(netlist).toContain('R1 in out 3300');
    expect(netlist).not.toContain('{{');
    const vOut = out.v_out as number[];
    const vIn = out.v_in as number[];
    const current = out.i_v1 as number[];
    expect(vIn).toHaveLength(11);
    expect(vIn[0]).toBeCloseTo(0, 12);
    expect(vIn.at(-1)).toBeCloseTo(12, 9);
    const ratio = 4700 / (3300 + 4700);
    expect(Math.abs(vOut.at(-1)! - 12 * ratio) / (12 * ratio)).toBeLessThan(1e-6);
    vIn.forEach((v, i) => {
      expect(Math.abs(vOut[i]! - v * ratio)).toBeLessThanOrEqual(1e-6 * Math.abs(v * ratio) + 1e-12);
      expect(current[i]!).toBeCloseTo(-v / 8000, 12);
    });
  });

  it('uses its defaults (5 V, 1 kΩ, 1 kΩ → 2.5 V) and handles vin = 0 and negative vin', async () => {
    expect((await runSpice('spice-resistor')).out.v_out).toEqual(expect.arrayContaining([expect.closeTo(2.5, 9)]));
    const defaults = (await runSpice('spice-resistor')).out.v_out as number[];
    expect(Math.abs(defaults.at(-1)! - 2.5) / 2.5).toBeLessThan(1e-6);
    expect((await runSpice('spice-resistor', { vin: 0 })).out.v_out).toEqual([0]);
    const negative = (await runSpice('spice-resistor', { vin: -9, r1: 2000, r2: 1000 })).out.v_out as number[];
    expect(Math.abs(negative.at(-1)! - -3) / 3).toBeLessThan(1e-6);
  });
});

describe('gpu-matmul (WebGPU; headless: its JavaScript fallback)', () => {
  it('with its defaults multiplies the generated 64×64 matrices, as the reference does', async () => {
    const { c } = await runSkill('gpu-matmul');
    expect((c as number[][]).length).toBe(64);
    expect(relativeError(c, matmulReference(matmulA(64), matmulB(64)))).toBeLessThan(1e-5);
  });

  it('multiplies given matrices (rows or flat) and names a matrix of the wrong size', async () => {
    const a = [[1, 2], [3, 4]];
    const b = [[5, 6], [7, 8]];
    expect((await runSkill('gpu-matmul', { a, b, n: 2 })).c).toEqual([[19, 22], [43, 50]]);
    expect((await runSkill('gpu-matmul', { a: a.flat(), b, n: 2 })).c).toEqual([[19, 22], [43, 50]]);
    await expect(runSkill('gpu-matmul', { a, b, n: 3 })).rejects.toThrow(/a has 4 numbers but n = 3 needs 9/);
  });
});

describe('gpu-heat (WebGPU; headless: its JavaScript fallback)', () => {
  const spot = { x: 0.35, y: 0.4, radius: 0.12, temperature: 100 };

  it('with its defaults spreads the hot spot over a 64×64 grid for 100 steps, as the reference does', async () => {
    const { field } = await runSkill('gpu-heat');
    const reference = heatReference({ size: 64, steps: 100, alpha: 0.2, spot });
    expect([(field as number[][]).length, (field as number[][])[0]!.length]).toEqual([64, 64]);
    expect(relativeError(field, reference)).toBeLessThan(1e-5);
    // Heat spreads and leaks out through the cold edges: the peak falls below the spot's temperature.
    expect(Math.max(...(field as number[][]).flat())).toBeLessThan(100);
    expect(Math.min(...(field as number[][]).flat())).toBeGreaterThanOrEqual(0);
  });

  it('adds the spot to a given starting field, and refuses an unstable alpha', async () => {
    const start = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => x + y));
    const inputs = { size: 8, steps: 5, alpha: 0.25, spot_x: 0.5, spot_y: 0.5, spot_radius: 0.2, spot_temperature: 10, start };
    const { field } = await runSkill('gpu-heat', inputs);
    expect(relativeError(field, heatReference({ size: 8, steps: 5, alpha: 0.25, spot: { x: 0.5, y: 0.5, radius: 0.2, temperature: 10 }, start }))).toBeLessThan(1e-12);
    await expect(runSkill('gpu-heat', { alpha: 0.3 })).rejects.toThrow(/alpha must be between 0 and 0.25/);
  });
});

describe('gpu-nbody (WebGPU; headless: its JavaScript fallback)', () => {
  it('with its defaults moves the generated 512-body disc 10 steps, as the reference does', async () => {
    const out = await runSkill('gpu-nbody');
    const reference = nbodyReference({ count: 512, steps: 10, dt: 0.005, softening: 0.05 });
    expect((out.positions as number[]).length).toBe(1536);
    expect(relativeError(out.positions, reference.positions)).toBeLessThan(1e-5);
    expect(relativeError(out.velocities, reference.velocities)).toBeLessThan(1e-5);
  });

  it('starts given positions at rest without velocities; all-zero positions are the generated disc', async () => {
    // Two bodies of mass 1/2 at x = ±0.5 pull each other in: one kick-drift step of dt.
    const dt = 0.1;
    const pull = 0.5 / (1 + 0.05 ** 2) ** 1.5;
    const two = await runSkill('gpu-nbody', { count: 2, steps: 1, dt, start_positions: [-0.5, 0, 0, 0.5, 0, 0] });
    expect(two.velocities).toEqual([pull * dt, 0, 0, -pull * dt, 0, 0].map((x) => expect.closeTo(x, 12)));
    expect(two.positions).toEqual([-0.5 + pull * dt * dt, 0, 0, 0.5 - pull * dt * dt, 0, 0].map((x) => expect.closeTo(x, 12)));
    const zeros = await runSkill('gpu-nbody', { count: 16, steps: 2, start_positions: new Array(48).fill(0) });
    expect(relativeError(zeros.positions, nbodyReference({ count: 16, steps: 2, dt: 0.005, softening: 0.05 }).positions)).toBeLessThan(1e-12);
  });

  it('names positions of the wrong length', async () => {
    await expect(runSkill('gpu-nbody', { count: 2, start_positions: [0, 0, 0, 1, 0] })).rejects.toThrow(/start_positions has 5 numbers but count = 2 needs 6/);
  });
});

describe('threejs-points (three.js)', () => {
  it('draws the given positions as one point cloud, coloured from white at the centre, and frames it', async () => {
    const stage = newStage();
    const positions = [0, 0, 0, 2, 0, 0, 0, 2, 0, -2, -2, 0];
    const out = await runThree('threejs-points', stage, { positions });
    expect(out.point_count).toBe(4);
    // The centre is the mean, (0, 0, 0); the farthest point is (-2, -2, 0).
    expect(out.radius).toBeCloseTo(2 * Math.SQRT2, 9);
    const cloud = stage.scene.getObjectByName('point-cloud') as THREE.Points;
    expect(cloud).toBeInstanceOf(THREE.Points);
    expect(Array.from(cloud.geometry.getAttribute('position').array)).toEqual(positions);
    expect(stage.frames).toHaveLength(1);
    expect(isSceneHandoff(out.scene as Json)).toBe(true);
  });

  it('with no positions draws its sample spiral; a length not a multiple of 3 or a non-number is named', async () => {
    expect((await runThree('threejs-points', newStage())).point_count).toBe(2000);
    await expect(runThree('threejs-points', newStage(), { positions: [1, 2, 3, 4] })).rejects.toThrow(/a multiple of 3 numbers\), got 4 numbers/);
    await expect(runThree('threejs-points', newStage(), { positions: [1, 2, 'x'] })).rejects.toThrow(/positions\[2\] is not a finite number/);
  });

  it('takes N-Body Step (GPU) positions as they come', async () => {
    const { positions } = await runSkill('gpu-nbody', { count: 64, steps: 2 });
    const out = await runThree('threejs-points', newStage(), { positions });
    expect(out.point_count).toBe(64);
  });
});

describe('chained: Hamiltonian → VQE → Plot Convergence → Export Results', () => {
  it('feeds each output into the next skill', async () => {
    const ham = await runPython('quantum-hamiltonian', { bond_length: 0.735 });
    const vqe = await runPython('quantum-vqe', { hamiltonian: ham.hamiltonian });
    const plot = await runJavaScript('plot-convergence', {
      convergence_trace: vqe.convergence_trace,
      reference: ham.exact_energy,
      title: 'H2 VQE',
      y_label: 'Energy (Ha)',
    });
    expect(plot.final_value).toBe(vqe.eigenvalue);
    expect(plot.iterations).toBe(vqe.iterations);
    expect(Math.abs((plot.min_value as number) - -1.13731)).toBeLessThan(1e-3);
    expect(plot.svg as string).toContain('<polyline');
    expect(plot.svg as string).toContain('Energy (Ha)');
    const file = await runJavaScript('export-results', {
      data: { iteration: (plot.chart as { x: number[] }).x, energy: vqe.convergence_trace },
      format: 'csv',
      filename: 'h2-vqe',
    });
    const lines = (file.content as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('iteration,energy');
    expect(lines).toHaveLength((vqe.iterations as number) + 1);
    expect(Number(lines.at(-1)!.split(',')[1])).toBe(vqe.eigenvalue);
  });
});
