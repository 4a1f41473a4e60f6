import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import type { GpuExprSource } from '../skill/gpu-expression';
import type { GpuElement } from '../skill/gpu-schema';
import type { Skill } from '../skill/parse';
import { evaluateField, flattenNumbers, gpuScope, inputValues } from './gpu-shape';

/** Everything a webgpu run needs, worked out from the skill and its inputs before any GPU call. */
export interface GpuPlan {
  /** The generated prelude, then the skill's code. */
  wgsl: string;
  /** Lines the prelude adds before the code. */
  preludeLines: number;
  /** The code block's first file line. */
  codeLine: number;
  /** The kernel's entry point: `main`, or the only `@compute` function. */
  entryPoint: string;
  /** The `Params` uniform, a multiple of 16 bytes; the step index is the u32 at `stepOffset`. */
  uniform: ArrayBuffer;
  stepOffset: number;
  inputs: Array<{ name: string; binding: number; data: Float32Array | Int32Array | Uint32Array }>;
  outputs: Array<{ name: string; binding: number; element: GpuElement; length: number; shape?: number[] }>;
  workgroups: [number, number, number];
  workgroupSize: [number, number, number];
  steps: number;
  feedback: Array<{ output: string; input: string }>;
}

/** Why a webgpu skill cannot run with these inputs, naming the input or field at fault. */
export interface GpuPlanError {
  message: string;
  /** The input whose value is at fault. */
  input?: string;
  /** The frontmatter field whose expression failed, e.g. `outputs.0.length` or `gpu.dispatch.1`. */
  field?: string;
}

/** WebGPU's default limits, which every adapter offers. */
const MAX_BUFFER_ELEMENTS = (128 * 1024 * 1024) / 4;
const MAX_WORKGROUPS = 65535;
const MAX_STEPS = 1_000_000;

/** Names the prelude declares, and WGSL words a binding may not take. */
const TAKEN = new Set([
  'params', 'Params', 'WG_X', 'WG_Y', 'WG_Z', 'main',
  'alias', 'array', 'atomic', 'bitcast', 'bool', 'break', 'case', 'const', 'const_assert', 'continue', 'continuing', 'default',
  'diagnostic', 'discard', 'else', 'enable', 'f16', 'f32', 'false', 'fn', 'for', 'i32', 'if', 'let', 'loop', 'override',
  'ptr', 'requires', 'return', 'struct', 'switch', 'true', 'u32', 'var', 'vec2', 'vec3', 'vec4', 'while', 'mat2x2', 'mat3x3', 'mat4x4',
]);

const SCALAR_ELEMENT: Readonly<Record<string, GpuElement>> = { number: 'f32', integer: 'i32', boolean: 'u32' };

type Planned<T> = Result<T, GpuPlanError>;

const typedArray = (element: GpuElement, length: number): Float32Array | Int32Array | Uint32Array =>
  element === 'f32' ? new Float32Array(length) : element === 'i32' ? new Int32Array(length) : new Uint32Array(length);

/** The value of one expression field, an integer in [min, max]. */
function evaluateIn(source: GpuExprSource, field: string, scope: ReturnType<typeof gpuScope>, min: number, max: number, what: string): Planned<number> {
  const value = evaluateField(source, scope);
  if (!value.ok) return err({ field, message: `${field} (${source}): ${value.error}` });
  if (value.value < min || value.value > max) return err({ field, message: `${field} (${source}) is ${value.value}; ${what} must be ${min}–${max}` });
  return ok(value.value);
}

