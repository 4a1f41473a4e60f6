/*
 * runGpuPlan in Chromium with --enable-unsafe-webgpu (SwiftShader, on the CPU): the shared plan
 * and run code, bundled as they are, run real kernels from a page served from 127.0.0.1 (a secure
 * context, so navigator.gpu exists): a vector add, an outer product read back as rows, steps with
 * feedback (ping-pong), and a WGSL error reported at the skill file's own line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, collectErrors } from './harness/browser';
import { bundleSourceForPage, servePage } from './harness/page-bundle';
import { ROOT } from './harness/paths';

const FIXTURES = path.join(ROOT, 'sync-server/test/headless/fixtures/webgpu-skills');
const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

// What the page runs: parse, plan, then run on a fresh device; errors come back as values.
const ENTRY = `
import { parseSkill, formatSkillError } from './shared/src/skill/parse';
import { planGpuRun } from './shared/src/execution/gpu-plan';
import { runGpuPlan, GpuCompileError } from './shared/src/execution/gpu-run';
export async function run(source, inputs) {
  const skill = parseSkill(source, 'k.md');
  if (!skill.ok) return { error: skill.error.map(formatSkillError).join('\\n') };
  const plan = planGpuRun(skill.value, inputs);
  if (!plan.ok) return { error: plan.error.message };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { error: 'no adapter' };
  const device = await adapter.requestDevice();
  try {
    return { outputs: await runGpuPlan(device, plan.value, new AbortController().signal), adapter: adapter.info.architecture };
  } catch (e) {
    if (e instanceof GpuCompileError) return { compile: { line: e.line, message: e.message } };
    return { error: String(e) };
  } finally {
    device.destroy();
  }
}`;

interface PageAnswer {
  outputs?: Record<string, unknown>;
  adapter?: string;
  error?: string;
  compile?: { line: number; message: string };
}

let server: Awaited<ReturnType<typeof servePage>> | undefined;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await servePage(await bundleSourceForPage(ENTRY, 'gpuTest'));
  // WebGPU needs the GPU process: --disable-gpu would leave no adapter, SwiftShader included.
  const args = [...CHROMIUM_ARGS.filter((a) => a !== '--disable-gpu'), '--enable-unsafe-webgpu'];
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args });
  page = await browser.newPage();
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const run = (source: string, inputs: Record<string, unknown> = {}): Promise<PageAnswer> =>
  page.evaluate(([s, i]) => (window as unknown as { gpuTest: { run(s: string, i: unknown): Promise<PageAnswer> } }).gpuTest.run(s, i), [source, inputs] as const);

describe('runGpuPlan on SwiftShader', () => {
  it('adds two vectors with a uniform scale', async () => {
    const errors = collectErrors(page);
    const a = Array.from({ length: 1000 }, (_, i) => i);
    const r = await run(fixture('vector-add.md'), { a, b: a.map((x) => 2 * x), scale: 0.5 });
    expect(r.error).toBeUndefined();
    expect(r.adapter).toBe('swiftshader');
    expect(r.outputs?.c).toEqual(a.map((x) => 1.5 * x));
    if (process.env.E2E_SCREENSHOTS) {
      await page.evaluate((text) => void (document.body.textContent = text), `vector add on ${r.adapter}: c[0..4] = ${JSON.stringify((r.outputs?.c as number[]).slice(0, 5))}`);
      await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/gpu-run.png` });
    }
    errors.assertNone();
  });

  it('reads an output back as rows by its shape, over a 2-D dispatch', async () => {
    const r = await run(fixture('outer-product.md'), { x: [1, 2, 3, 4], y: [10, 20, 30] });
    expect(r.outputs?.m).toEqual([[10, 20, 30], [20, 40, 60], [30, 60, 90], [40, 80, 120]]);
  });

  it('runs steps with the step index and feeds an output back as its input', async () => {
    const source = [
      '---',
      'name: Count',
      'skill_id: count',
      'type: webgpu',
      'inputs:',
      '  - { name: v, type: array, element: u32 }',
      '  - { name: times, type: integer, default: 5 }',
      'outputs:',
      '  - { name: w, type: array, element: u32, length: len(v) }',
      'gpu: { steps: times, feedback: { w: v } }',
      '---',
      '',
      '## Code',
      '',
      '```wgsl',
      '@compute @workgroup_size(WG_X, WG_Y, WG_Z)',
      'fn main(@builtin(global_invocation_id) id: vec3u) {',
      '  if (id.x >= arrayLength(&w)) { return; }',
      '  w[id.x] = v[id.x] + params.step;',
      '}',
      '```',
      '',
    ].join('\n');
    const r = await run(source, { v: [100, 200, 300] });
    // 0 + 1 + 2 + 3 + 4 added over five steps, each reading the last one's output.
    expect(r.outputs?.w).toEqual([110, 210, 310]);
  });

  it("reports a WGSL error at the skill file's line", async () => {
    const source = fixture('vector-add.md').replace('c[id.x] = (a[id.x] + b[id.x]) * params.scale;', 'c[id.x] = a[id.x] + nope;');
    const line = source.split('\n').findIndex((l) => l.includes('+ nope;')) + 1;
    const r = await run(source, {});
    expect(r.compile?.line).toBe(line);
    expect(r.compile?.message).toMatch(/^WGSL: .*nope/);
  });

  it('throws, rather than reading back zeros, when WebGPU refuses the kernel against its bindings', async () => {
    const source = fixture('vector-add.md').replace('@compute @workgroup_size', '@group(0) @binding(9) var<storage, read> stray: array<f32>;\n@compute @workgroup_size').replace('* params.scale;', '* params.scale + stray[0];');
    const r = await run(source, {});
    expect(r.outputs).toBeUndefined();
    expect(r.compile).toBeUndefined();
    expect(r.error).toMatch(/binding|layout/i);
  });
});
