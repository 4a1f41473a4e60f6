import type { Json } from '../../../shared/src/json';
import { renderNetlist, vectorNameForOutput } from '../../../shared/src/skill/ngspice';
import type { Skill } from '../../../shared/src/skill/parse';
import { SkillRunError, type RunRequest, type RunResult, type Runtime } from '../../../shared/src/execution/types';
import type { SpiceAnswer, SpiceJob } from './ngspice-worker';
import { WorkerPool } from './worker-pool';

/** ngspice lines that mean the run failed (the rest are notes, e.g. "Note: v1: has no value"). */
const isError = (line: string) => /\berror\b/i.test(line);

/** "in line no. 4 from file test.cir" → the skill file's line, where the author can fix it. */
const mapLines = (text: string, skill: Skill) =>
  text.replace(/line no\. (\d+) from file \S+/g, (_, n: string) => `line ${skill.codeLine + Number(n) - 1} of ${skill.file}`);

/**
 * The outputs of a run: each declared output reads the vector `vectorNameForOutput(name)`. A
 * `number` output takes the vector's single value (after `.op`); any other type takes the
 * whole vector, complex values as [re, im] pairs.
 */
export function spiceOutputs(skill: Skill, answer: SpiceAnswer): Record<string, Json> {
  const outputs: Record<string, Json> = {};
  const names = answer.vectors.map((v) => v.name).join(', ');
  for (const port of skill.frontmatter.outputs) {
    const vectorName = vectorNameForOutput(port.name);
    const vector = answer.vectors.find((v) => v.name.toLowerCase() === vectorName);
    if (!vector) {
      throw new SkillRunError(
        `output "${port.name}" reads the vector ${vectorName}, which the simulation did not produce (it produced: ${names || 'nothing'})`,
      );
    }
    const values: Json[] = (vector.values as Array<number | { real: number; img: number }>).map((v) =>
      typeof v === 'number' ? v : [v.real, v.img],
    );
    if (port.type === 'number' || port.type === 'integer') {
      if (values.length !== 1 || typeof values[0] !== 'number') {
        throw new SkillRunError(
          `output "${port.name}" is declared ${port.type}, but ${vectorName} has ${values.length} ${answer.dataType} value(s); a single value comes from .op, declare a sweep's output as array`,
        );
      }
      outputs[port.name] = values[0];
    } else outputs[port.name] = values;
  }
  return outputs;
}

/**
 * ngspice skills: the netlist template gets the inputs (`renderNetlist`) and runs in
 * eecircuit-engine in a worker thread, started on first use and kept warm; runs take turns.
 */
export class NgspiceRuntime implements Runtime {
  private readonly pool = new WorkerPool<SpiceJob, SpiceAnswer>({
    name: 'ngspice',
    entry: new URL('./ngspice-worker.ts', import.meta.url),
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
    // eecircuit-engine resolves even when ngspice rejects the netlist (with the previous
    // run's vectors), so its messages decide.
    const notes = value.messages.map((m) => m.trimEnd()).filter((m) => m.trim() !== '');
    const stdout = notes.length > 0 ? `${notes.join('\n')}\n` : '';
    if (notes.some(isError)) throw new SkillRunError(`ngspice rejected the netlist:\n${mapLines(notes.join('\n'), skill)}`, stdout);
    return { outputs: spiceOutputs(skill, value), stdout };
  }

  warm(): Promise<void> {
    return this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
