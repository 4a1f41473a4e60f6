import type { Json } from '../json';
import { vectorNameForOutput } from '../skill/ngspice';
import { OutputError } from './json-outputs';
import type { DeclaredOutput } from './output-contract';
import { SkillRunError } from './types';

/** One simulation vector as eecircuit-engine returns it (complex after an AC analysis). */
export interface SimVector {
  name: string;
  values: ArrayLike<number | { real: number; img: number }>;
}

/** A complex value of an AC vector, the one shape every runtime gives it (EXEC-5). */
export interface Complex {
  re: number;
  im: number;
}

const plain = (v: number | { real: number; img: number }): number | Complex => (typeof v === 'number' ? v : { re: v.real, im: v.img });

/**
 * The vector an output reads: the one its name names (`v(2)`, `i(v1)`, `time`, case-insensitive),
 * else the one of its identifier form (`v_2` → `v(2)`). `sweep` and `v_sweep` (or `i_sweep`) read
 * a DC analysis's own sweep vector, which ngspice names `v(v-sweep)`, a name no port can have.
 */
function vectorFor(name: string, byName: ReadonlyMap<string, SimVector>): SimVector | undefined {
  const found = byName.get(name.toLowerCase()) ?? byName.get(vectorNameForOutput(name));
  if (found || !/^([vi]_)?sweep$/i.test(name)) return found;
  return [...byName.values()].find((v) => /-sweep\)?$/i.test(v.name));
}

/**
 * EXEC-5: the outputs of a simulation. A `number` or `integer` output takes the single real value
 * of an operating point (`.op`); a sweep or a complex value is refused for it (the last point of
 * a sweep is rarely what was meant), saying to declare `array` or simulate with `.op`. An `array`
 * or `any` output takes the whole vector, complex values as `{re, im}`. Other types are refused.
 */
export function outputsFromVectors(declared: readonly DeclaredOutput[], vectors: readonly SimVector[]): Record<string, Json> {
  const byName = new Map(vectors.map((v) => [v.name.toLowerCase(), v]));
  const produced = vectors.map((v) => v.name).join(', ') || 'nothing';
  const outputs: Record<string, Json> = {};
  for (const port of declared) {
    const vector = vectorFor(port.name, byName);
    if (!vector) {
      throw new OutputError(`output "${port.name}" reads the vector ${vectorNameForOutput(port.name)}, which the simulation did not produce (it produced: ${produced})`);
    }
    const values = Array.from(vector.values, plain);
    if (port.type === 'number' || port.type === 'integer') {
      const [only] = values;
      if (values.length !== 1) {
        throw new OutputError(
          `output "${port.name}" is declared ${port.type}, but the vector ${vector.name} has ${values.length} values (a sweep); declare it array for the whole vector, or simulate with .op for one value`,
        );
      }
      if (typeof only !== 'number') {
        throw new OutputError(`output "${port.name}" is declared ${port.type}, but the vector ${vector.name} is complex; declare it array to get [{re, im}]`);
      }
      outputs[port.name] = only;
    } else if (port.type === 'array' || port.type === 'any') {
      outputs[port.name] = values as Json[];
    } else {
      throw new OutputError(`output "${port.name}" is declared ${port.type}, but an ngspice output is a vector: declare it number (one value, after .op) or array`);
    }
  }
  return outputs;
}

/** ngspice messages that mean the run failed (the rest are notes, e.g. "Note: v1: has no value"). */
const isError = (line: string) => /\berror\b/i.test(line);

/** "in line no. 4 from file test.cir" → the skill file's line, where the author can fix it. */
const mapLines = (text: string, skill: { file: string; codeLine: number }) =>
  text.replace(/line no\. (\d+) from file \S+/g, (_, n: string) => `line ${skill.codeLine + Number(n) - 1} of ${skill.file}`);

/**
 * What a simulation printed (its stdout, EXEC-4) and, when a message is an error, the failure.
 * eecircuit-engine resolves even when ngspice rejects a netlist (with the previous run's
 * vectors), so its messages decide.
 */
export function ngspiceMessages(messages: readonly string[], skill: { file: string; codeLine: number }): { stdout: string; failure?: SkillRunError } {
  const notes = messages.map((m) => m.trimEnd()).filter((m) => m.trim() !== '');
  const stdout = notes.length > 0 ? `${notes.join('\n')}\n` : '';
  if (!notes.some(isError)) return { stdout };
  return { stdout, failure: new SkillRunError(`ngspice rejected the netlist:\n${mapLines(notes.join('\n'), skill)}`, stdout) };
}
