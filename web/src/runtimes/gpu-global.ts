import type { Json } from '../../../shared/src/json';
import type { GpuAnswer, GpuComputeSpec, GpuRequest } from './protocol';
import { currentRun, post } from './worker-runs';

/** A `gpu.*` call the page refused: no adapter, a bad spec, a WGSL error, a lost device. */
class GpuError extends Error {
  override name = 'GpuError';
}

const waiting = new Map<number, { resolve: (value: Json) => void; reject: (error: Error) => void }>();
let nextCall = 1;

type Ask = { op: 'available' } | { op: 'compute'; spec: GpuComputeSpec };

/** Asks the page (which owns the WebGPU worker) for the run now in this worker. */
function ask(what: Ask): Promise<Json> {
  const id = currentRun();
  if (id === undefined) return Promise.reject(new GpuError('gpu is only available while execute(inputs) runs'));
  const call = nextCall++;
  return new Promise<Json>((resolve, reject) => {
    waiting.set(call, { resolve, reject });
    try {
      post({ type: 'gpu', id, call, ...what } as GpuRequest);
    } catch (e) {
      waiting.delete(call);
      reject(new GpuError(`gpu.compute takes plain data (numbers, arrays, typed arrays, strings): ${(e as Error).message}`));
    }
  });
}

/**
 * Installs `gpu` for JavaScript skills: `gpu.compute({ code, inputs, outputs, dispatch,
 * workgroup_size, steps, feedback })` runs a WGSL kernel as a webgpu skill's (the same fields)
 * on the page's WebGPU worker and resolves to its outputs as arrays; `gpu.available()` resolves
 * to whether there is an adapter. The page runs the kernels, on its one device: this sandbox's
 * policy allows no `import()`, and skills that never call `gpu` load none of the WebGPU code.
 * Call before the messaging lock-down.
 */
export function installGpu(scope: typeof globalThis = globalThis): void {
  self.addEventListener('message', (event: MessageEvent<GpuAnswer>) => {
    const answer = event.data;
    if (answer?.type !== 'gpu-answer') return;
    const pending = waiting.get(answer.call);
    waiting.delete(answer.call);
    if (answer.ok) pending?.resolve(answer.value);
    else pending?.reject(new GpuError(answer.message));
  });
  const gpu = Object.freeze({
    available: async (): Promise<boolean> => (await ask({ op: 'available' })) === true,
    compute: (spec: GpuComputeSpec): Promise<Json> => ask({ op: 'compute', spec }),
  });
  Object.defineProperty(scope, 'gpu', { value: gpu, writable: false, configurable: false, enumerable: false });
}
