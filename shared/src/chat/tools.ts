import type { Json } from '../json';
import { err, ok, type Result } from '../result';
import type { SkillType } from '../skill/schema';

/**
 * The assistant's tools, defined once: the server offers them to the model (sync-server/src/chat),
 * the PWA reads each call against the same schema and carries it out on the shared documents
 * (web/src/chat). Each tool's input type is derived from its schema, so the two cannot drift.
 */

/** The part of JSON Schema the tools use for a property. */
type PropertySchema =
  | { readonly type: 'string'; readonly enum?: readonly string[]; readonly description?: string }
  | { readonly type: 'number'; readonly description?: string }
  | { readonly type: 'object'; readonly description?: string }
  | { readonly type: 'array'; readonly items: { readonly type: 'object' | 'string' }; readonly description?: string }
  /** Any JSON value. */
  | { readonly description?: string; readonly type?: undefined };

interface ToolSpec {
  readonly description: string;
  readonly input_schema: { readonly type: 'object'; readonly properties: Readonly<Record<string, PropertySchema>>; readonly required: readonly string[] };
}

const SAVABLE_TYPES = ['python', 'javascript', 'threejs', 'ngspice', 'webgpu'] as const satisfies readonly SkillType[];

const TOOLS = {
  add_node: {
    description: 'Add a node for a skill to the open workflow. Returns the new node id.',
    input_schema: {
      type: 'object',
      properties: {
        skill_id: { type: 'string', description: 'The skill_id of a skill the person can read.' },
        label: { type: 'string' },
        x: { type: 'number' },
        y: { type: 'number' },
        inputs: { type: 'object', description: 'Literal values for inputs, by input name.' },
      },
      required: ['skill_id'],
    },
  },
  connect_ports: {
    description: "Connect one node's output to another node's input; types must match.",
    input_schema: {
      type: 'object',
      properties: { source_node: { type: 'string' }, output: { type: 'string' }, target_node: { type: 'string' }, input: { type: 'string' } },
      required: ['source_node', 'output', 'target_node', 'input'],
    },
  },
  set_input: {
    description: 'Set a literal value for an unconnected input of a node.',
    input_schema: {
      type: 'object',
      properties: { node_id: { type: 'string' }, input: { type: 'string' }, value: {} },
      required: ['node_id', 'input', 'value'],
    },
  },
  run_workflow: {
    description: 'Run the open workflow (or one node and what it needs) and return outputs or errors.',
    input_schema: { type: 'object', properties: { node_id: { type: 'string' } }, required: [] },
  },
  save_skill: {
    description: "Save code as a new skill in the person's own volume (type webgpu: WGSL compute code, array ports with length, an optional JavaScript fallback).",
    input_schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        skill_id: { type: 'string' },
        type: { type: 'string', enum: SAVABLE_TYPES },
        description: { type: 'string' },
        code: { type: 'string' },
        inputs: { type: 'array', items: { type: 'object' } },
        outputs: { type: 'array', items: { type: 'object' } },
        gpu: { type: 'object', description: 'webgpu skills only: { dispatch, workgroup_size, steps, feedback } (see the README).' },
        fallback: { type: 'string', description: 'webgpu skills only: JavaScript with function execute(inputs), run where there is no WebGPU.' },
      },
      required: ['name', 'type', 'code'],
    },
  },
  make_compound_skill: {
    description:
      "Make a compound skill of some nodes of the open workflow and put one node of it in their place, edges rewired: edges entering them become its inputs, edges leaving them its outputs. Saved in the person's own volume; one undo step for them.",
    input_schema: {
      type: 'object',
      properties: {
        node_ids: { type: 'array', items: { type: 'string' }, description: 'The ids of the nodes that become the skill.' },
        name: { type: 'string' },
        skill_id: { type: 'string', description: 'Made from the name when not given.' },
        description: { type: 'string' },
        promote: { type: 'array', items: { type: 'object' }, description: 'Inner literal inputs to make inputs of the skill, their values as defaults: [{ "node": node id, "port": input name }].' },
      },
      required: ['node_ids', 'name'],
    },
  },
  read_skill: {
    description:
      "Read a skill's whole file (frontmatter and body: its instructions, code and the files it mentions). The prompt lists every skill by name and description only; read one when it looks relevant before relying on it.",
    input_schema: {
      type: 'object',
      properties: { skill_id: { type: 'string', description: 'The skill_id from the list of skills.' } },
      required: ['skill_id'],
    },
  },
  read_skill_file: {
    description: "Read one file kept with a skill (for example scripts/extract.py or references/api.md), by its path inside the skill's folder.",
    input_schema: {
      type: 'object',
      properties: {
        skill_id: { type: 'string', description: 'The skill_id from the list of skills.' },
        path: { type: 'string', description: "The file's path inside the skill's folder, as the skill's body names it." },
      },
      required: ['skill_id', 'path'],
    },
  },
  list_skill_suggestions: {
    description:
      "List the compound skills suggested from the person's recent runs (chains of nodes that ran together in at least 3 successful runs of the last 7 days): each with its name, inner skill ids, support (runs), workflows, ports. Use it when asked what could become a skill.",
    input_schema: { type: 'object', properties: {}, required: [] },
  },
} as const satisfies Record<string, ToolSpec>;

