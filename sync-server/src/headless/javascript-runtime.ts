import type { Json } from '../../../shared/src/json';
import type { RunRequest, RunResult, Runtime } from '../../../shared/src/execution/types';
import type { SandboxAnswer, SandboxJob } from './sandbox-worker';
import { WorkerPool } from './worker-pool';

/** The JavaScript-sandbox runtimes: `javascript` and `threejs` skills differ in how the code is called. */
export class SandboxRuntime implements Runtime {
  private readonly pool: WorkerPool<SandboxJob, SandboxAnswer>;

  /** `workers`: how many runs may go at once (the executor runs independent nodes in parallel). */
  constructor(
    private readonly kind: SandboxJob['kind'],
    workers: number,
  ) {
    this.pool = new WorkerPool({ name: kind === 'javascript' ? 'JavaScript' : 'Three.js', entry: 'sandbox-worker', size: workers });
  }

  async run({ skill, inputs, signal, onStdout, onStart }: RunRequest): Promise<RunResult> {
    const job: SandboxJob = { kind: this.kind, code: skill.code, file: skill.file, codeLine: skill.codeLine, inputsJson: JSON.stringify(inputs), outputs: skill.frontmatter.outputs };
    const { value, stdout } = await this.pool.run(job, signal, onStdout, onStart);
    return { outputs: value as Record<string, Json>, stdout };
  }

  warm(): Promise<void> {
    return this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * JavaScript skills, each run in a fresh node:vm context inside a worker thread: `execute(inputs)`
 * (may be async) returns the outputs; `console` is the node's stdout; there is no DOM, no
 * network (`fetch` and friends fail saying so) and no Node API. A timeout or cancel
 * terminates the worker, which stops even `while (true) {}`.
 */
export const javascriptRuntime = (workers = 4): SandboxRuntime => new SandboxRuntime('javascript', workers);
