import { z } from 'zod';
import { gpuExprNames, parseGpuExpr, type GpuExprSource } from './gpu-expression';

/** The element types a webgpu skill's array ports bind as. */
export const GPU_ELEMENTS = ['f32', 'i32', 'u32'] as const;
export type GpuElement = (typeof GPU_ELEMENTS)[number];

/** WebGPU's default limits, which every adapter offers (SwiftShader included). */
const MAX_INVOCATIONS = 256;
const MAX_WORKGROUP_SIZE = [256, 256, 64] as const;

/** An expression as written: a bare integer, or text such as `n * n` (checked in `checkGpuSkill`). */
export const GpuExprSchema = z.union([z.int(), z.string().min(1).max(200)], { error: 'must be an integer or an expression such as "n * n"' });

/** The `gpu` frontmatter block of a webgpu skill. */
export const GpuBlockSchema = z.strictObject({
  dispatch: z.array(GpuExprSchema).min(1).max(3).optional(),
  workgroup_size: z.array(z.int().min(1).max(256)).min(1).max(3).optional(),
  steps: GpuExprSchema.optional(),
  feedback: z.record(z.string(), z.string()).optional(),
});
export type GpuBlock = z.infer<typeof GpuBlockSchema>;

interface GpuPort {
  name: string;
  type: string;
  element?: GpuElement;
  length?: GpuExprSource;
  shape?: GpuExprSource[];
}

interface GpuSkillFields {
  type: string;
  inputs: GpuPort[];
  outputs: GpuPort[];
  gpu?: GpuBlock;
}

/** Input types that become fields of the `params` uniform. */
export const GPU_SCALAR_TYPES: ReadonlySet<string> = new Set(['number', 'integer', 'boolean']);

const PORT_FIELDS = ['element', 'length', 'shape'] as const;

/**
 * The rules of webgpu skills that a field-by-field schema cannot say: the port fields and `gpu`
 * belong to webgpu skills only, ports bind as buffers or uniforms, and every expression reads
 * inputs that exist.
 */
export function checkGpuSkill(fm: GpuSkillFields, ctx: z.RefinementCtx): void {
  const issue = (path: Array<string | number>, message: string): void => ctx.addIssue({ code: 'custom', path, message });
  if (fm.type !== 'webgpu') {
    for (const key of ['inputs', 'outputs'] as const) {
      fm[key].forEach((port, i) => {
        for (const field of PORT_FIELDS) {
          if (port[field] !== undefined) issue([key, i, field], `"${field}" is for the ports of webgpu skills only; remove it, or set type: webgpu`);
        }
      });
    }
    if (fm.gpu !== undefined) issue(['gpu'], '"gpu" is for webgpu skills only; remove it, or set type: webgpu');
    return;
  }
  const numbers = new Set(fm.inputs.filter((p) => p.type === 'number' || p.type === 'integer').map((p) => p.name));
  const arrays = new Set(fm.inputs.filter((p) => p.type === 'array').map((p) => p.name));
  const checkExpr = (path: Array<string | number>, source: GpuExprSource, allowLen = true): void => {
    const parsed = parseGpuExpr(source);
    if (!parsed.ok) return issue(path, parsed.error);
    const names = gpuExprNames(parsed.value);
    for (const name of names.values) {
      if (!numbers.has(name)) issue(path, `"${name}" is not a number or integer input of this skill; expressions read those by name (len(x) for an array input)`);
    }
    for (const name of names.lengths) {
      if (!allowLen) issue(path, `len(${name}) cannot size an input; give an expression of number or integer inputs`);
      else if (!arrays.has(name)) issue(path, `len(${name}): "${name}" is not an array input of this skill`);
    }
  };

  fm.inputs.forEach((port, i) => {
    if (port.type === 'array') {
      if (port.length !== undefined) checkExpr(['inputs', i, 'length'], port.length, false);
      if (port.shape !== undefined) issue(['inputs', i, 'shape'], '"shape" is for outputs (read back as rows); an input given as rows is flattened row by row');
      return;
    }
    if (!GPU_SCALAR_TYPES.has(port.type)) {
      issue(['inputs', i, 'type'], `a webgpu skill's inputs are number, integer or boolean (fields of params) or array (storage buffers), not ${port.type}`);
    }
    for (const field of PORT_FIELDS) {
      if (port[field] !== undefined) issue(['inputs', i, field], `"${field}" is for array inputs only`);
    }
  });
  fm.outputs.forEach((port, i) => {
    if (port.type !== 'array') issue(['outputs', i, 'type'], `a webgpu skill's outputs are buffers read back as arrays: use type: array, not ${port.type}`);
    if (port.length === undefined) issue(['outputs', i], `output "${port.name}" needs "length": its buffer's element count, e.g. length: n * n`);
    else checkExpr(['outputs', i, 'length'], port.length);
    port.shape?.forEach((dim, j) => checkExpr(['outputs', i, 'shape', j], dim));
  });

  const gpu = fm.gpu ?? {};
  gpu.dispatch?.forEach((dim, j) => checkExpr(['gpu', 'dispatch', j], dim));
  if (gpu.steps !== undefined) checkExpr(['gpu', 'steps'], gpu.steps);
  const size = gpu.workgroup_size ?? [];
  size.forEach((n, j) => {
    const max = MAX_WORKGROUP_SIZE[j] ?? 1;
    if (n > max) issue(['gpu', 'workgroup_size', j], `at most ${max} in this dimension (WebGPU's default limit)`);
  });
  if (size.reduce((a, b) => a * b, 1) > MAX_INVOCATIONS) {
    issue(['gpu', 'workgroup_size'], `at most ${MAX_INVOCATIONS} invocations per workgroup in all (WebGPU's default limit); now ${size.join(' × ')}`);
  }
  const outputs = new Map(fm.outputs.map((p) => [p.name, p]));
  const inputs = new Map(fm.inputs.map((p) => [p.name, p]));
  for (const [output, input] of Object.entries(gpu.feedback ?? {})) {
    const from = outputs.get(output);
    const to = inputs.get(input);
    if (!from) issue(['gpu', 'feedback', output], `"${output}" is not an output of this skill`);
    if (to?.type !== 'array') issue(['gpu', 'feedback', output], `"${input}" is not an array input of this skill`);
    else if (from && (from.element ?? 'f32') !== (to.element ?? 'f32')) {
      issue(['gpu', 'feedback', output], `output "${output}" holds ${from.element ?? 'f32'} but input "${input}" holds ${to.element ?? 'f32'}; feedback swaps the buffers, so they must match`);
    }
  }
}