/**
 * The tools the server answers itself, within the same chat request: reading skills needs the
 * caller's identity and every volume it may read, which the server has and the app may not.
 */
const SERVER_TOOL_NAMES = ['read_skill', 'read_skill_file'] as const satisfies ReadonlyArray<keyof typeof TOOLS>;

/** The name of a tool the server answers itself. */
export type ServerToolName = (typeof SERVER_TOOL_NAMES)[number];

/** Tells whether the server answers this tool itself (the app carries out the others). */
export const isServerTool = (name: string): name is ServerToolName => (SERVER_TOOL_NAMES as readonly string[]).includes(name);

/** The name of one of the assistant's tools. */
export type ChatToolName = keyof typeof TOOLS;

type ValueOf<P> = P extends { enum: readonly (infer E)[] }
  ? E
  : P extends { type: 'string' }
    ? string
    : P extends { type: 'number' }
      ? number
      : P extends { type: 'object' }
        ? Record<string, Json>
        : P extends { type: 'array'; items: { type: 'string' } }
          ? string[]
          : P extends { type: 'array' }
            ? Array<Record<string, Json>>
            : Json;

type InputOf<S extends ToolSpec['input_schema']> = { [K in S['required'][number]]: ValueOf<S['properties'][K]> } & {
  [K in Exclude<keyof S['properties'], S['required'][number]>]?: ValueOf<S['properties'][K]>;
};

/** The input of tool `N`, as its schema describes it. */
export type ChatToolInput<N extends ChatToolName> = InputOf<(typeof TOOLS)[N]['input_schema']>;

/** A tool call whose input matched its tool's schema. */
export type ChatToolCall = { [N in ChatToolName]: { name: N; input: ChatToolInput<N> } }[ChatToolName];

/** The tools in the Messages API's `tools` form: name, description, input_schema. */
export const CHAT_TOOL_DEFINITIONS: ReadonlyArray<{ name: ChatToolName } & ToolSpec> = Object.entries(TOOLS).map(([name, spec]) => ({
  name: name as ChatToolName,
  ...spec,
}));

const isTool = (name: string): name is ChatToolName => Object.hasOwn(TOOLS, name);

const isObject = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** What a property of this schema accepts, in words, or null when `value` fits it. */
function misfit(schema: PropertySchema, value: unknown): string | null {
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return 'a string';
      return schema.enum && !schema.enum.includes(value) ? `one of ${schema.enum.join(', ')}` : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'a number';
    case 'object':
      return isObject(value) ? null : 'an object';
    case 'array':
      if (schema.items.type === 'string') return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'an array of strings';
      return Array.isArray(value) && value.every(isObject) ? null : 'an array of objects';
    default:
      return null;
  }
}

/**
 * Reads a tool call from the model against its tool's schema: the tool must exist, required
 * properties must be there and every property given must have its declared type.
 */
export function readToolCall(name: string, input: unknown): Result<ChatToolCall, string> {
  if (!isTool(name)) return err(`Unknown tool "${name}". The tools are: ${Object.keys(TOOLS).join(', ')}.`);
  if (!isObject(input)) return err(`${name}: the input must be an object.`);
  const { properties, required } = TOOLS[name].input_schema as ToolSpec['input_schema'];
  const problems: string[] = [];
  for (const key of required) if (!(key in input)) problems.push(`"${key}" is required`);
  for (const [key, value] of Object.entries(input)) {
    const schema = properties[key];
    const expected = schema ? misfit(schema, value) : null;
    if (expected) problems.push(`"${key}" must be ${expected}`);
  }
  if (problems.length > 0) return err(`${name}: ${problems.join('; ')}.`);
  return ok({ name, input } as ChatToolCall);
}