/** The kernel's entry point: `main` if it has one, else its only `@compute` function. */
function entryPointOf(code: string): Planned<string> {
  const names = [...code.matchAll(/@compute\b[^;{]*?\bfn\s+([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] as string);
  if (names.includes('main') || /\bfn\s+main\s*\(/.test(code)) return ok('main');
  if (names.length === 1) return ok(names[0] as string);
  return err({ message: names.length === 0 ? 'the kernel has no @compute function; write @compute @workgroup_size(WG_X, WG_Y, WG_Z) fn main(...)' : `the kernel has several @compute functions (${names.join(', ')}); name the one to run main` });
}

/** One array input's data, checked and converted to its element type. */
function inputData(port: Skill['frontmatter']['inputs'][number], index: number, value: unknown, scope: ReturnType<typeof gpuScope>): Planned<Float32Array | Int32Array | Uint32Array> {
  const element = port.element ?? 'f32';
  const field = `inputs.${index}.length`;
  const length = port.length === undefined ? undefined : evaluateIn(port.length, field, scope, 0, MAX_BUFFER_ELEMENTS, `the length of "${port.name}"`);
  if (length && !length.ok) return length;
  if (value === undefined) {
    if (!length) return err({ input: port.name, message: `input "${port.name}" has no value: connect or set it, give it a default, or give it a length for a zero-filled buffer` });
    return ok(typedArray(element, length.value));
  }
  const flat = flattenNumbers(value);
  if (!flat.ok) {
    const where = flat.error.index ? ` at ${flat.error.index}` : '';
    return err({ input: port.name, message: `input "${port.name}" must be an array of numbers (or of rows of numbers); found ${JSON.stringify(flat.error.value) ?? String(flat.error.value)}${where}` });
  }
  if (length && flat.value.length !== length.value) {
    return err({ input: port.name, message: `input "${port.name}" has ${flat.value.length} elements but its length (${port.length}) is ${length.value}` });
  }
  if (flat.value.length > MAX_BUFFER_ELEMENTS) return err({ input: port.name, message: `input "${port.name}" has ${flat.value.length} elements; a buffer holds at most ${MAX_BUFFER_ELEMENTS} (WebGPU's default 128 MiB)` });
  if (element !== 'f32') {
    const bad = flat.value.findIndex((x) => !Number.isInteger(x) || (element === 'u32' ? x < 0 || x > 0xffffffff : x < -0x80000000 || x > 0x7fffffff));
    if (bad >= 0) return err({ input: port.name, message: `input "${port.name}" holds ${element}, but element ${bad} is ${flat.value[bad]}` });
  }
  const data = typedArray(element, flat.value.length);
  data.set(flat.value);
  return ok(data);
}

/** The `Params` uniform's bytes and the prelude's struct, from the scalar inputs in order. */
function paramsOf(skill: Skill, values: Map<string, unknown>): Planned<{ uniform: ArrayBuffer; stepOffset: number; fields: string[] }> {
  const scalars = skill.frontmatter.inputs.filter((p) => p.type in SCALAR_ELEMENT);
  const stepOffset = scalars.length * 4;
  const uniform = new ArrayBuffer(Math.ceil((stepOffset + 4) / 16) * 16);
  const view = new DataView(uniform);
  const fields: string[] = [];
  for (const [i, port] of scalars.entries()) {
    const element = SCALAR_ELEMENT[port.type] as GpuElement;
    const value = values.get(port.name);
    if (value === undefined) return err({ input: port.name, message: `input "${port.name}" has no value: connect or set it, or give it a default` });
    if (port.type === 'boolean' ? typeof value !== 'boolean' : typeof value !== 'number' || !Number.isFinite(value)) {
      return err({ input: port.name, message: `input "${port.name}" must be a ${port.type === 'boolean' ? 'boolean' : 'finite number'}; found ${JSON.stringify(value)}` });
    }
    if (port.type === 'integer' && !Number.isInteger(value)) return err({ input: port.name, message: `input "${port.name}" is an integer; found ${String(value)}` });
    if (element === 'f32') view.setFloat32(i * 4, value as number, true);
    else if (element === 'i32') view.setInt32(i * 4, value as number, true);
    else view.setUint32(i * 4, value ? 1 : 0, true);
    fields.push(`${port.name}: ${element}`);
  }
  return ok({ uniform, stepOffset, fields: [...fields, 'step: u32'] });
}

/**
 * Plans a webgpu skill's run: the prelude (the `Params` uniform, one storage buffer per array
 * input and output, the workgroup size constants), the buffers' data and lengths, the dispatch
 * and the steps. Every problem names the input or field at fault.
 */
export function planGpuRun(skill: Skill, inputs: Record<string, Json>): Result<GpuPlan, GpuPlanError> {
  const fm = skill.frontmatter;
  const gpu = fm.gpu ?? {};
  for (const port of [...fm.inputs, ...fm.outputs]) {
    if (TAKEN.has(port.name) || (port.name === 'step' && port.type in SCALAR_ELEMENT)) {
      return err({ message: `"${port.name}" cannot name a port of a webgpu skill: the prelude or WGSL uses that name; rename the port` });
    }
  }
  const entryPoint = entryPointOf(skill.code);
  if (!entryPoint.ok) return entryPoint;
  const values = inputValues(skill, inputs);
  const scope = gpuScope(values);
  const params = paramsOf(skill, values);
  if (!params.ok) return params;

  const prelude = [`struct Params { ${params.value.fields.join(', ')} }`, '@group(0) @binding(0) var<uniform> params: Params;'];
  const planInputs: GpuPlan['inputs'] = [];
  for (const [i, port] of fm.inputs.entries()) {
    if (port.type !== 'array') continue;
    const data = inputData(port, i, values.get(port.name), scope);
    if (!data.ok) return data;
    const binding = planInputs.length + 1;
    planInputs.push({ name: port.name, binding, data: data.value });
    prelude.push(`@group(0) @binding(${binding}) var<storage, read> ${port.name}: array<${port.element ?? 'f32'}>;`);
  }
  const planOutputs: GpuPlan['outputs'] = [];
  for (const [i, port] of fm.outputs.entries()) {
    const length = evaluateIn(port.length ?? 0, `outputs.${i}.length`, scope, 1, MAX_BUFFER_ELEMENTS, `the length of "${port.name}"`);
    if (!length.ok) return length;
    const element = port.element ?? 'f32';
    const binding = planInputs.length + planOutputs.length + 1;
    const output: GpuPlan['outputs'][number] = { name: port.name, binding, element, length: length.value };
    if (port.shape) {
      const shape: number[] = [];
      for (const [j, dim] of port.shape.entries()) {
        const n = evaluateIn(dim, `outputs.${i}.shape.${j}`, scope, 1, MAX_BUFFER_ELEMENTS, 'a dimension');
        if (!n.ok) return n;
        shape.push(n.value);
      }
      const size = shape.reduce((a, b) => a * b, 1);
      if (size !== length.value) return err({ field: `outputs.${i}.shape`, message: `output "${port.name}": shape [${shape.join(', ')}] holds ${size} elements but its length is ${length.value}` });
      output.shape = shape;
    }
    planOutputs.push(output);
    prelude.push(`@group(0) @binding(${binding}) var<storage, read_write> ${port.name}: array<${element}>;`);
  }

  const size = gpu.workgroup_size ?? [64];
  const workgroupSize: [number, number, number] = [size[0] ?? 1, size[1] ?? 1, size[2] ?? 1];
  prelude.push(`const WG_X: u32 = ${workgroupSize[0]}u;`, `const WG_Y: u32 = ${workgroupSize[1]}u;`, `const WG_Z: u32 = ${workgroupSize[2]}u;`);
  const dispatchSource = gpu.dispatch ?? (fm.outputs[0]?.length !== undefined ? [fm.outputs[0].length] : undefined);
  if (!dispatchSource) return err({ field: 'gpu.dispatch', message: 'gpu.dispatch is needed: with no outputs there is no length to dispatch over' });
  const workgroups: [number, number, number] = [1, 1, 1];
  for (const [j, dim] of dispatchSource.entries()) {
    const field = gpu.dispatch ? `gpu.dispatch.${j}` : 'outputs.0.length';
    const n = evaluateIn(dim, field, scope, 0, MAX_WORKGROUPS * 1024, 'the invocations in a dimension');
    if (!n.ok) return n;
    workgroups[j] = Math.ceil(n.value / workgroupSize[j]!);
    if (workgroups[j] > MAX_WORKGROUPS) {
      return err({ field, message: `${field} (${dim}) is ${n.value}: ${workgroups[j]} workgroups of ${workgroupSize[j]}, over WebGPU's ${MAX_WORKGROUPS} per dimension; raise gpu.workgroup_size or spread the dispatch over more dimensions` });
    }
  }
  const steps = gpu.steps === undefined ? ok(1) : evaluateIn(gpu.steps, 'gpu.steps', scope, 1, MAX_STEPS, 'the steps');
  if (!steps.ok) return steps;

  const feedback: GpuPlan['feedback'] = [];
  for (const [output, input] of Object.entries(gpu.feedback ?? {})) {
    const out = planOutputs.find((o) => o.name === output);
    const inp = planInputs.find((p) => p.name === input);
    if (!out || !inp) return err({ field: `gpu.feedback.${output}`, message: `gpu.feedback: "${output}" must be an output and "${input}" an array input` });
    if (out.length !== inp.data.length) {
      return err({ field: `gpu.feedback.${output}`, message: `gpu.feedback: output "${output}" has ${out.length} elements but input "${input}" has ${inp.data.length}; the buffers are swapped each step, so they must be the same length` });
    }
    feedback.push({ output, input });
  }

  const header = '// Generated by LLMunix from the skill\'s inputs and outputs (not in the file).';
  const lines = [header, ...prelude];
  return ok({
    wgsl: `${lines.join('\n')}\n${skill.code}`,
    preludeLines: lines.length,
    codeLine: skill.codeLine,
    entryPoint: entryPoint.value,
    uniform: params.value.uniform,
    stepOffset: params.value.stepOffset,
    inputs: planInputs,
    outputs: planOutputs,
    workgroups,
    workgroupSize,
    steps: steps.value,
    feedback,
  });
}

/** A line of the planned WGSL as a line of the skill's file; lines of the prelude map to the code's first line. */
export const gpuFileLine = (plan: Pick<GpuPlan, 'preludeLines' | 'codeLine'>, wgslLine: number): number =>
  wgslLine <= plan.preludeLines ? plan.codeLine : wgslLine - plan.preludeLines + plan.codeLine - 1;
