/**
 * The WebGPU runtime's worker: runs a planned `webgpu` skill (its WGSL kernel with the generated
 * prelude, buffers and dispatches, `shared/src/execution/gpu-plan.ts`) on this worker's one GPU
 * device, kept while the worker is warm. The host terminates the worker on cancel and at the
 * time limit, which destroys the device; the next run starts a fresh worker and device.
 */
import { GpuCompileError, runGpuPlan } from '../../../shared/src/execution/gpu-run';
import { lockDownGlobals, lockDownMessaging } from './sandbox';
import { gpuDevice, lostReason } from './gpu-device';
import type { WebGpuRunMessage } from './protocol';
import { post, serveRuns, startRun } from './worker-runs';

lockDownGlobals();

/** Each WGSL error at its line of the skill's file, with the line itself, as other runtimes show theirs. */
function compileFailure(message: WebGpuRunMessage, error: GpuCompileError): string {
  const { file, code, codeLine } = message.skill;
  const lines = code.split('\n');
  return error.messages
    .map(({ line, message: text }) => {
      const source = lines[line - codeLine];
      return `${file}:${line}\n${source !== undefined ? `${source}\n` : ''}WGSL: ${text}`;
    })
    .join('\n');
}

serveRuns(async (message: WebGpuRunMessage) => {
  const { id } = message;
  if (!startRun(id)) return;
  let device: GPUDevice | undefined;
  try {
    device = await gpuDevice();
    // Never aborted here: the host stops a run by terminating this worker.
    const result = await runGpuPlan(device, message.plan, new AbortController().signal);
    post({ type: 'done', id, result, stdout: '' });
  } catch (e) {
    const lost = device && (await lostReason(device));
    if (lost) post({ type: 'failed', id, kind: 'runtime', message: lost, stdout: '' });
    else if (e instanceof GpuCompileError) post({ type: 'failed', id, kind: 'skill', message: compileFailure(message, e), stdout: '' });
    else post({ type: 'failed', id, kind: 'skill', message: e instanceof Error ? e.message : String(e), stdout: '' });
  }
});
lockDownMessaging();
