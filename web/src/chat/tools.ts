import type * as Y from 'yjs';
import { putSkillSource } from '../../../shared/src/documents/volume-index';
import { putEdge, putNode, readWorkflowGraph, removeEdge, setNodeInput } from '../../../shared/src/documents/workflow';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import type { RunTrace } from '../../../shared/src/execution/types';
import type { SkillLookup } from '../../../shared/src/workflow/validate';
import { checkConnection } from '../canvas/flow-binding';

/** What a tool call did, as the model will read it (and, for a run, its trace). */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  trace?: RunTrace;
}

/** Where the assistant's tools act: the session's workflow, the user's skills, the runner. */
export interface ToolTarget {
  workflow: Y.Doc;
  lookup: SkillLookup;
  /** The user's volume index, for save_skill. */
  skills: Y.Doc;
  /** Runs the workflow (or one node and what it needs) and describes the outcome. */
  run?: (nodeId?: string) => Promise<ToolOutcome>;
  /** The workflow's undo history: the tool calls of one answer become one undo step. */
  undo?: { stopCapturing(): void; captureTimeout: number };
  /** Parses and builds skill files (loaded on demand: YAML and schema libraries). */
  skillFormat: () => Promise<{ build: (input: Record<string, unknown>) => { ok: true; id: string; markdown: string } | { ok: false; errors: string[] } }>;
}

const done = (value: unknown): ToolOutcome => ({ content: JSON.stringify(value), isError: false });
const failed = (message: string): ToolOutcome => ({ content: message, isError: true });
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Carries out one tool call on the shared documents, as one transaction with the assistant's
 * origin (so collaborators see it live and the person can undo it), and says what happened.
 */
export async function applyTool(name: string, input: Record<string, unknown>, target: ToolTarget): Promise<ToolOutcome> {
  const doc = target.workflow;
  switch (name) {
    case 'add_node': {
      const skillId = str(input.skill_id);
      const skill = target.lookup(skillId);
      if (!skill) return failed(`No skill "${skillId}" in the person's volumes.`);
      const id = crypto.randomUUID();
      const count = readWorkflowGraph(doc).nodes.length;
      const position = {
        x: typeof input.x === 'number' ? input.x : (count % 4) * 320,
        y: typeof input.y === 'number' ? input.y : Math.floor(count / 4) * 260,
      };
      const literals = (input.inputs && typeof input.inputs === 'object' ? input.inputs : {}) as Record<string, Json>;
      const unknown = Object.keys(literals).filter((k) => !skill.inputs.some((p) => p.name === k));
      if (unknown.length > 0) return failed(`Skill "${skillId}" has no input ${unknown.map((u) => `"${u}"`).join(', ')}.`);
      doc.transact(() => putNode(doc, { id, skillId, label: str(input.label) || skill.name, position, inputs: literals }), ORIGIN.assistant);
      return done({ node_id: id, inputs: skill.inputs.map((p) => `${p.name}: ${p.type}`), outputs: skill.outputs.map((p) => `${p.name}: ${p.type}`) });
    }
    case 'connect_ports': {
      const connection = { source: str(input.source_node), sourceHandle: str(input.output), target: str(input.target_node), targetHandle: str(input.input) };
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
      const node = readWorkflowGraph(doc).nodes.find((n) => n.id === str(input.node_id));
      if (!node) return failed(`No node "${str(input.node_id)}" in the workflow.`);
      const port = target.lookup(node.skillId)?.inputs.find((p) => p.name === str(input.input));
      if (!port) return failed(`Node "${node.id}" has no input "${str(input.input)}".`);
      doc.transact(() => setNodeInput(doc, node.id, port.name, input.value as Json), ORIGIN.assistant);
      return done({ node_id: node.id, input: port.name, value: input.value });
    }
    case 'run_workflow':
      return target.run ? target.run(str(input.node_id) || undefined) : failed('Running workflows is not available in this view.');
    case 'save_skill': {
      const built = (await target.skillFormat()).build(input);
      if (!built.ok) return failed(`The skill does not validate: ${built.errors.join('; ')}`);
      target.skills.transact(() => putSkillSource(target.skills, built.id, built.markdown), ORIGIN.assistant);
      return done({ skill_id: built.id, saved_to: 'your volume' });
    }
    default:
      return failed(`Unknown tool "${name}".`);
  }
}
