import type * as Y from 'yjs';
import { readToolCall, type ChatToolCall, type ChatToolInput } from '../../../shared/src/chat/tools';
import { putSkillSource } from '../../../shared/src/documents/volume-index';
import { putEdge, putNode, readWorkflowGraph, removeEdge, setNodeInput } from '../../../shared/src/documents/workflow';
import type { RunTrace } from '../../../shared/src/execution/types';
import { ORIGIN } from '../../../shared/src/origins';
import { checkConnection } from '../../../shared/src/workflow/connection';
import { INSTRUCTION_TYPE } from '../../../shared/src/skill/instruction';
import type { LibraryLookup, SkillLookup } from '../../../shared/src/workflow/validate';

/** What a tool call did, as the model will read it (and, for a run, its trace). */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  trace?: RunTrace;
}

/** Builds a skill file from save_skill's input (YAML and schema libraries, loaded on demand). */
export type SkillFormat = () => Promise<{
  build: (input: ChatToolInput<'save_skill'>) => { ok: true; id: string; markdown: string } | { ok: false; errors: string[] };
}>;

/** Where the assistant's tools act: the session's workflow, the user's skills, the runner. */
export interface ToolTarget {
  workflow: Y.Doc;
  lookup: SkillLookup;
  /** Any skill of the person's library, instruction skills too (to say why one cannot be a node). */
  library?: LibraryLookup;
  /** The user's volume index, for save_skill. */
  skills: Y.Doc;
  /** Runs the workflow (or one node and what it needs) and describes the outcome. */
  run?: (nodeId?: string) => Promise<ToolOutcome>;
  /** The workflow's undo history: the tool calls of one answer become one undo step. */
  undo?: { stopCapturing(): void; captureTimeout: number };
  skillFormat: SkillFormat;
  /** The compound skill suggestions mined from the person's runs (list_skill_suggestions). */
  suggestions?: () => Promise<unknown[]>;
}

const done = (value: unknown): ToolOutcome => ({ content: JSON.stringify(value), isError: false });
const failed = (message: string): ToolOutcome => ({ content: message, isError: true });

/**
 * Carries out one tool call on the shared documents, as one transaction with the assistant's
 * origin (so collaborators see it live and the person can undo it), and says what happened.
 * A call that does not fit its tool's schema is answered with what is wrong, changing nothing.
 */
export async function applyTool(name: string, input: unknown, target: ToolTarget): Promise<ToolOutcome> {
  const call = readToolCall(name, input);
  return call.ok ? apply(call.value, target) : failed(call.error);
}

async function apply(call: ChatToolCall, target: ToolTarget): Promise<ToolOutcome> {
  const doc = target.workflow;
  switch (call.name) {
    case 'add_node': {
      const { skill_id: skillId, x, y, label, inputs = {} } = call.input;
      const skill = target.lookup(skillId);
      if (!skill && target.library?.(skillId)?.type === INSTRUCTION_TYPE) {
        return failed(`"${skillId}" is an instruction skill: it has nothing to run, so it cannot be a node. Read it with read_skill instead.`);
      }
      if (!skill) return failed(`No skill "${skillId}" in the person's volumes.`);
      const id = crypto.randomUUID();
      const count = readWorkflowGraph(doc).nodes.length;
      const position = { x: x ?? (count % 4) * 320, y: y ?? Math.floor(count / 4) * 260 };
      const unknown = Object.keys(inputs).filter((k) => !skill.inputs.some((p) => p.name === k));
      if (unknown.length > 0) return failed(`Skill "${skillId}" has no input ${unknown.map((u) => `"${u}"`).join(', ')}.`);
      doc.transact(() => putNode(doc, { id, skillId, label: label || skill.name, position, inputs }), ORIGIN.assistant);
      return done({ node_id: id, inputs: skill.inputs.map((p) => `${p.name}: ${p.type}`), outputs: skill.outputs.map((p) => `${p.name}: ${p.type}`) });
    }
    case 'connect_ports': {
      const { source_node, output, target_node, input } = call.input;
      const connection = { source: source_node, sourceHandle: output, target: target_node, targetHandle: input };
      const check = checkConnection(readWorkflowGraph(doc), connection, target.lookup);
      if (!check.ok) return failed(check.reason);
      const id = crypto.randomUUID();
      doc.transact(() => {
        if (check.replaces) removeEdge(doc, check.replaces);
        putEdge(doc, { id, ...connection });
      }, ORIGIN.assistant);
      return done({ edge_id: id });
    }
    case 'set_input': {
      const { node_id, input, value } = call.input;
      const node = readWorkflowGraph(doc).nodes.find((n) => n.id === node_id);
      if (!node) return failed(`No node "${node_id}" in the workflow.`);
      const port = target.lookup(node.skillId)?.inputs.find((p) => p.name === input);
      if (!port) return failed(`Node "${node.id}" has no input "${input}".`);
      doc.transact(() => setNodeInput(doc, node.id, port.name, value), ORIGIN.assistant);
      return done({ node_id: node.id, input: port.name, value });
    }
    case 'run_workflow':
      return target.run ? target.run(call.input.node_id || undefined) : failed('Running workflows is not available in this view.');
    case 'save_skill': {
      const built = (await target.skillFormat()).build(call.input);
      if (!built.ok) return failed(`The skill does not validate: ${built.errors.join('; ')}`);
      target.skills.transact(() => putSkillSource(target.skills, built.id, built.markdown), ORIGIN.assistant);
      return done({ skill_id: built.id, saved_to: 'your volume' });
    }
    case 'make_compound_skill':
      // The skill format (schema and YAML libraries) loads when the assistant first makes one.
      return (await import('./make-compound-tool')).makeCompoundTool(call.input, target);
    case 'list_skill_suggestions':
      return target.suggestions ? done({ suggestions: await target.suggestions() }) : failed('Skill suggestions are not available in this view.');
    case 'read_skill':
    case 'read_skill_file':
      // The server answers these within the chat request (sync-server/src/chat/server-tools.ts).
      return failed(`${call.name} is answered by the server; the app has nothing to do for it.`);
  }
}
