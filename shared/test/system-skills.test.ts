/*
 * The system skills in skills/*.md: every file parses and validates, the catalogue is complete, and the
 * typed ports of the quantum workflow (Hamiltonian Builder → VQE Optimizer → Plot Convergence) chain.
 *
 * Runtime conventions the skills are written for (the runtimes of a later issue implement exactly these):
 * - python: the code defines `def execute(inputs) -> dict`; `inputs` is a dict of JSON values with
 *   defaults applied; the result's keys are the output names and its values are JSON-serialisable.
 *   Standard library only (no numpy).
 * - javascript: the code defines `function execute(inputs)` (may be async) returning an object keyed by
 *   output names. It runs in a Web Worker: no DOM, no network (`document`, `window`, `fetch`).
 * - threejs: the code is the body of a (possibly async) function of `THREE, scene, camera, renderer,
 *   inputs` and may return an object of outputs; of `renderer` it uses only `render(scene, camera)` and
 *   `setAnimationLoop(fn)`.
 * - webgpu: the code is a WGSL compute kernel (entry `main`, `@workgroup_size(WG_X, WG_Y, WG_Z)`) and
 *   the `## Fallback` block is a javascript `function execute(inputs)` under the javascript rules.
 * - ngspice: the `spice` code block is a netlist template; `{{name}}` is replaced by input values
 *   (`renderNetlist`) and an output names a vector (`vectorNameForOutput`: `v_out` → `v(out)`,
 *   `i_v1` → `i(v1)`, `time` → `time`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSkillError, readSkill, type ParsedSkill } from '../src/skill/parse';
import { CODE_LANGUAGE, type SkillFrontmatter } from '../src/skill/schema';
import { netlistPlaceholders } from '../src/skill/ngspice';
import { mappingProblems, selfContainment } from '../src/workflow/compound-chain';
import { validateWorkflow } from '../src/workflow/validate';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../src/documents/workflow';

const SKILLS_DIR = new URL('../../skills/', import.meta.url);
const SYSTEM_SKILL_IDS = [
  'quantum-hamiltonian',
  'quantum-vqe',
  'quantum-circuit',
  'threejs-cube',
  'threejs-animation',
  'plot-convergence',
  'export-results',
  'spice-resistor',
  // Added for the example workflows (skills/templates): a sweep drawn as a curve, a data pipeline, a bar chart.
  'spice-diode-iv',
  'sample-weather-data',
  'table-group-summary',
  'plot-bars',
  // A compound skill (issue 16): the data pipeline's three nodes packed into one.
  'weather-summary-csv',
  // WebGPU compute (issue 17), each with a JavaScript fallback, and the point cloud N-body feeds.
  'gpu-matmul',
  'gpu-heat',
  'gpu-nbody',
  'threejs-points',
];

const files = readdirSync(SKILLS_DIR)
  .filter((f) => f.endsWith('.md'))
  .sort();

function load(file: string): ParsedSkill {
  const parsed = readSkill(readFileSync(new URL(file, SKILLS_DIR), 'utf8'), { file: `skills/${file}` });
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return parsed.value;
}

const runnable = files.map(load).flatMap((s) => (s.kind === 'runnable' ? [s] : []));
const compound = files.map(load).flatMap((s) => (s.kind === 'compound' ? [s] : []));

const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({
  id,
  skillId,
  label: id,
  position: { x: 0, y: 0 },
  inputs,
});
const edge = (id: string, source: string, sourceHandle: string, target: string, targetHandle: string): WorkflowEdge => ({
  id,
  source,
  sourceHandle,
  target,
  targetHandle,
});

describe('system skills', () => {
  it('are exactly the eight skills of the original catalogue and those added since, one file per skill id', () => {
    expect(files).toEqual([...SYSTEM_SKILL_IDS].sort().map((id) => `${id}.md`));
  });

  describe.each(files)('%s', (file) => {
    it('parses and validates as a skill that runs (its own code, or inner nodes), and its file name is its skill id', () => {
      const parsed = readSkill(readFileSync(new URL(file, SKILLS_DIR), 'utf8'), { file: `skills/${file}` });
      expect(parsed.ok ? [] : parsed.error.map(formatSkillError)).toEqual([]);
      const skill = load(file);
      expect(['runnable', 'compound']).toContain(skill.kind);
      expect(`${skill.frontmatter.skill_id}.md`).toBe(file);
    });

    it('has code in the language of its type (inner nodes for a compound), a description and a "When to Use" section', () => {
      const skill = load(file);
      if (skill.kind === 'runnable') {
        expect(skill.codeLanguage).toBe(CODE_LANGUAGE[skill.frontmatter.type]);
        expect(skill.code.trim().length).toBeGreaterThan(50);
      } else if (skill.kind === 'compound') {
        expect(skill.inside.nodes.length).toBeGreaterThan(1);
      }
      expect(skill.frontmatter.description.length).toBeGreaterThan(80);
      expect(skill.body).toMatch(/^# Skill: /m);
      expect(skill.body).toMatch(/^## When to Use\s*$/m);
      const sectionText = skill.body.split(/^## When to Use\s*$/m)[1]?.split(/^## /m)[0] ?? '';
      expect(sectionText.trim().length).toBeGreaterThan(40);
      for (const port of [...skill.frontmatter.inputs, ...skill.frontmatter.outputs]) {
        expect(port.description, `${file}: port ${port.name} has no description`).toBeTruthy();
      }
    });

    it('keeps to its runtime: an execute function, no DOM or network, only render/setAnimationLoop', () => {
      const skill = load(file);
      if (skill.kind !== 'runnable') return;
      const { frontmatter, code } = skill;
      if (frontmatter.type === 'python') {
        expect(code).toMatch(/^def execute\(inputs\)/m);
        expect(code).not.toMatch(/^\s*(import|from)\s+(numpy|scipy|qiskit)\b/m);
      }
      if (frontmatter.type === 'javascript') expect(code).toMatch(/^(async )?function execute\(inputs\)/m);
      if (frontmatter.type === 'javascript' || frontmatter.type === 'threejs') {
        expect(code).not.toMatch(/\b(document|window|fetch|XMLHttpRequest|localStorage)\b/);
      }
      if (frontmatter.type === 'webgpu') {
        expect(code).toMatch(/@compute @workgroup_size\(WG_X, WG_Y, WG_Z\)\s*fn main\(/);
        expect(skill.fallback?.code).toMatch(/^(async )?function execute\(inputs\)/m);
        expect(skill.fallback?.code).not.toMatch(/\b(document|window|fetch|XMLHttpRequest|localStorage)\b/);
      }
      if (frontmatter.type === 'threejs') {
        const used = new Set(Array.from(code.matchAll(/\brenderer\.(\w+)/g), (m) => m[1]));
        expect([...used].every((m) => m === 'render' || m === 'setAnimationLoop')).toBe(true);
        expect(code).toMatch(/\breturn\b/);
      }
      if (frontmatter.type === 'ngspice') {
        // Every placeholder is an input, so a template never renders with a hole.
        const inputs = new Set(frontmatter.inputs.map((p) => p.name));
        expect(netlistPlaceholders(code).filter((p) => !inputs.has(p))).toEqual([]);
        expect(code).toMatch(/^\.end\s*$/m);
      }
    });
  });

  it('have unique skill ids and names', () => {
    const skills = files.map(load);
    expect(new Set(skills.map((s) => s.frontmatter.skill_id)).size).toBe(files.length);
    expect(new Set(skills.map((s) => s.frontmatter.name)).size).toBe(files.length);
  });

  it('keep the names, types and categories of the original catalogue, and those added since have theirs', () => {
    const catalogue = Object.fromEntries(
      files.map(load).map((s) => [s.frontmatter.skill_id, [s.frontmatter.name, s.frontmatter.type, s.frontmatter.category]]),
    );
    expect(catalogue).toEqual({
      'quantum-hamiltonian': ['Hamiltonian Builder', 'python', 'quantum'],
      'quantum-vqe': ['VQE Optimizer', 'python', 'quantum'],
      'quantum-circuit': ['Circuit Builder', 'python', 'quantum'],
      'threejs-cube': ['Cube Renderer', 'threejs', '3d'],
      'threejs-animation': ['Animation Loop', 'threejs', '3d'],
      'plot-convergence': ['Plot Convergence', 'javascript', 'data'],
      'export-results': ['Export Results', 'javascript', 'code'],
      'spice-resistor': ['SPICE Resistor Circuit', 'ngspice', 'electronics'],
      'spice-diode-iv': ['Diode I-V Sweep', 'ngspice', 'electronics'],
      'sample-weather-data': ['Sample Weather Readings', 'javascript', 'data'],
      'table-group-summary': ['Group and Summarize', 'javascript', 'data'],
      'plot-bars': ['Bar Chart', 'javascript', 'data'],
      'weather-summary-csv': ['Weather Summary to CSV', 'compound', 'data'],
      'gpu-matmul': ['Matrix Multiply (GPU)', 'webgpu', 'compute'],
      'gpu-heat': ['Heat Diffusion (GPU)', 'webgpu', 'compute'],
      'gpu-nbody': ['N-Body Step (GPU)', 'webgpu', 'compute'],
      'threejs-points': ['Point Cloud', 'threejs', '3d'],
    });
  });

  it('compound ones use only system skills that run, map their ports onto ports those skills have, and contain no compound', () => {
    const ports = new Map(runnable.map((s) => [s.frontmatter.skill_id, s.frontmatter]));
    const compounds = new Map(compound.map((s) => [s.frontmatter.skill_id, s]));
    expect(compound.length).toBeGreaterThan(0);
    for (const skill of compound) {
      const id = skill.frontmatter.skill_id;
      expect(skill.inside.nodes.map((n) => n.skillId).filter((inner) => !ports.has(inner)), id).toEqual([]);
      expect(mappingProblems(id, (inner) => ports.get(inner), (inner) => compounds.get(inner)), id).toEqual([]);
      expect(selfContainment(id, (inner) => compounds.get(inner)), id).toBeUndefined();
      expect(validateWorkflow(skill.inside, (inner) => ports.get(inner)), id).toEqual([]);
    }
  });

  describe('the Hamiltonian → VQE → Plot Convergence workflow', () => {
    const skills = new Map<string, SkillFrontmatter>(runnable.map((s) => [s.frontmatter.skill_id, s.frontmatter]));
    const lookup = (id: string) => skills.get(id);
    const graph: WorkflowGraph = {
      nodes: [
        node('ham', 'quantum-hamiltonian', { bond_length: 0.735 }),
        node('vqe', 'quantum-vqe'),
        node('plot', 'plot-convergence', { title: 'H2 VQE' }),
      ],
      edges: [
        edge('e1', 'ham', 'hamiltonian', 'vqe', 'hamiltonian'),
        edge('e2', 'vqe', 'convergence_trace', 'plot', 'convergence_trace'),
      ],
    };

    it('validates with no issues', () => {
      expect(validateWorkflow(graph, lookup)).toEqual([]);
    });

    it('also validates with the exact energy wired to the plot reference', () => {
      const withReference = { ...graph, edges: [...graph.edges, edge('e3', 'ham', 'exact_energy', 'plot', 'reference')] };
      expect(validateWorkflow(withReference, lookup)).toEqual([]);
    });

    it('is rejected when the ports do not fit (so the check above means something)', () => {
      const wrong = { ...graph, edges: [graph.edges[0]!, edge('e2', 'vqe', 'eigenvalue', 'plot', 'convergence_trace')] };
      expect(validateWorkflow(wrong, lookup).map((i) => i.code)).toEqual(['type_mismatch']);
      const unwired = { ...graph, edges: [graph.edges[1]!] };
      expect(validateWorkflow(unwired, lookup).map((i) => [i.code, 'input' in i ? i.input : ''])).toEqual([
        ['missing_input', 'hamiltonian'],
      ]);
    });
  });
});
