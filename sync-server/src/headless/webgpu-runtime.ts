import type { RunRequest, RunResult, Runtime } from '../../../shared/src/execution/types';
import { SkillRunError } from '../../../shared/src/execution/types';
import { fallbackSkill, noWebGpuMessage } from '../../../shared/src/execution/gpu-fallback';

/** Why a webgpu skill runs on the CPU headless. */
export const HEADLESS_CPU_REASON = 'no WebGPU in Node here';

/**
 * webgpu skills headless: Node has no WebGPU adapter here (Dawn finds none on this machine), so
 * the skill's `## Fallback` block runs in the JavaScript sandbox instead, and the result says it
 * ran on the CPU. A skill without a fallback fails saying how to get WebGPU.
 */
export class WebGpuFallbackRuntime implements Runtime {
  /** The JavaScript runtime's pool, whose owner closes it: a fallback is a JavaScript skill. */
  constructor(private readonly sandbox: Runtime & { warm(): Promise<void> }) {}

  async run(request: RunRequest): Promise<RunResult> {
    const skill = fallbackSkill(request.skill, request.inputs);
    if (!skill) throw new SkillRunError(noWebGpuMessage(HEADLESS_CPU_REASON));
    const result = await this.sandbox.run({ ...request, skill: skill.skill });
    return { ...result, outputs: skill.shape(result.outputs), device: { kind: 'cpu', reason: HEADLESS_CPU_REASON } };
  }

  warm(): Promise<void> {
    return this.sandbox.warm();
  }

  /** Nothing of its own to close: the JavaScript runtime's pool is closed with it. */
  close(): Promise<void> {
    return Promise.resolve();
  }
}
