/**
 * The WebGPU worker's one device, requested on first use and kept while the worker lives. A
 * lost device is forgotten, so the next run requests a fresh one.
 */

let current: Promise<GPUDevice> | null = null;
const lost = new WeakMap<GPUDevice, string>();

async function requestDevice(): Promise<GPUDevice> {
  // The page found an adapter before it sent the run; this worker may still find none.
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) throw new Error('the WebGPU worker found no adapter, though the page had one; run the node again');
  const device = await adapter.requestDevice();
  void device.lost.then((info) => {
    lost.set(device, `the GPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : 'reason unknown'}${info.message ? `: ${info.message}` : ''}); run the node again for a fresh device`);
    current = null;
  });
  return device;
}

/** This worker's device, requested the first time. */
export function gpuDevice(): Promise<GPUDevice> {
  current ??= requestDevice().catch((e: unknown) => {
    current = null;
    throw e;
  });
  return current;
}

/**
 * Why the device was lost, if it was; called after a run failed, so it waits a moment for
 * `device.lost`, which may settle just after the failure it caused.
 */
export async function lostReason(device: GPUDevice): Promise<string | undefined> {
  await Promise.race([device.lost, new Promise((resolve) => setTimeout(resolve, 100))]);
  return lost.get(device);
}
