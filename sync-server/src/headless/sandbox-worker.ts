// Worker thread of the JavaScript and Three.js runtimes: each run in a fresh node:vm context.
import vm from 'node:vm';
import type * as ThreeModule from 'three';
import { SkillRunError } from '../../../shared/src/execution/types';
import { closeHostRealm, createSandbox, OutputError, toJsonOutputs } from './sandbox';
import { createStage, describeStage } from './threejs-stage';
import { serve } from './worker-serve';

export interface SandboxJob {
  kind: 'javascript' | 'threejs';
  code: string;
  /** The skill file and its code block's first line: stack traces then name the file's lines. */
  file: string;
  codeLine: number;
  inputsJson: string;
}

export type SandboxAnswer = Record<string, unknown>;

/** The skill's error as its author wants it: the message and the frames in the skill file. */
function skillError(e: unknown, file: string): SkillRunError {
  if (e instanceof SkillRunError) return e;
  if (e instanceof OutputError) return new SkillRunError(e.message);
  if (e === null || typeof e !== 'object') return new SkillRunError(`Uncaught ${JSON.stringify(e) ?? String(e)}`);
  const { name = 'Error', message = String(e), stack = '' } = e as { name?: string; message?: string; stack?: string };
  const lines = String(stack).split('\n');
  const frames = lines.filter((l) => /^\s+at /.test(l) && l.includes(file));
  // A syntax error has no frames: its stack starts with "file:line" and the offending code.
  const where = name === 'SyntaxError' && lines[0]?.startsWith(file) ? `${lines[0]}\n${lines[1] ?? ''}\n` : '';
  return new SkillRunError([`${where}${name}: ${message}`, ...frames].join('\n'));
}

type Body = (...args: unknown[]) => Promise<unknown>;

serve<SandboxJob, SandboxAnswer, typeof ThreeModule>(
  async () => {
    // Loaded before the realm is closed: loading a module may need what skills may not have.
    const three = await import('three');
    closeHostRealm();
    return three;
  },
  async (job, THREE, out) => {
    const sandbox = createSandbox((text) => out.write(text));
    const { context } = sandbox;
    try {
      const inputs = (vm.runInContext('JSON.parse', context) as (s: string) => unknown)(job.inputsJson);
      if (job.kind === 'javascript') {
        new vm.Script(job.code, { filename: job.file, lineOffset: job.codeLine - 1 }).runInContext(context);
        const execute = vm.runInContext('typeof execute === "function" ? execute : undefined', context) as Body | undefined;
        if (!execute) throw new SkillRunError('the skill defines no function execute(inputs)');
        return toJsonOutputs(await execute(inputs), 'execute(inputs)');
      }
      const stage = createStage(THREE);
      // The code is a function body (it may `return` and `await`); the wrapper takes one line.
      const source = `(async function (THREE, scene, camera, renderer, inputs) {\n${job.code}\n})`;
      const body = new vm.Script(source, { filename: job.file, lineOffset: job.codeLine - 2 }).runInContext(context) as Body;
      const result = await body(THREE, stage.scene, stage.camera, stage.renderer, inputs);
      out.write(describeStage(stage));
      return toJsonOutputs(result ?? {}, 'a three.js skill');
    } catch (e) {
      throw skillError(e, job.file);
    } finally {
      sandbox.dispose();
    }
  },
);
