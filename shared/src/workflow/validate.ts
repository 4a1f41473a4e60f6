import { isRequiredInput } from '../skill/ports';
import { COMPOUND_TYPE, INSTRUCTION_TYPE } from '../skill/instruction';
import type { AnySkillFrontmatter, CompoundFrontmatter, PortType, SkillFrontmatter } from '../skill/schema';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../documents/workflow';
import { portTypesCompatible } from './port-types';
import { chainText, mappingProblems, selfContainment, type CompoundLookup } from './compound-chain';

/** One problem that keeps a workflow from running, naming the nodes involved. */
export type WorkflowIssue =
  | { code: 'unknown_skill'; nodes: [string]; skillId: string; message: string }
  | { code: 'not_runnable'; nodes: [string]; skillId: string; message: string }
  | { code: 'recursive_skill'; nodes: [string]; skillId: string; chain: string[]; message: string }
  | { code: 'compound_mapping'; nodes: [string]; skillId: string; message: string }
  | { code: 'unknown_node'; nodes: string[]; edge: string; message: string }
  | { code: 'unknown_port'; nodes: [string]; edge: string; port: string; message: string }
  | { code: 'unknown_input'; nodes: [string]; input: string; message: string }
  | { code: 'duplicate_input'; nodes: [string]; input: string; edges: string[]; message: string }
  | { code: 'missing_input'; nodes: [string]; input: string; message: string }
  | { code: 'type_mismatch'; nodes: [string, string]; edge: string; from: PortType; to: PortType; message: string }
  | { code: 'cycle'; nodes: string[]; message: string };

/** A skill that can be a node: one that runs, or a compound skill (which runs as its inner nodes). */
export type NodeSkillFrontmatter = SkillFrontmatter | CompoundFrontmatter;

/** Finds the skill a node's `skillId` names (user, then team, then system volume), if it can be a node. */
export type SkillLookup = (skillId: string) => NodeSkillFrontmatter | undefined;

/** A lookup that also finds instruction skills, which validation refuses as nodes. */
export type LibraryLookup = (skillId: string) => AnySkillFrontmatter | undefined;

export { portTypesCompatible } from './port-types';

/** How a node is named in messages: its label and id. */
export const describeNode = (node: WorkflowNode | undefined, id: string): string =>
  node?.label ? `"${node.label}" (${id})` : `"${id}"`;

/**
 * Checks a workflow against its skills' declared ports: unknown skills, nodes and ports,
 * instruction skills placed as nodes, missing required inputs, type mismatches on edges and
 * cycles, and (given `compounds`) compound skills that contain themselves. Empty means it can run.
 */
