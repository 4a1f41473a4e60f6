// WebGPU skills in Chromium: with `--enable-unsafe-webgpu` (SwiftShader) a saxpy kernel runs on
// the GPU and equals its CPU reference, reused from the cache on a second run; a WGSL error
// shows at its file line; a long kernel is cancelled and the next run works; a lost device says
// so and the next run recovers; a JavaScript skill's gpu.compute gets the same numbers. Without
// the flag, the fallback runs and the node says "ran on the CPU", a skill without a fallback
// fails saying how to get WebGPU, and gpu.compute throws an error a skill can catch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { collectErrors, launchBrowser, newContext, useApp, waitFor, type PageErrors } from './harness';
import { connectPorts, dropSkill } from './harness/canvas';
import { skillText, type Port } from '../../shared/test/conformance/skill-text';
import { addUserSkill, nodeById, numberOutput, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const N = 1024;
/** Positive values, so the relative error of a·x + y is not blown up by cancellation. */
const X = Array.from({ length: N }, (_, i) => 0.5 + ((i * 37) % 101) / 7);
const Y = Array.from({ length: N }, (_, i) => 1 + ((i * 53) % 89) / 3);
const A = 2.5;

const SAXPY_WGSL = `@compute @workgroup_size(WG_X, WG_Y, WG_Z)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i >= u32(params.n)) { return; }
  z[i] = params.a * x[i] + y[i];
}`;

const SAXPY_FALLBACK = `function execute(inputs) {
  return { z: inputs.x.map((v, i) => inputs.a * v + inputs.y[i]) };
}`;

const SAXPY_INPUTS: Port[] = [
  { name: 'x', type: 'array', length: 'n', default: X },
  { name: 'y', type: 'array', length: 'n', default: Y },
  { name: 'a', type: 'number', default: A },
  { name: 'n', type: 'integer', default: N },
];
const SAXPY_OUTPUTS: Port[] = [{ name: 'z', type: 'array', length: 'n' }];
const SAXPY_GPU = { dispatch: ['n'], workgroup_size: [64] };

/** The CPU reference of z (in doubles) and the largest relative error of `z` against it, in skill code. */
const CHECK_BODY = `  const x = ${JSON.stringify(X)};
  const y = ${JSON.stringify(Y)};
  let worst = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const want = ${A} * x[i] + y[i];
    worst = Math.max(worst, Math.abs(z[i] - want) / Math.abs(want));
    sum += z[i];
  }`;

const CHECK_SKILL = [
  '---',
  'name: e2e-saxpy-check',
  'skill_id: e2e-saxpy-check',
  'type: javascript',
  'inputs:',
  '  - { name: z, type: array }',
  'outputs:',
  '  - { name: worst, type: number }',
  '  - { name: count, type: integer }',
  '  - { name: sum, type: number }',
  '---',
  '',
  '# e2e-saxpy-check',
  '',
  '## Code',
  '',
  '```javascript',
  'function execute(inputs) {',
  '  const z = inputs.z;',
  CHECK_BODY,
  '  return { worst, count: z.length, sum };',
  '}',
  '```',
  '',
].join('\n');

/** A JavaScript skill that runs the same kernel through gpu.compute, or says why it could not. */
const GPU_COMPUTE_SKILL = [
  '---',
  'name: e2e-gpu-compute',
  'skill_id: e2e-gpu-compute',
  'type: javascript',
  'outputs:',
  '  - { name: available, type: boolean }',
  '  - { name: worst, type: any }',
  '  - { name: sum, type: any }',
  '  - { name: message, type: string }',
  '---',
  '',
  '# e2e-gpu-compute',
  '',
  '## Code',
  '',
  '```javascript',
  'async function execute() {',
  '  const available = await gpu.available();',
  '  let z;',
  '  try {',
  `    const out = await gpu.compute({ code: ${JSON.stringify(SAXPY_WGSL)}, inputs: { x: new Float32Array(${JSON.stringify(X)}), y: ${JSON.stringify(Y)}, a: ${A}, n: ${N} }, outputs: { z: 'n' }, dispatch: ['n'], workgroup_size: [64] });`,
  '    z = out.z;',
  '  } catch (e) {',
  '    return { available, worst: null, sum: null, message: e.name + ": " + e.message };',
  '  }',
  CHECK_BODY,
  '  return { available, worst, sum, message: "ran " + z.length };',
  '}',
  '```',
  '',
].join('\n');

/** Line 3 of the kernel (the code block's first line is line 1 of it) holds the error. */
const BROKEN_WGSL = `@compute @workgroup_size(WG_X, WG_Y, WG_Z)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let v = not_declared_anywhere + 1.0;
  out[id.x] = v;
}`;

/** Each step is short (a cancel waits for at most the steps already queued); a million of them take hours. */
const LONG_WGSL = `@compute @workgroup_size(WG_X, WG_Y, WG_Z)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x >= 1024u) { return; }
  var s = acc[id.x];
  for (var k = 0u; k < 5000u; k++) { s = s * 0.999 + f32(k % 7u); }
  acc_out[id.x] = s;
}`;

const SKILLS: Record<string, string> = {
  'e2e-saxpy': skillText('webgpu', 'e2e-saxpy', SAXPY_OUTPUTS, SAXPY_WGSL, SAXPY_INPUTS, { gpu: SAXPY_GPU, fallback: SAXPY_FALLBACK }),
  'e2e-saxpy-nofallback': skillText('webgpu', 'e2e-saxpy-nofallback', SAXPY_OUTPUTS, SAXPY_WGSL, SAXPY_INPUTS, { gpu: SAXPY_GPU }),
  'e2e-saxpy-check': CHECK_SKILL,
  'e2e-gpu-compute': GPU_COMPUTE_SKILL,
  'e2e-wgsl-broken': skillText('webgpu', 'e2e-wgsl-broken', [{ name: 'out', type: 'array', length: 64 }], BROKEN_WGSL),
  'e2e-wgsl-long': skillText('webgpu', 'e2e-wgsl-long', [{ name: 'acc_out', type: 'array', length: 1024 }], LONG_WGSL, [{ name: 'acc', type: 'array', length: 1024, required: false }], {
    gpu: { steps: 1000000, feedback: { acc_out: 'acc' } },
  }),
};

/** The file line of the first line in `text` holding `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

const app = useApp({}, { webgpu: true });

beforeAll(async () => {
  for (const [id, text] of Object.entries(SKILLS)) await addUserSkill(app.server.url, id, text);
});

/** Drops the saxpy skill and its checker, connected, and returns their node ids. */
async function saxpyWithCheck(page: Page, skillId: string): Promise<{ gpu: string; check: string }> {
  await dropSkill(page, skillId, { x: 60, y: 60 });
  await dropSkill(page, 'e2e-saxpy-check', { x: 460, y: 60 });
  const ids = await waitForNodes(page, 2);
  const [gpu, check] = [ids[skillId]!, ids['e2e-saxpy-check']!];
  await connectPorts(page, { node: gpu, output: 'z' }, { node: check, input: 'z' });
  await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 1, 'one edge');
  return { gpu, check };
}

