import type { Json } from '../json';
import { inputDefault, isRequiredInput, type PortType } from './ports';
import type { InputPort, OutputPort } from './schema';

/**
 * A skill's typed ports as JSON Schema, the form other assistants (MCP tools) are told what to
 * pass and what comes back in. Pure: no DOM, no Node.
 */

/** One property's schema. */
export type JsonSchema = { [key: string]: Json };

/** An object of named properties, none but those (what a tool's `inputSchema`/`outputSchema` is). */
export interface ObjectSchema {
  [key: string]: Json | undefined;
  type: 'object';
  properties: Record<string, Json>;
  required?: string[];
  additionalProperties: false;
}

/** The JSON Schema type of a port type; `any` has none, so every value fits. */
export const portTypeSchema = (type: PortType): JsonSchema => (type === 'any' ? {} : { type });

/** A value as JSON, or undefined when it is none (a YAML default that JSON cannot carry). */
function asJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(value)) as Json;
  } catch {
    return undefined;
  }
}

/** An input port's property: its type, its default when it has one, its description when given (or `description` instead). */
export function inputPortSchema(port: InputPort, options: { default?: unknown; description?: string } = {}): JsonSchema {
  const value = asJson('default' in options ? options.default : inputDefault(port));
  const description = options.description ?? port.description;
  return {
    ...portTypeSchema(port.type),
    ...(value === undefined ? {} : { default: value }),
    ...(description ? { description } : {}),
  };
}

/** An output port's property: its type and description. */
export function outputPortSchema(port: OutputPort, description = port.description): JsonSchema {
  return { ...portTypeSchema(port.type), ...(description ? { description } : {}) };
}

/** An object schema of the given properties, `required` listed only when some are. */
export function objectSchema(properties: Record<string, JsonSchema>, required: readonly string[]): ObjectSchema {
  return { type: 'object', properties, ...(required.length > 0 ? { required: [...required] } : {}), additionalProperties: false };
}

/** A skill's inputs as one object schema: required only where the port has no default and does not say `required: false`. */
export const inputsSchema = (ports: readonly InputPort[]): ObjectSchema =>
  objectSchema(
    Object.fromEntries(ports.map((p) => [p.name, inputPortSchema(p)])),
    ports.filter(isRequiredInput).map((p) => p.name),
  );

/** A skill's outputs as one object schema, every output required (a run that succeeds gives them all). */
export const outputsSchema = (ports: readonly OutputPort[]): ObjectSchema =>
  objectSchema(
    Object.fromEntries(ports.map((p) => [p.name, outputPortSchema(p)])),
    ports.map((p) => p.name),
  );
