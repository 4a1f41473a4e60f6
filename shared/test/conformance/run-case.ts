// Runs one conformance case through the shared executor with the given runtimes. The same code
// runs in Node (the headless runtimes) and in Chromium (bundled with the browser workers' hosts).
import { runWorkflow } from '../../src/execution/executor';
import type { NodeState, Runtimes } from '../../src/execution/types';
import type { Json } from '../../src/json';
import { formatSkillError, parseSkill } from '../../src/skill/parse';

/** What a runner needs of a case: plain data, so it crosses into a page. */
export interface CaseInput {
  id: string;
  skill: string;
  inputs?: Record<string, Json>;
  timeoutMs?: number;
}

/** The file name every runner gives a case's skill, which errors then name. */
export const caseFile = (id: string): string => `user/${id}.md`;

/** Runs the case's skill as a one-node workflow and returns the node's state. */
export async function runCase(c: CaseInput, runtimes: Runtimes): Promise<NodeState> {
  const parsed = parseSkill(c.skill, caseFile(c.id));
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  const skill = { skill: parsed.value, source: c.skill };
  const report = await runWorkflow({
    graph: { nodes: [{ id: 'n', skillId: c.id, label: '', position: { x: 0, y: 0 }, inputs: c.inputs ?? {} }], edges: [] },
    resolve: (id) => (id === c.id ? skill : undefined),
    runtimes,
    timeoutMs: c.timeoutMs,
  });
  const state = report.nodes.n;
  if (!state) throw new Error(`the case did not run: ${report.issues.map((i) => i.message).join('; ')}`);
  return state;
}
