import type { Json } from '../../../shared/src/json';
import { vectorNameForOutput } from '../../../shared/src/skill/ngspice';

/** One simulation vector as eecircuit-engine returns it (complex for AC analyses). */
export interface SimVector {
  name: string;
  values: Array<number | { real: number; img: number }>;
}

/** The declared outputs a simulation's vectors do not provide. */
export class MissingVectorError extends Error {
  override name = 'MissingVectorError';
}

const plain = (v: SimVector['values'][number]): Json => (typeof v === 'number' ? v : { re: v.real, im: v.img });

/**
 * The ngspice skill convention: each output reads the vector `vectorNameForOutput(name)`
 * (`v_out` → `v(out)`). A `number` output takes the single value of an operating point (`.op`)
 * or the last point of a sweep; any other output gets the whole vector.
 */
export function outputsFromVectors(outputs: ReadonlyArray<{ name: string; type: string }>, vectors: readonly SimVector[]): Record<string, Json> {
  const byName = new Map(vectors.map((v) => [v.name.toLowerCase(), v]));
  const result: Record<string, Json> = {};
  const missing: string[] = [];
  for (const port of outputs) {
    const vector = byName.get(vectorNameForOutput(port.name));
    if (!vector) {
      missing.push(`${port.name} (vector ${vectorNameForOutput(port.name)})`);
      continue;
    }
    const values = vector.values.map(plain);
    result[port.name] = port.type === 'number' || port.type === 'integer' ? (values.at(-1) ?? null) : values;
  }
  if (missing.length > 0) {
    const available = vectors.map((v) => v.name).join(', ') || 'none';
    throw new MissingVectorError(`the simulation has no vector for output ${missing.join(', ')}; vectors: ${available}`);
  }
  return result;
}
