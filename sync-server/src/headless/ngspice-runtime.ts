import { ngspiceMessages, outputsFromVectors } from '../../../shared/src/execution/ngspice-vectors';
import { renderNetlist } from '../../../shared/src/skill/ngspice';
import { SkillRunError, type RunRequest, type RunResult, type Runtime } from '../../../shared/src/execution/types';
import type { SpiceAnswer, SpiceJob } from './ngspice-worker';
import { WorkerPool } from './worker-pool';

/**
 * ngspice skills: the netlist template gets the inputs (`renderNetlist`) and runs in
 * eecircuit-engine in a worker thread, started on first use and kept warm; runs take turns.
 */
export class NgspiceRuntime implements Runtime {
  private readonly pool = new WorkerPool<SpiceJob, SpiceAnswer>({
    name: 'ngspice',
    entry: 'ngspice-worker',
    size: 1,
  });

  async run({ skill, inputs, signal, onStart }: RunRequest): Promise<RunResult> {
    let netlist: string;
    try {
      netlist = renderNetlist(skill.code, inputs);
    } catch (e) {
      throw new SkillRunError((e as Error).message);
    }
    const { value } = await this.pool.run({ netlist }, signal, undefined, onStart);
    const { stdout, failure } = ngspiceMessages(value.messages, skill);
    if (failure) throw failure;
    try {
      return { outputs: outputsFromVectors(skill.frontmatter.outputs, value.vectors), stdout };
    } catch (e) {
      throw new SkillRunError((e as Error).message, stdout);
    }
  }

  warm(): Promise<void> {
    return this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
