import type { Json } from '../../../shared/src/json';
import { err, ok, type Result } from '../../../shared/src/result';
import type { GpuComputeSpec } from './protocol';

/** What `gpu.compute` was given, as a webgpu skill file and that skill's input values. */
export interface ComputeSkill {
  text: string;
  inputs: Record<string, Json>;
}

const ELEMENT_OF: Array<[abstract new (...args: never[]) => ArrayBufferView, string]> = [
  [Int32Array, 'i32'],
  [Uint32Array, 'u32'],
];

/** An input port and value for one `gpu.compute` input: arrays bind as buffers, numbers and booleans as `params` fields. */
function inputOf(name: string, value: unknown): Result<{ port: Record<string, unknown>; value: Json }, string> {
  if (typeof value === 'number') return ok({ port: { name, type: 'number' }, value });
  if (typeof value === 'boolean') return ok({ port: { name, type: 'boolean' }, value });
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const element = ELEMENT_OF.find(([kind]) => value instanceof kind)?.[1] ?? 'f32';
    return ok({ port: { name, type: 'array', element }, value: Array.from(value as unknown as ArrayLike<number>) });
  }
  if (Array.isArray(value)) return ok({ port: { name, type: 'array' }, value: value as Json });
  return err(`input "${name}" is ${value === null ? 'null' : typeof value}; give a number, a boolean, an array or a typed array`);
}

/** An output port: `{ c: 64 }` or `{ c: { length, element, shape } }`. */
function outputOf(name: string, spec: unknown): Result<Record<string, unknown>, string> {
  if (typeof spec === 'number' || typeof spec === 'string') return ok({ name, type: 'array', length: spec });
  if (spec && typeof spec === 'object' && !Array.isArray(spec)) return ok({ ...spec, name, type: 'array' });
  return err(`output "${name}" must be its length (a number) or { length, element, shape }`);
}

/**
 * The webgpu skill a `gpu.compute(...)` call describes: the same fields as a skill file's
 * frontmatter, so the same validation and planning apply (and say what is wrong the same way).
 */
export function computeSkill(spec: GpuComputeSpec): Result<ComputeSkill, string> {
  if (!spec || typeof spec !== 'object' || typeof spec.code !== 'string') return err('gpu.compute takes { code, inputs, outputs, dispatch, workgroup_size, steps, feedback } with code a WGSL string');
  // WGSL has no backticks; a fence in the code would end the skill's code block early.
  if (spec.code.includes('```')) return err('the kernel code contains ```, which WGSL has no use for; remove it');
  const inputs: Array<Record<string, unknown>> = [];
  const values: Record<string, Json> = {};
  for (const [name, value] of Object.entries(spec.inputs ?? {})) {
    const input = inputOf(name, value);
    if (!input.ok) return input;
    inputs.push(input.value.port);
    values[name] = input.value.value;
  }
  const outputs: Array<Record<string, unknown>> = [];
  for (const [name, value] of Object.entries(spec.outputs ?? {})) {
    const output = outputOf(name, value);
    if (!output.ok) return output;
    outputs.push(output.value);
  }
  const gpu = Object.fromEntries(Object.entries({ dispatch: spec.dispatch, workgroup_size: spec.workgroup_size, steps: spec.steps, feedback: spec.feedback }).filter(([, v]) => v !== undefined));
  const text = [
    '---',
    'name: gpu.compute',
    'skill_id: gpu-compute',
    'type: webgpu',
    `inputs: ${JSON.stringify(inputs)}`,
    `outputs: ${JSON.stringify(outputs)}`,
    `gpu: ${JSON.stringify(gpu)}`,
    '---',
    '',
    '## Code',
    '',
    '```wgsl',
    spec.code,
    '```',
    '',
  ].join('\n');
  return ok({ text, inputs: values });
}
