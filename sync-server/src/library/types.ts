import type { Identity } from '../../../shared/src/access';
import type { CompoundLookup } from '../../../shared/src/workflow/compound-chain';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import type { PortType } from '../../../shared/src/skill/ports';
import type { LibraryLookup } from '../../../shared/src/workflow/validate';
import type { VolumeRef } from '../access/volumes';

/**
 * The library as another assistant sees it (MCP, REST runs): what one identity can read, as
 * tools (runnable skills and workflows), prompts (instruction skills) and resources (the files of
 * instruction skills). Built from the volume index rooms in DESIGN §3's order (user, teams,
 * system; a share link: its room's volume, then system), a skill id shadowed as in the app.
 */

/** A JSON Schema object, as MCP's `inputSchema` and `outputSchema` carry it. */
export type JsonSchemaObject = { type: 'object'; properties: Record<string, Json>; required?: string[]; additionalProperties?: boolean } & Record<string, Json | undefined>;

/** One argument of a tool: which node's input it sets. A skill's tool has one node, `SKILL_NODE`. */
export interface ToolInput {
  /** The argument's name in the tool's input schema: the input's name, or `node.input` where two open inputs share a name. */
  key: string;
  node: string;
  port: string;
  type: PortType;
  required: boolean;
}

/** One value of a tool's result: which node's output it is. */
export interface ToolOutput {
  /** The key in the structured content: the output's name, or `node.output` where two sink outputs share a name. */
  key: string;
  node: string;
  port: string;
  type: PortType;
}

/** The node id a skill called as a tool runs as (its one-node workflow). */
export const SKILL_NODE = 'skill';

export interface LibraryTool {
  /** Stable and valid for MCP (`^[A-Za-z0-9_-]{1,64}$`): from the skill id or workflow name; a collision gets a short hash of where it lives. */
  name: string;
  kind: 'skill' | 'workflow';
  /** The skill's or workflow's name, as people read it. */
  title: string;
  /** The skill's description; a workflow's, or one made from its nodes when it has none. */
  description: string;
  volume: VolumeRef;
  /** The skill's id, or the workflow's. */
  id: string;
  inputs: ToolInput[];
  outputs: ToolOutput[];
  inputSchema: JsonSchemaObject;
  outputSchema: JsonSchemaObject;
}

/** An instruction skill (no code: instructions for an assistant), served as an MCP prompt. */
export interface LibraryPrompt {
  /** Valid as a tool name is, from the skill id. */
  name: string;
  title: string;
  description: string;
  /** The skill's body: the Markdown after its frontmatter. */
  body: string;
  skillId: string;
  volume: VolumeRef;
  /** The URIs of its files (`LibraryResource.uri`). */
  files: string[];
}

/** One file of an instruction skill's folder, served as an MCP resource. */
export interface LibraryResource {
  /** `llmunix://{volume}/{volumeId}/skills/{skillId}/{path}`. */
  uri: string;
  /** The file's path within its skill's folder. */
  name: string;
  mimeType: string;
  size: number;
  skillId: string;
  path: string;
  volume: VolumeRef;
}

export interface LibraryView {
  tools: LibraryTool[];
  prompts: LibraryPrompt[];
  resources: LibraryResource[];
}

/**
 * A run ready for the executor: the graph with the caller's inputs applied as node literals, and
 * lookups resolving skills in the caller's order (so a workflow runs with the skills its caller
 * would see in the app).
 */
export interface PreparedRun {
  /** What the run is of, for traces and the run's answer: the skill's id or the workflow's name. */
  name: string;
  kind: 'skill' | 'workflow';
  graph: WorkflowGraph;
  resolve: (skillId: string) => ResolvedSkill | undefined;
  library: LibraryLookup;
  compounds: CompoundLookup;
  /** The workflow's room (its runs room keeps the run's record); absent for a skill. */
  workflowRoom?: string;
  /** The tool's outputs, to build its structured content from the node states. */
  outputs: ToolOutput[];
  /** The number of nodes that will run, compound nodes counted by their inner nodes (progress's total). */
  total: number;
}

/** Bad inputs to a run: names the node and the input, and says what is expected (REST 400, an MCP tool error). */
export class RunInputError extends Error {
  override name = 'RunInputError';
  constructor(
    message: string,
    readonly node?: string,
    readonly input?: string,
  ) {
    super(message);
  }
}

/** What the library layer offers the MCP server and the REST routes. */
export interface Library {
  /** Everything `identity` can read, as tools, prompts and resources. */
  view(identity: Identity): Promise<LibraryView>;
  /**
   * A stored workflow with inputs keyed `"<node id>.<input>"` (REST's shape), or a tool's
   * arguments keyed as its input schema says (`tool.inputs[].key`). Throws `RunInputError`
   * (unknown node or input, an input fed by an edge, a value of the wrong type) and HttpError
   * 404/403 for a workflow the caller cannot read.
   */
  prepareWorkflow(identity: Identity, ref: VolumeRef, workflowId: string, inputs: Record<string, Json>): Promise<PreparedRun>;
  prepareTool(identity: Identity, tool: LibraryTool, args: Record<string, Json>): Promise<PreparedRun>;
  /** The bytes of a resource the caller can read, or undefined. */
  readResource(identity: Identity, uri: string): Promise<{ resource: LibraryResource; bytes: Uint8Array } | undefined>;
  /**
   * Calls `onChange` (debounced, at most every `LIBRARY_CHANGE_MS`) when a volume the caller can
   * read changes its skills or workflows; returns the function that stops watching.
   */
  watch(identity: Identity, onChange: () => void): () => void;
}

export const LIBRARY_CHANGE_MS = 200;
