import type { Json } from '../json';
import type { PortType } from '../skill/schema';
import { kindOf, OutputError } from './json-outputs';

/** A declared output, as runtimes see it. */
export interface DeclaredOutput {
  name: string;
  type: PortType | string;
}

/** Whether a JSON value fits a port type (EXEC-3); `integer` fits `number` ports, `any` takes all. */
export function fitsPortType(value: Json, type: PortType | string): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return true;
  }
}

/** A value in a message: its kind and, when short, the value itself. */
function describeValue(value: Json): string {
  const kind = kindOf(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${kind} (${String(value)})`;
  if (typeof value === 'string') return `${kind} (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)})`;
  return kind;
}

/** The outputs a run keeps, and a note for its stdout about what it left out. */
export interface CheckedOutputs {
  outputs: Record<string, Json>;
  /** Names the undeclared outputs that were dropped; empty when there were none. */
  note: string;
}

/**
 * The output contract every runtime applies to a run's JSON outputs: each declared output must
 * be there (EXEC-2) with a value of its declared type (EXEC-3); outputs the skill does not
 * declare are dropped and named in a note on stdout (EXEC-2), since nothing can connect to them.
 */
export function checkOutputs(declared: readonly DeclaredOutput[], outputs: Record<string, Json>): CheckedOutputs {
  const missing = declared.filter((p) => !Object.hasOwn(outputs, p.name)).map((p) => `"${p.name}"`);
  if (missing.length > 0) {
    const returned = Object.keys(outputs).map((k) => `"${k}"`).join(', ') || 'nothing';
    throw new OutputError(`the skill returned no ${missing.join(', ')} (declared in its outputs); it returned ${returned}`);
  }
  const kept: Record<string, Json> = {};
  for (const port of declared) {
    const value = outputs[port.name] as Json;
    if (!fitsPortType(value, port.type)) {
      throw new OutputError(`output "${port.name}" is declared ${port.type}, but the skill returned ${describeValue(value)}`);
    }
    kept[port.name] = value;
  }
  const dropped = Object.keys(outputs).filter((k) => !declared.some((p) => p.name === k));
  const many = dropped.length > 1;
  const note =
    dropped.length === 0
      ? ''
      : `note: output${many ? 's' : ''} ${dropped.map((k) => `"${k}"`).join(', ')} ${many ? 'are' : 'is'} not declared and ${many ? 'were' : 'was'} left out; declare ${many ? 'them' : 'it'} in the skill's outputs to use ${many ? 'them' : 'it'}\n`;
  return { outputs: kept, note };
}
