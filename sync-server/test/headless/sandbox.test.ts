// The JavaScript sandbox (node:vm in a worker thread) and the Three.js runtime: no network, no
// Node globals, console as stdout, async execute, errors at the skill file's lines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { loadVolumes } from '../../src/headless/skills';
import { lineOf, node, skillFrom, skillSource } from './helpers';

const runtimes = nodeRuntimes({ javascriptWorkers: 2 });
let skills: Map<string, ResolvedSkill>;

const js = (id: string, code: string, inputs: object[] = []) =>
  skillFrom(skillSource({ name: id, skill_id: id, type: 'javascript', inputs, outputs: [{ name: 'x', type: 'any' }] }, 'javascript', code), `user/${id}.md`);

/** The file line of line `k` of a skill's code block. */
const at = (id: string, k: number) => skills.get(id)!.skill.codeLine + k - 1;

const runOne = async (skillId: string, inputs = {}) => {
  const report = await runWorkflow({ graph: { nodes: [node('n', skillId, inputs)], edges: [] }, resolve: (id) => skills.get(id), runtimes });
  return report.nodes.n!;
};

beforeAll(async () => {
  skills = (await loadVolumes()).skills;
  for (const s of [
    js('uses-fetch', 'async function execute() {\n  const r = await fetch("https://example.com");\n  return { x: r.status };\n}'),
    js(
      'globals',
      'function execute() {\n  return { x: [typeof fetch, typeof require, typeof process, typeof XMLHttpRequest, typeof WebSocket, typeof importScripts, typeof document, typeof Buffer, typeof globalThis.setTimeout] };\n}',
    ),
    js('xhr', 'function execute() {\n  new XMLHttpRequest();\n  return { x: 1 };\n}'),
    js('logs', 'async function execute(inputs) {\n  console.log("got", inputs.v);\n  await new Promise((r) => setTimeout(r, 10));\n  console.warn({ a: 1 });\n  return { x: inputs.v * 2 };\n}', [
      { name: 'v', type: 'number' },
    ]),
    js('throws', 'function helper() {\n  return null.length;\n}\nfunction execute() {\n  return { x: helper() };\n}'),
    js('nan', 'function execute() {\n  return { x: [1, NaN] };\n}'),
    js('typed', 'function execute() {\n  return { x: { data: new Float64Array(2) } };\n}'),
    js('syntax', 'function execute() {\n  return { x: 1 ;\n}'),
    js('no-execute', 'const y = 1;'),
  ]) {
    skills.set(s.skill.frontmatter.skill_id, s);
  }
});
afterAll(() => runtimes.close());

describe('JavaScript sandbox', () => {
  it('a skill that calls fetch fails with a clear error', async () => {
    const n = await runOne('uses-fetch');
    expect(n.status).toBe('error');
    expect(n.error).toMatch(/^Error: fetch is not available to skills: they run without network\n\s+at execute \(user\/uses-fetch\.md:(\d+):\d+\)/);
    expect(n.error).toContain(`user/uses-fetch.md:${at('uses-fetch', 2)}:`);
    const xhr = await runOne('xhr');
    expect(xhr.error).toMatch(/XMLHttpRequest is not available to skills: they run without network/);
  });

  it('has no Node globals and no network, but timers', async () => {
    const n = await runOne('globals');
    expect(n.outputs?.x).toEqual(['function', 'undefined', 'undefined', 'function', 'function', 'function', 'undefined', 'undefined', 'function']);
  });

  it('EXEC-4: captures console output as stdout, objects as JSON as in the browser; execute may be async', async () => {
    const n = await runOne('logs', { v: 21 });
    expect(n.status).toBe('done');
    expect(n.outputs).toEqual({ x: 42 });
    expect(n.stdout).toBe('got 21\n{"a":1}\n');
  });

  it("errors point at the skill file's lines", async () => {
    const n = await runOne('throws');
    const [helper, execute] = [at('throws', 2), at('throws', 5)];
    expect(n.error).toMatch(new RegExp(`^TypeError: Cannot read properties of null \\(reading 'length'\\)\n\\s+at helper \\(user/throws\\.md:${helper}:\\d+\\)\n\\s+at execute \\(user/throws\\.md:${execute}:\\d+\\)$`));
    const syntax = await runOne('syntax');
    expect(syntax.error).toMatch(new RegExp(`^user/syntax\\.md:${at('syntax', 2)}\n.*\nSyntaxError: `));
    expect((await runOne('no-execute')).error).toBe('the skill defines no function execute(inputs)');
  });

  it('EXEC-1: refuses outputs JSON would change, naming the output and where; converts typed arrays', async () => {
    expect((await runOne('nan')).error).toMatch(/^output "x" is not JSON: x\[1\] is NaN/);
    expect((await runOne('typed')).outputs).toEqual({ x: { data: [0, 0] } });
  });
});

describe('Three.js headless', () => {
  it('builds the scene without rendering and passes values on', async () => {
    const report = await runWorkflow({
      graph: {
        nodes: [node('cube', 'threejs-cube', { size: 2 }), node('spin', 'threejs-animation')],
        edges: [{ id: 'e', source: 'cube', sourceHandle: 'triangle_count', target: 'spin', targetHandle: 'speed' }],
      },
      resolve: (id) => skills.get(id),
      runtimes,
    });
    expect(report.ok).toBe(true);
    expect(report.nodes.cube?.outputs?.triangle_count).toBe(12);
    expect(report.nodes.cube?.outputs?.mesh_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.nodes.cube?.stdout).toMatch(/1 mesh\(es\); render\(\) called 1×/);
    expect(report.nodes.spin?.outputs).toEqual({ animated_objects: 1 });
    expect(report.nodes.spin?.stdout).toMatch(/animation loop set \(not run headless\)/);
  });

  it("reports a three.js skill's own error", async () => {
    const n = await runOne('threejs-cube', { color: 'no-such-colour' });
    expect(n.status).toBe('error');
    expect(n.error).toMatch(/^Error: color "no-such-colour" is not a colour three.js understands.*\n\s+at .*skills\/threejs-cube\.md:(\d+):\d+/);
    expect(n.error).toContain(`skills/threejs-cube.md:${lineOf('skills/threejs-cube.md', 'is not a colour three.js understands')}:`);
    expect(n.stdout).toMatch(/Unknown color no-such-colour/); // three's own warning, captured
  });
});
