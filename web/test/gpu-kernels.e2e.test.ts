/*
 * The WebGPU system skills' kernels (skills/gpu-*.md) in Chromium with --enable-unsafe-webgpu
 * (SwiftShader here), run through the shared plan/run code (planGpuRun/runGpuPlan) on a page served
 * from 127.0.0.1, each held to the CPU reference of shared/test/gpu-references.ts within 1e-5
 * (relative to the reference's largest value: the kernels work in 32-bit floats).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heatReference, matmulA, matmulB, matmulReference, nbodyReference, relativeError } from '../../shared/test/gpu-references';
import { openWebGpuPage, type WebGpuPage } from './harness/webgpu-chromium';

const source = (id: string) => readFileSync(new URL(`../../skills/${id}.md`, import.meta.url), 'utf8');

let gpu: WebGpuPage;
beforeAll(async () => {
  gpu = await openWebGpuPage();
});
afterAll(() => gpu?.close());

describe('WebGPU system kernels in Chromium', () => {
  it('run on a WebGPU adapter (SwiftShader on this machine)', async () => {
    const adapter = await gpu.adapter();
    console.info(`WebGPU adapter: ${adapter}`);
    expect(adapter).not.toBe('');
  });

  it('gpu-matmul with its defaults equals the reference product of the generated 64×64 matrices', async () => {
    const { outputs } = await gpu.runKernel(source('gpu-matmul'), {});
    expect((outputs?.c as number[][]).length).toBe(64);
    expect(relativeError(outputs?.c, matmulReference(matmulA(64), matmulB(64)))).toBeLessThan(1e-5);
  });

  it('gpu-matmul of given matrices of a size that is no multiple of the workgroup (37) equals the reference', async () => {
    const n = 37;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => Math.sin(i * 1.3 + k * 0.7)));
    const b = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => Math.cos(i * 0.4 - k * 1.1)));
    const { outputs } = await gpu.runKernel(source('gpu-matmul'), { a, b, n });
    expect(relativeError(outputs?.c, matmulReference(a, b))).toBeLessThan(1e-5);
  });

  it('gpu-heat with its defaults (64², 100 steps) equals the reference field', async () => {
    const { outputs } = await gpu.runKernel(source('gpu-heat'), {});
    const reference = heatReference({ size: 64, steps: 100, alpha: 0.2, spot: { x: 0.35, y: 0.4, radius: 0.12, temperature: 100 } });
    expect((outputs?.field as number[][]).map((row) => row.length)).toEqual(reference.map((row) => row.length));
    expect(relativeError(outputs?.field, reference)).toBeLessThan(1e-5);
  });

  it('gpu-heat on a given starting field, an odd size and one step equals the reference', async () => {
    const start = Array.from({ length: 13 }, (_, y) => Array.from({ length: 13 }, (_, x) => (x * y) % 5));
    const inputs = { start, size: 13, steps: 1, alpha: 0.25, spot_x: 0.5, spot_y: 0.5, spot_radius: 0.2, spot_temperature: 40 };
    const { outputs } = await gpu.runKernel(source('gpu-heat'), inputs);
    expect(relativeError(outputs?.field, heatReference({ size: 13, steps: 1, alpha: 0.25, spot: { x: 0.5, y: 0.5, radius: 0.2, temperature: 40 }, start }))).toBeLessThan(1e-5);
  });

  it('gpu-nbody with its defaults (512 bodies, 10 steps) equals the reference positions and velocities', async () => {
    const { outputs } = await gpu.runKernel(source('gpu-nbody'), {});
    const reference = nbodyReference({ count: 512, steps: 10, dt: 0.005, softening: 0.05 });
    expect(relativeError(outputs?.positions, reference.positions)).toBeLessThan(1e-5);
    expect(relativeError(outputs?.velocities, reference.velocities)).toBeLessThan(1e-5);
  });

  it('gpu-nbody from given positions starts them at rest, as its fallback does', async () => {
    const inputs = { count: 5, steps: 3, dt: 0.05, start_positions: [0, 0, 0, 1, 0, 0, 0, 1, 0, -1, 0, 0.5, 0.3, -0.7, 0.2] };
    const kernel = await gpu.runKernel(source('gpu-nbody'), inputs);
    const fallback = await gpu.runFallback(source('gpu-nbody'), inputs);
    expect(relativeError(kernel.outputs?.positions, fallback.outputs?.positions as number[])).toBeLessThan(1e-5);
    expect(relativeError(kernel.outputs?.velocities, fallback.outputs?.velocities as number[])).toBeLessThan(1e-5);
  });

  it('and their fallbacks, run in the same page, agree with the kernels', async () => {
    for (const [id, output] of [['gpu-matmul', 'c'], ['gpu-heat', 'field'], ['gpu-nbody', 'positions']] as const) {
      const kernel = await gpu.runKernel(source(id), {});
      const fallback = await gpu.runFallback(source(id), {});
      expect(relativeError(kernel.outputs?.[output], fallback.outputs?.[output] as number[]), id).toBeLessThan(1e-5);
    }
  });
});
