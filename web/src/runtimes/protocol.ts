import type { RunReply } from '../../../shared/src/execution/worker-protocol';
import type { Json } from '../../../shared/src/json';
import type { GpuPlan } from '../../../shared/src/execution/gpu-plan';

/**
 * Messages between a runtime's host (main thread) and its worker. One run at a time per worker;
 * `id` pairs replies with the run they belong to.
 */

/** What a worker needs of a skill: its code and where that code sits in the skill file. */
export interface WorkerSkill {
  skillId: string;
  file: string;
  code: string;
  /** 1-based file line of the code block's first line, to point errors at the skill's own lines. */
  codeLine: number;
  /** Declared output names and types (ngspice reads the vectors they name). */
  outputs: Array<{ name: string; type: string }>;
}

export interface RunMessage {
  type: 'run';
  id: number;
  skill: WorkerSkill;
  inputs: Record<string, Json>;
}

/** Withdraws a run the worker has not started yet (it was still loading its engine). */
export interface CancelMessage {
  type: 'cancel';
  id: number;
}

/** Starts loading the worker's engine before any run needs it (a workflow with such nodes opened). */
export interface PreloadMessage {
  type: 'preload';
}

/**
 * How far the worker's engine has loaded: bytes downloaded so far (and in all, when known), then
 * ready; or it failed to load (the next run tries again, and says why if it fails too).
 */
export type LoadingReply =
  | { type: 'loading'; loaded: number; total?: number; step: 'downloading' | 'starting' }
  | { type: 'ready' }
  | { type: 'load-failed' };

/** What a JavaScript skill's `gpu.compute(...)` asks for; inputs by value (typed arrays keep their element type). */
export interface GpuComputeSpec {
  code: string;
  inputs?: Record<string, unknown>;
  /** Each output's element count, or its `length`, `element` and `shape`. */
  outputs: Record<string, unknown>;
  dispatch?: unknown[];
  workgroup_size?: unknown[];
  steps?: unknown;
  feedback?: Record<string, string>;
}

/** A JavaScript skill asks the page, during run `id`, whether it has a GPU, or to run a kernel there. */
export type GpuRequest = { type: 'gpu'; id: number; call: number } & ({ op: 'available' } | { op: 'compute'; spec: GpuComputeSpec });

/** The page's answer to a `GpuRequest`. */
export type GpuAnswer = { type: 'gpu-answer'; call: number } & ({ ok: true; value: Json } | { ok: false; message: string });

/** What the worker says about a run (`shared/src/execution/worker-protocol.ts`), about its engine, or asks of the page. */
export type WorkerReply = RunReply<Record<string, Json>> | LoadingReply | GpuRequest;

/** A `webgpu` skill's run: its kernel planned on the page (`planGpuRun`), ready for the device. */
export interface WebGpuRunMessage extends RunMessage {
  plan: GpuPlan;
}
