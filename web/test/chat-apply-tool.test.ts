// The assistant's add_node on an instruction skill says why it cannot be a node, as the canvas does.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readWorkflowGraph } from '../../shared/src/documents/workflow';
import type { InstructionFrontmatter, SkillFrontmatter } from '../../shared/src/skill/schema';
import { applyTool, type ToolTarget } from '../src/chat/tools';

function target(runnable: Record<string, SkillFrontmatter>, instructions: string[]): ToolTarget {
  const prose = (id: string) => ({ ...runnable[id], name: id, skill_id: id, type: 'instruction' as const }) as unknown as InstructionFrontmatter;
  return {
    workflow: new Y.Doc(),
    skills: new Y.Doc(),
    lookup: (id) => runnable[id],
    library: (id) => runnable[id] ?? (instructions.includes(id) ? prose(id) : undefined),
    skillFormat: () => Promise.reject(new Error('not used')),
  };
}

describe('add_node from the chat', () => {
  it('refuses an instruction skill saying it has nothing to run, and an unknown id as unknown; adds nothing', async () => {
    const t = target({}, ['style-guide']);
    const instruction = await applyTool('add_node', { skill_id: 'style-guide' }, t);
    expect(instruction.isError).toBe(true);
    expect(instruction.content).toMatch(/"style-guide" is an instruction skill: it has nothing to run.*read_skill/);
    const unknown = await applyTool('add_node', { skill_id: 'nope' }, t);
    expect(unknown.content).toMatch(/No skill "nope"/);
    expect(readWorkflowGraph(t.workflow).nodes).toEqual([]);
  });
});
