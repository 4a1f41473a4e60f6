import type { ChatToolInput } from '../../../shared/src/chat/tools';
import type { Json } from '../../../shared/src/json';
import { ORIGIN } from '../../../shared/src/origins';
import { skillIdFrom } from '../../../shared/src/skill/skill-id';
import type { SelectedPort } from '../../../shared/src/workflow/make-compound';
import { makeSkill } from '../canvas/make-skill';
import { freeSkillId } from '../panels/skill-save';
import type { ToolOutcome, ToolTarget } from './tools';

const isPort = (p: Record<string, Json>): p is Record<string, Json> & SelectedPort => typeof p.node === 'string' && typeof p.port === 'string';

/**
 * make_compound_skill: the nodes the assistant names become a compound skill in the person's
 * volume and one node of it in the workflow, with the canvas's Make skill. The workflow's change
 * is one transaction of the assistant's, undone with the rest of its answer.
 */
export function makeCompoundTool(input: ChatToolInput<'make_compound_skill'>, target: ToolTarget): ToolOutcome {
  const promote = input.promote ?? [];
  if (!promote.every(isPort)) return { content: 'make_compound_skill: each "promote" entry is { "node": a node id, "port": an input name }.', isError: true };
  const known = (id: string) => target.lookup(id) !== undefined || target.library?.(id) !== undefined;
  const skillId = input.skill_id ?? freeSkillId(skillIdFrom(input.name), { has: known });
  const made = makeSkill(
    { workflow: target.workflow, skills: target.skills, lookup: target.lookup, known },
    { nodes: input.node_ids, name: input.name, skillId, description: input.description ?? '', promote },
    ORIGIN.assistant,
  );
  if (!made.ok) return { content: made.error, isError: true };
  const { node, inputs, outputs } = made.value;
  const content = {
    skill_id: skillId,
    node_id: node.id,
    inputs: inputs.map((p) => `${p.name}: ${p.type}`),
    outputs: outputs.map((p) => `${p.name}: ${p.type}`),
    saved_to: 'your volume',
  };
  return { content: JSON.stringify(content), isError: false };
}
