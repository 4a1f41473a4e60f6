/**
 * WebGPU kernels against their JavaScript fallbacks, in headless Chromium with
 * --enable-unsafe-webgpu (here the adapter is SwiftShader: Vulkan on the CPU, so "GPU" times are
 * those of a CPU rasteriser's compute path; on a real GPU run the same command with a display).
 * Each skill's kernel runs through the shared plan/run code (plan, upload, compile, dispatches,
 * read-back) and its fallback as the JavaScript runtime runs it (its `execute`, on the page's main
 * thread), both in the same page with the same inputs: given matrices for the multiply, the
 * skills' generated starting states otherwise; medians of --runs runs after a warm-up of each.
 *
 *   npm run bench:webgpu [-- --runs 3]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Json } from '../shared/src/json';
import { openWebGpuPage, type WebGpuPage } from '../web/test/harness/webgpu-chromium';
import { percentile } from './lib/proc';

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const RUNS = Number(args.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a whole number of at least 1, got ${args.runs}`);

const source = (id: string) => readFileSync(new URL(`../skills/${id}.md`, import.meta.url), 'utf8');

interface Case {
  label: string;
  skill: string;
  /** Inputs, or the name of matrices stashed in the page. */
  inputs: Record<string, Json> | string;
}

const SIZES = [256, 512, 1024];
const CASES: Case[] = [
  // Given matrices: with none, the kernel would generate A and B inside its inner loop (n³ times)
  // while the fallback generates them once, which says nothing about multiplying.
  ...SIZES.map((n) => ({ label: `matrix multiply n = ${n}`, skill: 'gpu-matmul', inputs: `matmul-${n}` })),
  { label: 'heat stencil 256² × 100 steps', skill: 'gpu-heat', inputs: { size: 256, steps: 100 } },
  { label: 'heat stencil 64² × 100 steps', skill: 'gpu-heat', inputs: { size: 64, steps: 100 } },
  { label: 'n-body 512 bodies × 10 steps', skill: 'gpu-nbody', inputs: { count: 512, steps: 10 } },
];

async function median(run: () => Promise<{ ms: number }>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await run()).ms);
  return percentile(times, 50);
}

async function main(): Promise<void> {
  const gpu: WebGpuPage = await openWebGpuPage();
  try {
    const adapter = await gpu.adapter();
    for (const n of SIZES) await gpu.stashMatrices(`matmul-${n}`, n);
    for (const skill of ['gpu-matmul', 'gpu-heat', 'gpu-nbody']) {
      await gpu.runKernel(source(skill), {}, false);
      await gpu.runFallback(source(skill), {}, false);
    }
    console.log(`\nWebGPU kernel vs JavaScript fallback in headless Chromium, median of ${RUNS} runs`);
    console.log(`adapter: ${adapter}\n`);
    console.log(`${'case'.padEnd(34)}${'kernel ms'.padStart(12)}${'fallback ms'.padStart(14)}${'fallback / kernel'.padStart(20)}   faster`);
    for (const c of CASES) {
      const kernel = await median(() => gpu.runKernel(source(c.skill), c.inputs, false));
      const fallback = await median(() => gpu.runFallback(source(c.skill), c.inputs, false));
      const ratio = fallback / kernel;
      console.log(`${c.label.padEnd(34)}${kernel.toFixed(1).padStart(12)}${fallback.toFixed(1).padStart(14)}${ratio.toFixed(2).padStart(20)}   ${ratio >= 1 ? 'GPU' : 'CPU (JavaScript)'}`);
    }
  } finally {
    await gpu.close();
  }
}

await main();
