import type { Json } from '../json';
import type { Skill } from '../skill/parse';
import type { RunDevice } from './types';
import { outputShapes, toRows } from './gpu-shape';

/** Where a run ran, as a node says it: "ran on the GPU (…)" or "ran on the CPU: <reason>". */
export const describeDevice = (device: RunDevice): string =>
  device.kind === 'gpu' ? `ran on the GPU (${device.adapter})` : `ran on the CPU: ${device.reason}`;

/** What a node says when a webgpu skill cannot run: what WebGPU needs, and that a fallback would run. */
export const noWebGpuMessage = (reason: string): string =>
  `this webgpu skill cannot run here (${reason}) and has no "## Fallback" block. WebGPU needs a browser with WebGPU ` +
  '(Chrome or Edge 113+, or Chromium started with --enable-unsafe-webgpu) and a GPU (or SwiftShader); ' +
  'a "## Fallback" section with a javascript block (function execute(inputs)) would run here on the CPU instead.';

/**
 * A webgpu skill's fallback as a javascript skill the JavaScript sandbox runs (its lines are the
 * file's own), and how its outputs are shaped as the kernel's are; undefined when it has none.
 */
export function fallbackSkill(skill: Skill, inputs: Record<string, Json>): { skill: Skill; shape: (outputs: Record<string, Json>) => Record<string, Json> } | undefined {
  if (!skill.fallback) return undefined;
  const js: Skill = { ...skill, code: skill.fallback.code, codeLine: skill.fallback.line, codeLanguage: 'javascript' };
  const shapes = outputShapes(skill, inputs);
  const shape = (outputs: Record<string, Json>): Record<string, Json> =>
    Object.fromEntries(Object.entries(outputs).map(([name, value]) => [name, toRows(value, shapes.get(name))]));
  return { skill: js, shape };
}
