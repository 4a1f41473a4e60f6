// The page half of the WebGPU kernel tests and bench/webgpu.ts: bundled by esbuild, served from
// 127.0.0.1 (a secure context, so `navigator.gpu` is there) to Chromium started with
// --enable-unsafe-webgpu. It runs a skill's kernel through the shared plan/run code the runtime
// uses, and its JavaScript fallback as the JavaScript runtime would (the same `execute`).
import { planGpuRun } from '../../../shared/src/execution/gpu-plan';
import { runGpuPlan } from '../../../shared/src/execution/gpu-run';
import type { Json } from '../../../shared/src/json';
import { formatSkillError, parseSkill, type Skill } from '../../../shared/src/skill/parse';

let device: GPUDevice | undefined;
let adapterInfo = '';

function skillOf(source: string): Skill {
  const parsed = parseSkill(source, 'skill.md');
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return parsed.value;
}

async function gpuDevice(): Promise<GPUDevice> {
  if (device) return device;
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter in this page (is Chromium started with --enable-unsafe-webgpu, and the page served from 127.0.0.1?)');
  const info = adapter.info;
  adapterInfo = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ');
  device = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize } });
  return device;
}

/** How long a run took in ms (the kernel's: plan, upload, dispatches and read-back), and its outputs if asked for. */
export interface Timed {
  outputs?: Record<string, Json>;
  ms: number;
}

/** Inputs built in the page (large matrices need not cross from Node on every run), by name. */
const stashed = new Map<string, Record<string, Json>>();

/** Inputs as given, or the ones stashed under a name. */
function inputsOf(inputs: Record<string, Json> | string): Record<string, Json> {
  if (typeof inputs !== 'string') return inputs;
  const found = stashed.get(inputs);
  if (!found) throw new Error(`no inputs stashed as "${inputs}"`);
  return found;
}

/** Stashes square matrices a and b of size n (values in (0, 1], not the skill's own generated ones). */
function stashMatrices(name: string, n: number): void {
  const matrix = (seed: number) => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, k) => (((seed * i + 7 * k) % 29) + 1) / 29));
  stashed.set(name, { a: matrix(3), b: matrix(11), n });
}

async function runKernel(source: string, given: Record<string, Json> | string, keep: boolean): Promise<Timed> {
  const gpu = await gpuDevice();
  const inputs = inputsOf(given);
  const start = performance.now();
  const plan = planGpuRun(skillOf(source), inputs);
  if (!plan.ok) throw new Error(`plan: ${JSON.stringify(plan.error)}`);
  const outputs = await runGpuPlan(gpu, plan.value, new AbortController().signal);
  const ms = performance.now() - start;
  return keep ? { outputs, ms } : { ms };
}

async function runFallback(source: string, given: Record<string, Json> | string, keep: boolean): Promise<Timed> {
  const inputs = inputsOf(given);
  const skill = skillOf(source);
  if (!skill.fallback) throw new Error('the skill has no ## Fallback block');
  const execute = new Function(`${skill.fallback.code}\nreturn execute;`)() as (i: Record<string, Json>) => Record<string, Json> | Promise<Record<string, Json>>;
  const start = performance.now();
  const outputs = await execute(inputs);
  const ms = performance.now() - start;
  return keep ? { outputs, ms } : { ms };
}

const adapter = async (): Promise<string> => {
  await gpuDevice();
  return adapterInfo;
};

Object.assign(globalThis, { webgpuPage: { runKernel, runFallback, adapter, stashMatrices } });
