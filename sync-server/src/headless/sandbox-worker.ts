// Worker thread of the JavaScript and Three.js runtimes: each run in a fresh node:vm context.
import vm from 'node:vm';
import type * as ThreeModule from 'three';
import { describeJavaScriptError, v8Frames, type ErrorLocator } from '../../../shared/src/execution/javascript-errors';
import type { Json } from '../../../shared/src/json';
import { toJsonOutputs } from '../../../shared/src/execution/json-outputs';
import { drawSceneDescriptions } from '../../../shared/src/execution/scene-description';
import { passSceneOn, receiveScene } from '../../../shared/src/execution/scene-handoff';
import { EXECUTE_FORM_TAIL, THREEJS_PARAMS } from '../../../shared/src/execution/threejs-scene';
import { SkillRunError } from '../../../shared/src/execution/types';
import { closeHostRealm, createSandbox } from './sandbox';
import { createStage, describeStage } from './threejs-stage';
import { serve } from './worker-serve';

export interface SandboxJob {
  kind: 'javascript' | 'threejs';
  code: string;
  /** The skill file and its code block's first line: stack traces then name the file's lines. */
  file: string;
  codeLine: number;
  inputsJson: string;
  /** The skill's declared outputs: a Three.js skill declaring `scene` passes its scene on (EXEC-12). */
  outputs: Array<{ name: string }>;
}

export type SandboxAnswer = Record<string, unknown>;

/**
 * Where a headless skill's error is (EXEC-7): node:vm compiles the code under the skill file's
 * name and lines, so frames read `file:line:col` and a syntax error's stack starts `file:line`.
 */
function headlessLocator({ file, code, codeLine }: SandboxJob): ErrorLocator {
  const name = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const last = codeLine + code.split('\n').length - 1;
  return {
    // Lines past the code are the runtime's own (the Three.js tail that calls execute).
    frames: (stack) => v8Frames(stack, `${name}:(\\d+):(\\d+)`, (line) => (line >= codeLine && line <= last ? line : undefined)),
    syntaxLine: ({ stack }) => {
      const m = new RegExp(`^${name}:(\\d+)`).exec(stack);
      return m ? Number(m[1]) : undefined;
    },
  };
}

type Body = (...args: unknown[]) => Promise<unknown>;

/**
 * The browser's `gpu` global for JavaScript skills, as it is where there is no adapter: Node has
 * no WebGPU here, so `gpu.available()` is false and `gpu.compute` throws an error a skill can
 * catch to compute on the CPU (made in the skill's realm, so `instanceof Error` holds there).
 */
const NO_GPU = new vm.Script(`(() => {
  class GpuError extends Error { constructor(message) { super(message); this.name = 'GpuError'; } }
  const why = 'no WebGPU in Node here: gpu.compute runs kernels in a browser with WebGPU; check gpu.available() and compute on the CPU when it is false';
  Object.defineProperty(globalThis, 'gpu', { value: Object.freeze({ available: async () => false, compute: async () => { throw new GpuError(why); } }) });
})();`);

serve<SandboxJob, SandboxAnswer, typeof ThreeModule>(
  async () => {
    // Loaded before the realm is closed: loading a module may need what skills may not have.
    const three = await import('three');
    closeHostRealm();
    return three;
  },
  async (job, THREE, out, start) => {
    start();
    const sandbox = createSandbox((text) => out.write(text));
    const { context } = sandbox;
    try {
      const inputs = (vm.runInContext('JSON.parse', context) as (s: string) => unknown)(job.inputsJson);
      if (job.kind === 'javascript') {
        NO_GPU.runInContext(context);
        new vm.Script(job.code, { filename: job.file, lineOffset: job.codeLine - 1 }).runInContext(context);
        const execute = vm.runInContext('typeof execute === "function" ? execute : undefined', context) as Body | undefined;
        if (!execute) throw new SkillRunError('the skill defines no function execute(inputs)');
        return toJsonOutputs(await execute(inputs), 'execute(inputs)');
      }
      const stage = createStage(THREE);
      receiveScene(THREE, stage, inputs as Record<string, Json>);
      // The code is a function body (it may `return` and `await`); the wrapper takes one line.
      const source = `(async function (${THREEJS_PARAMS.join(', ')}) {\n${job.code}${EXECUTE_FORM_TAIL}\n})`;
      const body = new vm.Script(source, { filename: job.file, lineOffset: job.codeLine - 2 }).runInContext(context) as Body;
      const outputs = toJsonOutputs((await body(THREE, stage.scene, stage.camera, stage.renderer, inputs)) ?? {}, 'a three.js skill');
      const drawn = drawSceneDescriptions(THREE, stage, outputs);
      passSceneOn(outputs, job.outputs, stage);
      out.write(describeStage(stage, drawn));
      return outputs;
    } catch (e) {
      throw new SkillRunError(describeJavaScriptError(e, job, headlessLocator(job)));
    } finally {
      sandbox.dispose();
    }
  },
);
