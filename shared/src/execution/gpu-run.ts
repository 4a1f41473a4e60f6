import type { Json } from '../json';
import { gpuFileLine, type GpuPlan } from './gpu-plan';
import { toRows } from './gpu-shape';

/** A WGSL compilation error, at a line of the skill's file. */
export class GpuCompileError extends Error {
  override name = 'GpuCompileError';
  constructor(
    /** 1-based line of the skill's file. */
    readonly line: number,
    message: string,
    /** Every error message, each at its file line. */
    readonly messages: Array<{ line: number; message: string }> = [{ line, message }],
  ) {
    super(message);
  }
}

// BufferUsage and MapMode are globals only where WebGPU exists; their values are fixed by the spec.
const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_READ_MODE = 0x1;
const COMPUTE_STAGE = 0x4;

const byteSize = (elements: number): number => Math.max(4, elements * 4);

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('the run was cancelled');
}

/** Compiles the plan's WGSL; compilation errors are thrown at the skill's own lines. */
async function compile(device: GPUDevice, plan: GpuPlan): Promise<GPUShaderModule> {
  const module = device.createShaderModule({ code: plan.wgsl });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length === 0) return module;
  const messages = errors.map((m) => {
    const inPrelude = m.lineNum > 0 && m.lineNum <= plan.preludeLines;
    return { line: gpuFileLine(plan, Math.max(1, m.lineNum)), message: inPrelude ? `${m.message} (in the generated prelude: check the port names)` : m.message };
  });
  const first = messages[0] as { line: number; message: string };
  throw new GpuCompileError(first.line, `WGSL: ${first.message}`, messages);
}

/**
 * Runs a planned webgpu kernel: makes its buffers, dispatches it `plan.steps` times (writing the
 * step index into `params.step`, swapping each feedback output into its input between steps)
 * and reads the outputs back as arrays, shaped as rows where they have a `shape`.
 */
export async function runGpuPlan(device: GPUDevice, plan: GpuPlan, signal: AbortSignal): Promise<Record<string, Json>> {
  throwIfAborted(signal);
  const module = await compile(device, plan);
  // An explicit layout: 'auto' would leave out the bindings a kernel does not use (often params).
  const layout = device.createBindGroupLayout({
    entries: [
      { binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'uniform' } },
      ...plan.inputs.map((i) => ({ binding: i.binding, visibility: COMPUTE_STAGE, buffer: { type: 'read-only-storage' as const } })),
      ...plan.outputs.map((o) => ({ binding: o.binding, visibility: COMPUTE_STAGE, buffer: { type: 'storage' as const } })),
    ],
  });
  const made: GPUBuffer[] = [];
  const buffer = (size: number, usage: number): GPUBuffer => {
    const b = device.createBuffer({ size, usage });
    made.push(b);
    return b;
  };
  // Validation errors are otherwise silent (a dispatch that does nothing): catch them as the run's.
  device.pushErrorScope('validation');
  let scoped = true;
  try {
    const pipeline = await device.createComputePipelineAsync({ layout: device.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module, entryPoint: plan.entryPoint } });
    const uniform = buffer(plan.uniform.byteLength, USAGE.UNIFORM | USAGE.COPY_DST);
    const storage = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
    const bound = new Map<string, GPUBuffer>();
    for (const input of plan.inputs) {
      const b = buffer(byteSize(input.data.length), storage);
      device.queue.writeBuffer(b, 0, input.data.buffer, input.data.byteOffset, input.data.byteLength);
      bound.set(input.name, b);
    }
    for (const output of plan.outputs) bound.set(output.name, buffer(byteSize(output.length), storage));
    const bindings = [{ binding: 0, name: '' }, ...plan.inputs, ...plan.outputs];
    const params = new Uint8Array(plan.uniform.slice(0));
    const stepView = new DataView(params.buffer);

    for (let step = 0; step < plan.steps; step++) {
      throwIfAborted(signal);
      stepView.setUint32(plan.stepOffset, step, true);
      device.queue.writeBuffer(uniform, 0, params);
      const group = device.createBindGroup({
        layout,
        entries: bindings.map((b) => ({ binding: b.binding, resource: { buffer: b.binding === 0 ? uniform : (bound.get(b.name) as GPUBuffer) } })),
      });
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(...plan.workgroups);
      pass.end();
      device.queue.submit([encoder.finish()]);
      if (step + 1 < plan.steps) {
        for (const { output, input } of plan.feedback) {
          const out = bound.get(output) as GPUBuffer;
          bound.set(output, bound.get(input) as GPUBuffer);
          bound.set(input, out);
        }
      }
      // Yield now and then so a cancel is seen during a long run of steps.
      if (step % 64 === 63) await device.queue.onSubmittedWorkDone();
    }

    throwIfAborted(signal);
    const encoder = device.createCommandEncoder();
    const staged = plan.outputs.map((output) => {
      const read = buffer(byteSize(output.length), USAGE.MAP_READ | USAGE.COPY_DST);
      encoder.copyBufferToBuffer(bound.get(output.name) as GPUBuffer, 0, read, 0, byteSize(output.length));
      return { output, read };
    });
    device.queue.submit([encoder.finish()]);
    scoped = false;
    const invalid = await device.popErrorScope();
    if (invalid) throw new Error(`WebGPU refused the kernel's setup: ${invalid.message}`);
    const result: Record<string, Json> = {};
    for (const { output, read } of staged) {
      await read.mapAsync(MAP_READ_MODE);
      const bytes = read.getMappedRange().slice(0, output.length * 4);
      read.unmap();
      const values = output.element === 'f32' ? new Float32Array(bytes) : output.element === 'i32' ? new Int32Array(bytes) : new Uint32Array(bytes);
      result[output.name] = toRows(Array.from(values, (v) => (Number.isFinite(v) ? v : null)) as Json, output.shape);
    }
    return result;
  } finally {
    if (scoped) void device.popErrorScope().catch(() => undefined);
    for (const b of made) b.destroy();
  }
}
