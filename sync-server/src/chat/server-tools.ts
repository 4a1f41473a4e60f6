import type Anthropic from '@anthropic-ai/sdk';
import { isServerTool, readToolCall, type ServerToolName } from '../../../shared/src/chat/tools';
import type { SkillRead } from '../../../shared/src/documents/session';
import type { Rooms } from '../rooms/rooms';
import type { SkillDoc } from './retrieval';
import { cutForModel, readSkillFileFor } from './skill-file';

/** What the server answered to one of its own tools, and the skill it read, for the chat's chip. */
export interface ServerToolAnswer {
  content: string;
  isError: boolean;
  read?: SkillRead;
}

const failed = (content: string): ServerToolAnswer => ({ content, isError: true });

/**
 * Answers read_skill and read_skill_file from the skills the caller can read. The server answers
 * them, not the app, because the server alone holds the caller's identity and every volume it may
 * read (a share link's browser has none of them), so access is decided exactly as everywhere else
 * on the server; and the chat needs the server to reach the model anyway, so nothing is lost
 * offline. A skill the caller may not read gets the same error as one that does not exist.
 */
export async function answerServerTool(name: ServerToolName, input: unknown, deps: { rooms: Rooms; readable: readonly SkillDoc[] }): Promise<ServerToolAnswer> {
  const call = readToolCall(name, input);
  if (!call.ok) return failed(call.error);
  switch (call.value.name) {
    case 'read_skill':
    case 'read_skill_file': {
      const { skill_id } = call.value.input;
      // A skill the caller may not read is answered exactly as one that does not exist.
      const skill = deps.readable.find((s) => s.skillId === skill_id);
      if (!skill) return failed(`No skill "${skill_id}" that you can read. Use a skill_id from the list of skills.`);
      if (call.value.name === 'read_skill') return { content: cutForModel(skill.source), isError: false, read: { skill_id, name: skill.name } };
      const { path } = call.value.input;
      const file = await readSkillFileFor(deps.rooms, skill, path);
      if (!file.ok) return failed(file.error);
      return { content: file.value, isError: false, read: { skill_id, name: skill.name, path } };
    }
    default:
      return failed(`The tool "${call.value.name}" is carried out by the app, not the server.`);
  }
}

/** The server's own tool calls in a model's answer. */
type ServerToolUse = Anthropic.ToolUseBlock & { name: ServerToolName };

export const serverToolUses = (content: readonly Anthropic.ContentBlock[]): ServerToolUse[] =>
  content.filter((b): b is ServerToolUse => b.type === 'tool_use' && isServerTool(b.name));

/** Answers every server tool call of one turn, in order: the results for the model and what was read. */
export async function answerServerTools(uses: readonly ServerToolUse[], deps: { rooms: Rooms; readable: readonly SkillDoc[] }): Promise<{ results: Anthropic.ToolResultBlockParam[]; reads: SkillRead[] }> {
  const results: Anthropic.ToolResultBlockParam[] = [];
  const reads: SkillRead[] = [];
  for (const use of uses) {
    const answer = await answerServerTool(use.name, use.input, deps);
    if (answer.read) reads.push(answer.read);
    results.push({ type: 'tool_result', tool_use_id: use.id, content: answer.content, ...(answer.isError ? { is_error: true } : {}) });
  }
  return { results, reads };
}