export function validateWorkflow(graph: WorkflowGraph, lookup: LibraryLookup, compounds?: CompoundLookup): WorkflowIssue[] {
  const issues: WorkflowIssue[] = [];
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const skills = new Map<string, AnySkillFrontmatter>();
  const name = (id: string) => describeNode(nodes.get(id), id);

  for (const node of graph.nodes) {
    const skill = lookup(node.skillId);
    if (!skill) {
      issues.push({
        code: 'unknown_skill',
        nodes: [node.id],
        skillId: node.skillId,
        message: `Node ${name(node.id)} uses skill "${node.skillId}", which is in none of your volumes. Pick another skill or import it.`,
      });
      continue;
    }
    if (skill.type === INSTRUCTION_TYPE) {
      issues.push({
        code: 'not_runnable',
        nodes: [node.id],
        skillId: node.skillId,
        message: `Node ${name(node.id)} uses "${skill.name}" (${node.skillId}), an instruction skill: it has nothing to run. Remove the node; the chat reads instruction skills when they help.`,
      });
    }
    if (skill.type === COMPOUND_TYPE && !compounds?.(node.skillId)) {
      issues.push({
        code: 'not_runnable',
        nodes: [node.id],
        skillId: node.skillId,
        message: `Node ${name(node.id)} uses "${skill.name}" (${node.skillId}), a compound skill, which this runner cannot open into its inner nodes. Run it with \`npm run workflow\`, or place its inner nodes instead.`,
      });
    }
    const chain = compounds && selfContainment(node.skillId, compounds);
    if (chain) {
      issues.push({
        code: 'recursive_skill',
        nodes: [node.id],
        skillId: node.skillId,
        chain,
        message: `Node ${name(node.id)} uses compound skill "${node.skillId}", which contains itself: ${chainText(chain)}. Remove the inner node that closes the loop.`,
      });
    } else if (compounds) {
      for (const problem of mappingProblems(node.skillId, lookup, compounds)) {
        issues.push({ code: 'compound_mapping', nodes: [node.id], skillId: node.skillId, message: `Node ${name(node.id)} uses compound skill "${node.skillId}": ${problem}. Fix the skill's "inputs"/"outputs" mapping.` });
      }
    }
    skills.set(node.id, skill);
    for (const input of Object.keys(node.inputs)) {
      if (!skill.inputs.some((p) => p.name === input)) {
        issues.push({
          code: 'unknown_input',
          nodes: [node.id],
          input,
          message: `Node ${name(node.id)} sets input "${input}", which skill "${skill.skill_id}" does not have.`,
        });
      }
    }
  }

  const wired = new Map<string, WorkflowEdge[]>();
  for (const edge of graph.edges) {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source || !target) {
      const missing = [edge.source, edge.target].filter((id) => !nodes.has(id));
      issues.push({
        code: 'unknown_node',
        nodes: missing,
        edge: edge.id,
        message: `Edge ${edge.id} connects node(s) ${missing.map((id) => `"${id}"`).join(' and ')} that are not in the workflow.`,
      });
      continue;
    }
    const out = skills.get(source.id)?.outputs.find((p) => p.name === edge.sourceHandle);
    const inp = skills.get(target.id)?.inputs.find((p) => p.name === edge.targetHandle);
    if (skills.has(source.id) && !out) {
      issues.push({
        code: 'unknown_port',
        nodes: [source.id],
        edge: edge.id,
        port: edge.sourceHandle,
        message: `Edge ${edge.id} starts at output "${edge.sourceHandle}" of node ${name(source.id)}, which has no such output.`,
      });
    }
    if (skills.has(target.id) && !inp) {
      issues.push({
        code: 'unknown_port',
        nodes: [target.id],
        edge: edge.id,
        port: edge.targetHandle,
        message: `Edge ${edge.id} ends at input "${edge.targetHandle}" of node ${name(target.id)}, which has no such input.`,
      });
    }
    if (out && inp && !portTypesCompatible(out.type, inp.type)) {
      issues.push({
        code: 'type_mismatch',
        nodes: [source.id, target.id],
        edge: edge.id,
        from: out.type,
        to: inp.type,
        message: `Edge ${edge.id} carries ${out.type} output "${out.name}" of node ${name(source.id)} into ${inp.type} input "${inp.name}" of node ${name(target.id)}.`,
      });
    }
    const key = `${edge.target}\u0000${edge.targetHandle}`;
    wired.set(key, [...(wired.get(key) ?? []), edge]);
  }

  for (const [key, edges] of wired) {
    if (edges.length < 2) continue;
    const [target = '', input = ''] = key.split('\u0000');
    issues.push({
      code: 'duplicate_input',
      nodes: [target],
      input,
      edges: edges.map((e) => e.id),
      message: `Input "${input}" of node ${name(target)} has ${edges.length} incoming edges; keep one.`,
    });
  }

  for (const node of graph.nodes) {
    const skill = skills.get(node.id);
    if (!skill) continue;
    for (const port of skill.inputs) {
      if (!isRequiredInput(port)) continue;
      if (Object.hasOwn(node.inputs, port.name) || wired.has(`${node.id}\u0000${port.name}`)) continue;
      issues.push({
        code: 'missing_input',
        nodes: [node.id],
        input: port.name,
        message: `Node ${name(node.id)} needs input "${port.name}" (${port.type}): connect an edge to it or set a value.`,
      });
    }
  }

  const cycle = findCycle(graph);
  if (cycle) {
    issues.push({
      code: 'cycle',
      nodes: cycle,
      message: `The workflow has a cycle: ${[...cycle, cycle[0] ?? ''].map(name).join(' → ')}. Remove one of its edges.`,
    });
  }
  return issues;
}

/** Returns the nodes of one cycle in edge order, or undefined when the graph is acyclic. */
export function findCycle(graph: WorkflowGraph): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const to of next.get(id) ?? []) {
      if (state.get(to) === 'open') return stack.slice(stack.indexOf(to));
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const node of graph.nodes) {
    if (!state.has(node.id)) {
      const found = visit(node.id);
      if (found) return found;
    }
  }
  return undefined;
}
