import type { Json } from '../../../shared/src/json';
import { SkillRunError, type RunDevice, type RunRequest, type RunResult, type Runtime } from '../../../shared/src/execution/types';
import type { WorkerHost } from './worker-host';
import { computeSkill } from './gpu-compute-skill';
import type { GpuRequest } from './protocol';

/** The file name errors of a `gpu.compute` kernel give, before its line. */
const COMPUTE_FILE = 'gpu.compute kernel';

/** The page's WebGPU, found once: an adapter to run kernels on, or why there is none. */
async function probe(): Promise<RunDevice> {
  if (!('gpu' in navigator) || !navigator.gpu) return { kind: 'cpu', reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) return { kind: 'cpu', reason: 'no WebGPU adapter (the browser found no GPU it can use)' };
    const { architecture, vendor, description } = adapter.info;
    return { kind: 'gpu', adapter: architecture || description || vendor || 'unnamed adapter' };
  } catch (e) {
    return { kind: 'cpu', reason: `WebGPU failed to give an adapter: ${(e as Error).message}` };
  }
}

/**
 * Runs `webgpu` skills: planned here (inputs to buffers, dispatch sizes), then the kernel on the
 * WebGPU worker's device; where the page has no adapter, the skill's `## Fallback` JavaScript in
 * the JavaScript worker instead. The result says which device ran it.
 */
export class WebGpuRuntime implements Runtime {
  private device: Promise<RunDevice> | null = null;

  constructor(
    private readonly gpu: WorkerHost,
    private readonly javascript: WorkerHost,
  ) {}

  async run(request: RunRequest): Promise<RunResult> {
    const device = await (this.device ??= probe());
    if (device.kind === 'cpu') return this.runFallback(request, device);
    // Loaded with the first webgpu skill, not with the app.
    const { planGpuRun } = await import('../../../shared/src/execution/gpu-plan');
    const planned = planGpuRun(request.skill, request.inputs);
    if (!planned.ok) throw new SkillRunError(planned.error.message);
    return { ...(await this.gpu.run(request, { plan: planned.value })), device };
  }

  /** Answers a JavaScript skill's `gpu.available()` and `gpu.compute(...)`, for its run (`signal`). */
  async serve(request: GpuRequest, signal: AbortSignal): Promise<Json> {
    const device = await (this.device ??= probe());
    if (request.op === 'available') return device.kind === 'gpu';
    if (device.kind === 'cpu') throw new Error(`gpu.compute: WebGPU is not available here: ${device.reason}; catch this error to compute on the CPU instead`);
    const described = computeSkill(request.spec);
    if (!described.ok) throw new Error(`gpu.compute: ${described.error}`);
    const [{ parseSkill }, { planGpuRun }] = await Promise.all([import('../../../shared/src/skill/parse'), import('../../../shared/src/execution/gpu-plan')]);
    const parsed = parseSkill(described.value.text, COMPUTE_FILE);
    if (!parsed.ok) throw new Error(`gpu.compute: ${parsed.error.map((e) => e.message).join('; ')}`);
    // Errors in the kernel then name its own lines (line 1 is the first line of `code`).
    const skill = { ...parsed.value, codeLine: 1 };
    const planned = planGpuRun(skill, described.value.inputs);
    if (!planned.ok) throw new Error(`gpu.compute: ${planned.error.message}`);
    const result = await this.gpu.run({ skill, inputs: described.value.inputs, signal }, { plan: planned.value });
    return result.outputs;
  }

  /** The skill's fallback in the JavaScript worker, as headless runs it (`gpu-fallback.ts`). */
  private async runFallback(request: RunRequest, device: Extract<RunDevice, { kind: 'cpu' }>): Promise<RunResult> {
    const { fallbackSkill, noWebGpuMessage } = await import('../../../shared/src/execution/gpu-fallback');
    const fallback = fallbackSkill(request.skill, request.inputs);
    if (!fallback) throw new SkillRunError(noWebGpuMessage(device.reason));
    const result = await this.javascript.run({ ...request, skill: fallback.skill });
    return { ...result, outputs: fallback.shape(result.outputs), device };
  }
}