/** Drops one skill, runs the workflow until its node reaches `status`, and returns its result panel. */
async function runAlone(page: Page, skillId: string, status: string): Promise<{ id: string; panel: Locator }> {
  await dropSkill(page, skillId, { x: 60, y: 60 });
  const id = (await waitForNodes(page, 1))[skillId]!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, id, status);
  return { id, panel: await openResult(page, id) };
}

describe('with WebGPU (SwiftShader)', () => {
  it('a saxpy kernel runs on the GPU, equals its CPU reference within 1e-5, and is reused on a second run', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await app.openWorkflow('webgpu-saxpy', { context: { viewport: { width: 1600, height: 1000 } } });
    const { gpu, check } = await saxpyWithCheck(page, 'e2e-saxpy');
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, check, 'done');
    await waitForStatus(page, gpu, 'done');
    const device = nodeById(page, gpu).locator('[data-testid="run-device"]');
    expect(await device.getAttribute('data-device')).toBe('gpu');
    expect(await device.textContent()).toBe('GPU: swiftshader');
    const panel = await openResult(page, check);
    expect(await numberOutput(panel, 'count')).toBe(N);
    expect(await numberOutput(panel, 'worst')).toBeLessThan(1e-5);
    const gpuPanel = await openResult(page, gpu);
    expect(await gpuPanel.locator('[data-testid="run-device"]').textContent()).toBe('GPU: swiftshader');
    await shot(page, 'run-webgpu-saxpy');

    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, gpu, 'cached');
    await waitForStatus(page, check, 'cached');
    // The cache keeps where the result was computed.
    expect(await nodeById(page, gpu).locator('[data-testid="run-device"]').textContent()).toBe('GPU: swiftshader');
    errors.assertNone();
    await context.close();
  });

  it('a JavaScript skill using gpu.compute gets the same numbers as the webgpu skill', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await app.openWorkflow('webgpu-compute');
    const { check } = await saxpyWithCheck(page, 'e2e-saxpy');
    await dropSkill(page, 'e2e-gpu-compute', { x: 60, y: 400 });
    const js = (await waitForNodes(page, 3))['e2e-gpu-compute']!;
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, js, 'done');
    await waitForStatus(page, check, 'done');
    const sum = await numberOutput(await openResult(page, check), 'sum');
    const panel = await openResult(page, js);
    expect(await panel.locator('[data-output="message"]').textContent()).toContain('ran 1024');
    expect(await panel.locator('[data-output="available"]').textContent()).toContain('true');
    expect(await numberOutput(panel, 'worst')).toBeLessThan(1e-5);
    expect(await numberOutput(panel, 'sum')).toBe(sum);
    errors.assertNone();
    await context.close();
  });

  it('a WGSL compile error shows at its line of the skill file, linked to the editor', { timeout: 60_000 }, async () => {
    const { context, page, errors } = await app.openWorkflow('webgpu-broken');
    const { panel } = await runAlone(page, 'e2e-wgsl-broken', 'error');
    const line = lineOf(SKILLS['e2e-wgsl-broken']!, 'not_declared_anywhere');
    const error = await panel.locator('[data-testid="result-error"]').textContent();
    expect(error).toMatch(new RegExp(`^volumes/user/default/skills/e2e-wgsl-broken\\.md:${line}\\n  let v = not_declared_anywhere \\+ 1\\.0;\\nWGSL: .*not_declared_anywhere`));
    expect(await panel.locator('[data-testid="error-line"]').first().getAttribute('data-line')).toBe(String(line));
    await shot(page, 'run-webgpu-compile-error');
    errors.assertNone();
    await context.close();
  });

  it('Cancel stops a long kernel; the next run gets a fresh device and works', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await app.openWorkflow('webgpu-cancel', { context: { viewport: { width: 1600, height: 1000 } } });
    const { gpu, check } = await saxpyWithCheck(page, 'e2e-saxpy');
    await dropSkill(page, 'e2e-wgsl-long', { x: 60, y: 500 });
    const long = (await waitForNodes(page, 3))['e2e-wgsl-long']!;
    await nodeById(page, long).locator('[data-testid="run-node"]').click();
    await waitForStatus(page, long, 'running');
    const webgpuWorker = () => page.workers().find((w) => w.url().includes('webgpu.worker'));
    await waitFor(() => webgpuWorker() !== undefined, 'the WebGPU worker to start');
    const worker = webgpuWorker()!;
    const closed = new Promise((resolve) => worker.once('close', resolve));
    await page.locator('[data-testid="cancel-run"]').click();
    await waitForStatus(page, long, 'cancelled', 10_000);
    // The worker, and its device with it, is gone: the next run starts a fresh one.
    await closed;
    await nodeById(page, check).locator('[data-testid="run-node"]').click();
    await waitForStatus(page, check, 'done');
    expect(await nodeById(page, gpu).locator('[data-testid="run-device"]').textContent()).toBe('GPU: swiftshader');
    expect(await numberOutput(await openResult(page, check), 'worst')).toBeLessThan(1e-5);
    errors.assertNone();
    await context.close();
  });

  it('a lost device is an error that says so, and the next run recovers', { timeout: 120_000 }, async () => {
    const { context, page, errors } = await app.openWorkflow('webgpu-lost');
    await dropSkill(page, 'e2e-wgsl-broken', { x: 60, y: 60 });
    await dropSkill(page, 'e2e-saxpy-nofallback', { x: 60, y: 300 });
    const ids = await waitForNodes(page, 2);
    const [broken, id] = [ids['e2e-wgsl-broken']!, ids['e2e-saxpy-nofallback']!];
    // A first run starts the WebGPU worker and its device.
    await nodeById(page, broken).locator('[data-testid="run-node"]').click();
    await waitForStatus(page, broken, 'error');
    const worker = page.workers().find((w) => w.url().includes('webgpu.worker'));
    if (!worker) throw new Error(`no WebGPU worker among ${page.workers().map((w) => w.url()).join(', ')}`);
    // As a driver reset or a GPU crash would: the next command encoder finds its device destroyed.
    await worker.evaluate(() => {
      const encoder = GPUDevice.prototype.createCommandEncoder;
      GPUDevice.prototype.createCommandEncoder = function (this: GPUDevice, ...args: Parameters<GPUDevice['createCommandEncoder']>) {
        GPUDevice.prototype.createCommandEncoder = encoder;
        this.destroy();
        return encoder.apply(this, args);
      };
    });
    await nodeById(page, id).locator('[data-testid="run-node"]').click();
    await waitForStatus(page, id, 'error');
    const error = await (await openResult(page, id)).locator('[data-testid="result-error"]').textContent();
    expect(error).toMatch(/^the GPU device was lost \(destroyed/);
    expect(error).toContain('run the node again for a fresh device');
    await nodeById(page, id).locator('[data-testid="run-node"]').click();
    await waitForStatus(page, id, 'done');
    expect(await nodeById(page, id).locator('[data-testid="run-device"]').textContent()).toBe('GPU: swiftshader');
    errors.assertNone();
    await context.close();
  });
});

