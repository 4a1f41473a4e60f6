import type { WorkflowGraph, WorkflowNode } from '../../../shared/src/documents/workflow';
import { expandCompounds, validateExpanded } from '../../../shared/src/execution/expand-compound';
import type { Json } from '../../../shared/src/json';
import { inputPortSchema, objectSchema, outputPortSchema, type JsonSchema } from '../../../shared/src/skill/json-schema';
import { isRequiredInput } from '../../../shared/src/skill/ports';
import type { InputPort, OutputPort } from '../../../shared/src/skill/schema';
import { scheduleWaves } from '../../../shared/src/workflow/schedule';
import type { VolumeRef } from '../access/volumes';
import { headlessProblem, type CallerLibrary } from './resolve-for';
import type { UnnamedTool } from './skill-tool';
import type { ToolInput, ToolOutput } from './types';

/** How many node names a made-up description lists before it says how many more. */
const DESCRIBED_NODES = 10;

/** A workflow as stored: its room's graph and metadata, and its listing's name and description. */
export interface StoredWorkflow {
  ref: VolumeRef;
  id: string;
  name: string;
  description: string;
  graph: WorkflowGraph;
}

/** The graph with its nodes in id order: a Y.Map's order differs between replicas, and names and keys must not. */
export const byNodeId = (graph: WorkflowGraph): WorkflowGraph => ({ nodes: [...graph.nodes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), edges: graph.edges });

/** How a node is named to a person: its label, else its skill's name, and its id. */
export function nodeTitle(node: WorkflowNode, lib: CallerLibrary): string {
  const name = node.label || lib.library(node.skillId)?.name || node.skillId;
  return name === node.id ? `"${node.id}"` : `"${name}" (${node.id})`;
}

/** One input of a node that no edge feeds: the workflow's caller may set it. */
export interface OpenInput {
  node: WorkflowNode;
  port: InputPort;
  /** The node's literal for it, which stands as its default. */
  literal?: Json;
}

/** The inputs no edge feeds, node by node in id order, ports in their skill's order. */
export function openInputs(graph: WorkflowGraph, lib: CallerLibrary): OpenInput[] {
  const wired = new Set(graph.edges.map((e) => `${e.target}\u0000${e.targetHandle}`));
  return graph.nodes.flatMap((node) =>
    (lib.library(node.skillId)?.inputs ?? [])
      .filter((port) => !wired.has(`${node.id}\u0000${port.name}`))
      .map((port) => (Object.hasOwn(node.inputs, port.name) ? { node, port, literal: node.inputs[port.name] } : { node, port })),
  );
}

/** The outputs of the nodes no edge leaves: what the workflow gives back. */
function sinkOutputs(graph: WorkflowGraph, lib: CallerLibrary): Array<{ node: WorkflowNode; port: OutputPort }> {
  const sources = new Set(graph.edges.map((e) => e.source));
  return graph.nodes.filter((n) => !sources.has(n.id)).flatMap((node) => (lib.library(node.skillId)?.outputs ?? []).map((port) => ({ node, port })));
}

/** Each item's key: its port's name when no other has it, else `<node id>.<port>`. */
function keysOf(items: ReadonlyArray<{ node: WorkflowNode; port: { name: string } }>): string[] {
  const count = new Map<string, number>();
  for (const { port } of items) count.set(port.name, (count.get(port.name) ?? 0) + 1);
  return items.map(({ node, port }) => (count.get(port.name) === 1 ? port.name : `${node.id}.${port.name}`));
}

/** "Runs 3 nodes: A → B → C", in the order they run. */
function madeUpDescription(graph: WorkflowGraph, lib: CallerLibrary): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const order = scheduleWaves(graph).flatMap((wave) => [...wave].sort());
  const names = order.map((id) => {
    const node = byId.get(id) as WorkflowNode;
    return node.label || lib.library(node.skillId)?.name || node.skillId;
  });
  const shown = names.slice(0, DESCRIBED_NODES).join(' → ');
  const more = names.length > DESCRIBED_NODES ? ` → … (${names.length - DESCRIBED_NODES} more)` : '';
  return `Runs ${graph.nodes.length} node${graph.nodes.length === 1 ? '' : 's'}: ${shown}${more}`;
}

/** Why a workflow cannot be a tool for this caller (empty, or it does not validate against their skills), or undefined when it can. */
export function workflowProblem(graph: WorkflowGraph, lib: CallerLibrary): string | undefined {
  if (graph.nodes.length === 0) return 'it has no nodes';
  const expanded = expandCompounds(graph, lib.compounds).graph;
  // An input nothing sets is the caller's to pass, not a problem of the workflow.
  const issues = validateExpanded(graph, expanded, lib.library, lib.compounds).filter((i) => i.code !== 'missing_input');
  if (issues.length > 0) return issues.map((i) => i.message).join(' ');
  return headlessProblem(graph, lib);
}

/** A stored workflow as a tool, or why it is not one. */
export function workflowTool(stored: StoredWorkflow, lib: CallerLibrary): { tool: UnnamedTool } | { problem: string } {
  const graph = byNodeId(stored.graph);
  const problem = workflowProblem(graph, lib);
  if (problem) return { problem };

  const open = openInputs(graph, lib);
  const inputKeys = keysOf(open);
  const inputs: ToolInput[] = [];
  const properties: Record<string, JsonSchema> = {};
  open.forEach(({ node, port, literal }, i) => {
    const key = inputKeys[i] as string;
    const required = literal === undefined && isRequiredInput(port);
    const description = `Input "${port.name}" of node ${nodeTitle(node, lib)}${port.description ? `: ${port.description}` : ''}`;
    properties[key] = inputPortSchema(port, literal === undefined ? { description } : { description, default: literal });
    inputs.push({ key, node: node.id, port: port.name, type: port.type, required });
  });

  const sinks = sinkOutputs(graph, lib);
  const outputKeys = keysOf(sinks);
  const outputs: ToolOutput[] = sinks.map(({ node, port }, i) => ({ key: outputKeys[i] as string, node: node.id, port: port.name, type: port.type }));
  const outputProperties = Object.fromEntries(
    sinks.map(({ node, port }, i) => [outputKeys[i], outputPortSchema(port, `Output "${port.name}" of node ${nodeTitle(node, lib)}${port.description ? `: ${port.description}` : ''}`)]),
  );

  return {
    tool: {
      kind: 'workflow',
      title: stored.name || stored.id,
      description: stored.description.trim() || madeUpDescription(graph, lib),
      volume: stored.ref,
      id: stored.id,
      inputs,
      outputs,
      inputSchema: objectSchema(properties, inputs.filter((i) => i.required).map((i) => i.key)),
      outputSchema: objectSchema(outputProperties, outputs.map((o) => o.key)),
    },
  };
}
