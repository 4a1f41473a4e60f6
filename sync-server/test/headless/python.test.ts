// The Node runtimes for Python (Pyodide in a worker thread) and JavaScript, driven by the shared
// executor: the VQE workflow end to end, tracebacks, timeouts with a reloaded worker, packages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { loadVolumes } from '../../src/headless/skills';
import { lineOf, node, skillFrom, skillSource, workflowFixture } from './helpers';

const runtimes = nodeRuntimes();
let skills: Map<string, ResolvedSkill>;

const python = (id: string, code: string, outputs: object[] = [{ name: 'x', type: 'any' }], inputs: object[] = []) =>
  skillFrom(skillSource({ name: id, skill_id: id, type: 'python', inputs, outputs }, 'python', code), `user/${id}.md`);

const run = (graph: Parameters<typeof runWorkflow>[0]['graph'], timeoutMs?: number) =>
  runWorkflow({ graph, resolve: (id) => skills.get(id), runtimes, timeoutMs });

beforeAll(async () => {
  skills = (await loadVolumes()).skills;
  for (const s of [
    python('py-loop', 'def execute(inputs):\n    while True:\n        pass'),
    python('py-print', 'def execute(inputs):\n    print("hello from", inputs["who"])\n    return {"x": inputs["who"]}', [{ name: 'x', type: 'string' }], [
      { name: 'who', type: 'string' },
    ]),
    python('py-nan', 'def execute(inputs):\n    return {"x": [1.0, float("nan")]}'),
    python('py-set', 'def execute(inputs):\n    return {"x": {1, 2}}'),
    python('py-import', 'import surely_not_a_package_llmunix\n\ndef execute(inputs):\n    return {"x": 1}'),
    python('py-none', 'def execute(inputs):\n    return [1, 2]'),
  ]) {
    skills.set(s.skill.frontmatter.skill_id, s);
  }
  const t0 = performance.now();
  await runtimes.warm(['python']);
  console.info(`Pyodide cold start in a worker thread: ${(performance.now() - t0).toFixed(0)} ms`);
});
afterAll(() => runtimes.close());

describe('Python and JavaScript in Node', () => {
  it('Hamiltonian → VQE → Plot Convergence: the H2 ground state within 1e-3 Ha, and an SVG', async () => {
    const t0 = performance.now();
    const report = await run(workflowFixture('vqe.workflow.json'));
    const elapsed = performance.now() - t0;
    expect(report.ok).toBe(true);
    const energy = report.nodes.vqe?.outputs?.eigenvalue as number;
    const timings = Object.fromEntries(Object.entries(report.nodes).map(([id, s]) => [id, s.durationMs]));
    console.info(`VQE energy ${energy} Ha (exact −1.13731); run ${elapsed.toFixed(0)} ms; per node ms ${JSON.stringify(timings)}`);
    expect(Math.abs(energy - -1.137)).toBeLessThan(1e-3);
    expect(report.nodes.h2?.outputs?.exact_energy).toBeCloseTo(-1.13731, 4);
    const plot = report.nodes.plot?.outputs ?? {};
    expect(plot.final_value).toBe(energy);
    expect(plot.svg as string).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(plot.svg as string).toContain('<polyline');
    expect(plot.svg as string).toContain('Energy (Ha)');
    expect((plot.chart as { reference?: number }).reference).toBe(report.nodes.h2?.outputs?.exact_energy);
  });

  it("a Python exception's traceback names the skill file's line", async () => {
    const report = await run({ nodes: [node('h2', 'quantum-hamiltonian', { bond_length: 0 })], edges: [] });
    const error = report.nodes.h2?.error ?? '';
    const line = lineOf('skills/quantum-hamiltonian.md', 'raise ValueError(f"bond_length must be between');
    expect(error).toContain(`File "skills/quantum-hamiltonian.md", line ${line}, in execute`);
    expect(error).toMatch(/ValueError: bond_length must be between 0.1 and 10 angstrom, got 0.0$/);
    expect(error).not.toContain('<skill>');
    expect(error).not.toContain('_llmunix'); // the harness's frames are left out
  });

  it('an endless Python loop is stopped by the timeout, and the next Python run works', async () => {
    const t0 = performance.now();
    const report = await run({ nodes: [node('spin', 'py-loop')], edges: [] }, 500);
    const stopped = performance.now() - t0;
    expect(report.nodes.spin?.status).toBe('error');
    expect(report.nodes.spin?.error).toMatch(/timed out after 500 ms/);
    expect(stopped).toBeLessThan(1500);

    const t1 = performance.now();
    const next = await run({ nodes: [node('hi', 'py-print', { who: 'a reloaded worker' })], edges: [] });
    console.info(`endless loop stopped after ${stopped.toFixed(0)} ms; next run (Pyodide reloaded) ${(performance.now() - t1).toFixed(0)} ms`);
    expect(next.nodes.hi?.status).toBe('done');
    expect(next.nodes.hi?.outputs).toEqual({ x: 'a reloaded worker' });
    expect(next.nodes.hi?.stdout).toBe('hello from a reloaded worker\n');
  });

  it('EXEC-1: refuses results JSON would change (NaN), naming the output and where; converts a set to an array', async () => {
    const report = await run({ nodes: [node('nan', 'py-nan'), node('set', 'py-set'), node('list', 'py-none')], edges: [] });
    expect(report.nodes.nan?.error).toBe('output "x" is not JSON: x[1] is NaN; return numbers, strings, booleans, null, arrays or plain objects');
    expect(report.nodes.set?.outputs).toEqual({ x: [1, 2] });
    expect(report.nodes.list?.error).toBe('execute(inputs) must return an object keyed by output names (a dict), got a list');
  });

  it('says plainly when an imported package is not available offline', async () => {
    const report = await run({ nodes: [node('imp', 'py-import')], edges: [] });
    const error = report.nodes.imp?.error ?? '';
    expect(error).toContain(`File "user/py-import.md", line ${skills.get('py-import')!.skill.codeLine}, in <module>`);
    expect(error).toMatch(/ModuleNotFoundError: No module named 'surely_not_a_package_llmunix'/);
    expect(error).toMatch(/The Python package "surely_not_a_package_llmunix" is not available: .*not available offline/);
  });
});