describe('without WebGPU (Chromium without the flag)', () => {
  let browser: Browser;
  let page: Page;
  let errors: PageErrors;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const open = async (workflow: string) => {
    const context = await newContext(browser, { baseURL: app.server.url, viewport: { width: 1600, height: 1000 } });
    page = await context.newPage();
    errors = collectErrors(page);
    await page.goto(`/#/workflow/user/default/${workflow}`);
    await page.locator('[data-testid="workflow-canvas"]').waitFor();
  };

  it('the fallback runs, equals the reference, and the node says it ran on the CPU and why', { timeout: 120_000 }, async () => {
    await open('webgpu-fallback');
    const { gpu, check } = await saxpyWithCheck(page, 'e2e-saxpy');
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, check, 'done');
    const device = nodeById(page, gpu).locator('[data-testid="run-device"]');
    expect(await device.getAttribute('data-device')).toBe('cpu');
    expect(await device.textContent()).toBe('ran on the CPU');
    expect(await device.getAttribute('title')).toMatch(/^ran on the CPU: no WebGPU adapter/);
    expect(await numberOutput(await openResult(page, check), 'worst')).toBeLessThan(1e-12);
    const panel = await openResult(page, gpu);
    expect(await panel.locator('[data-testid="run-device"]').textContent()).toMatch(/^ran on the CPU: no WebGPU adapter/);
    await shot(page, 'run-webgpu-fallback');
    errors.assertNone();
    await page.context().close();
  });

  it('a skill without a fallback fails saying how to get WebGPU', { timeout: 60_000 }, async () => {
    await open('webgpu-nofallback');
    const { panel } = await runAlone(page, 'e2e-saxpy-nofallback', 'error');
    const error = await panel.locator('[data-testid="result-error"]').textContent();
    expect(error).toContain('--enable-unsafe-webgpu');
    expect(error).toContain('## Fallback');
    errors.assertNone();
    await page.context().close();
  });

  it('gpu.compute throws an error a skill can catch, saying there is no adapter', { timeout: 60_000 }, async () => {
    await open('webgpu-compute-cpu');
    const { panel } = await runAlone(page, 'e2e-gpu-compute', 'done');
    expect(await panel.locator('[data-output="available"]').textContent()).toContain('false');
    expect(await panel.locator('[data-output="message"]').textContent()).toContain('GpuError: gpu.compute: WebGPU is not available here: no WebGPU adapter');
    errors.assertNone();
    await page.context().close();
  });
});
