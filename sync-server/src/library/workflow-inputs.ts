import type { WorkflowGraph, WorkflowNode } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { fitsPortType } from '../../../shared/src/execution/output-contract';
import { isRequiredInput, type PortType } from '../../../shared/src/skill/ports';
import type { CallerLibrary } from './resolve-for';
import { openInputs } from './workflow-tool';
import { RunInputError, type LibraryTool } from './types';

/**
 * A caller's values written into a workflow as node literals, each checked against the input it
 * sets: bad input is a `RunInputError` naming the node and input and saying what to do.
 */

const EXPECTED: Record<Exclude<PortType, 'any'>, string> = {
  number: 'a number',
  integer: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

const shown = (value: Json): string => {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const quoted = (names: readonly string[]): string => names.map((n) => `"${n}"`).join(', ');

/** A copy of the graph whose nodes can take new literals without touching the stored one. */
const copyOf = (graph: WorkflowGraph): WorkflowGraph => ({ nodes: graph.nodes.map((n) => ({ ...n, inputs: { ...n.inputs } })), edges: graph.edges });

/** Sets one input of one node after checking it exists, is not fed by an edge, and the value fits its type. */
function setInput(graph: WorkflowGraph, lib: CallerLibrary, node: WorkflowNode, input: string, value: Json): void {
  const ports = lib.library(node.skillId)?.inputs ?? [];
  const port = ports.find((p) => p.name === input);
  if (!port) {
    const has = ports.length > 0 ? `its inputs are ${ports.map((p) => `"${p.name}" (${p.type})`).join(', ')}` : 'it has no inputs';
    throw new RunInputError(`node "${node.id}" has no input "${input}"; ${has}`, node.id, input);
  }
  const edge = graph.edges.find((e) => e.target === node.id && e.targetHandle === input);
  if (edge) {
    throw new RunInputError(
      `input "${input}" of node "${node.id}" is fed by output "${edge.sourceHandle}" of node "${edge.source}", so it takes no value; leave it out (or set an input of "${edge.source}")`,
      node.id,
      input,
    );
  }
  if (port.type !== 'any' && !fitsPortType(value, port.type)) {
    throw new RunInputError(`input "${input}" of node "${node.id}" must be ${EXPECTED[port.type]}, got ${shown(value)}`, node.id, input);
  }
  // Defined, not assigned: an input named "__proto__" stays data.
  node.inputs = { ...node.inputs, [input]: value };
}

/** Refuses a run whose required inputs are still unset, naming each by the key the caller would use. */
function requireSet(graph: WorkflowGraph, lib: CallerLibrary, keyOf: (node: string, port: string) => string): void {
  const missing = openInputs(graph, lib).filter((o) => o.literal === undefined && isRequiredInput(o.port));
  const first = missing[0];
  if (!first) return;
  const also = missing.length > 1 ? `; also missing: ${quoted(missing.slice(1).map((m) => keyOf(m.node.id, m.port.name)))}` : '';
  throw new RunInputError(
    `input "${first.port.name}" of node "${first.node.id}" is required (${first.port.type}) and has no value: pass it as "${keyOf(first.node.id, first.port.name)}"${also}`,
    first.node.id,
    first.port.name,
  );
}

/**
 * REST's inputs (`"<node id>.<input>"`, the node also named by its label where no other node has
 * that label) applied to a stored workflow.
 */
export function applyWorkflowInputs(stored: WorkflowGraph, lib: CallerLibrary, inputs: Record<string, Json>): WorkflowGraph {
  const graph = copyOf(stored);
  const nodeList = (): string => graph.nodes.map((n) => (n.label && n.label !== n.id ? `"${n.id}" ("${n.label}")` : `"${n.id}"`)).join(', ');
  for (const [key, value] of Object.entries(inputs)) {
    const dot = key.lastIndexOf('.');
    if (dot <= 0 || dot === key.length - 1) {
      throw new RunInputError(`input key "${key}" is not of the form "<node id>.<input>"; the workflow's nodes are ${nodeList()}`);
    }
    const named = key.slice(0, dot);
    const input = key.slice(dot + 1);
    let node = graph.nodes.find((n) => n.id === named);
    if (!node) {
      const labelled = graph.nodes.filter((n) => n.label === named);
      if (labelled.length > 1) {
        throw new RunInputError(`label "${named}" names ${labelled.length} nodes (${quoted(labelled.map((n) => n.id))}); name the node by its id`, undefined, input);
      }
      node = labelled[0];
    }
    if (!node) throw new RunInputError(`the workflow has no node "${named}"; its nodes are ${nodeList()}`, named, input);
    setInput(graph, lib, node, input, value);
  }
  requireSet(graph, lib, (node, port) => `${node}.${port}`);
  return graph;
}

/** A tool's arguments (keyed as its input schema says) applied to its graph. */
export function applyToolArguments(stored: WorkflowGraph, lib: CallerLibrary, tool: LibraryTool, args: Record<string, Json>): WorkflowGraph {
  const graph = copyOf(stored);
  const byKey = new Map(tool.inputs.map((i) => [i.key, i]));
  for (const [key, value] of Object.entries(args)) {
    const input = byKey.get(key);
    if (!input) {
      const known = tool.inputs.length > 0 ? `its arguments are ${quoted(tool.inputs.map((i) => i.key))}` : 'it takes no arguments';
      throw new RunInputError(`tool "${tool.name}" has no argument "${key}"; ${known}`);
    }
    const node = graph.nodes.find((n) => n.id === input.node);
    if (!node) throw new RunInputError(`argument "${key}" sets node "${input.node}", which the workflow no longer has; list the tools again`, input.node, input.port);
    setInput(graph, lib, node, input.port, value);
  }
  const keys = new Map(tool.inputs.map((i) => [`${i.node}\u0000${i.port}`, i.key]));
  requireSet(graph, lib, (node, port) => keys.get(`${node}\u0000${port}`) ?? `${node}.${port}`);
  return graph;
}
