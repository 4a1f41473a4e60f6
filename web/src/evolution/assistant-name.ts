import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { streamChat } from '../chat/chat-api';

/** The assistant's answer could not be used as a name. */
export class AssistantNameError extends Error {
  override name = 'AssistantNameError';
}

const NAME_MAX = 100;

function prompt(s: Suggestion, partNames: string[]): string {
  return [
    'A chain of skills keeps running together in my workflows and will become one compound skill.',
    `Its parts, in run order: ${s.skills.map((id, i) => `${partNames[i] ?? id} (${id})`).join(' → ')}.`,
    `Inputs: ${s.inputs.map((p) => `${p.name}: ${p.type}`).join(', ') || 'none'}. Outputs: ${s.outputs.map((p) => `${p.name}: ${p.type}`).join(', ') || 'none'}.`,
    `It ran ${s.support} times${s.evidence.workflows.length ? ` in the workflows ${s.evidence.workflows.map((w) => `"${w}"`).join(', ')}` : ''}.`,
    `Name it (at most ${NAME_MAX} characters) and describe what it does in one sentence. Answer with only a JSON object: {"name": "…", "description": "…"}.`,
  ].join('\n');
}

/** The first JSON object in a text with a string name (the model may wrap it in prose or a fence). */
export function readAnswer(text: string): { name: string; description: string } {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  let value: unknown;
  try {
    value = start >= 0 && end > start ? JSON.parse(text.slice(start, end + 1)) : undefined;
  } catch {
    value = undefined;
  }
  const o = value as { name?: unknown; description?: unknown } | undefined;
  if (typeof o?.name !== 'string' || o.name.trim() === '') throw new AssistantNameError('The assistant did not answer with a name; type one, or ask again.');
  return { name: o.name.trim().slice(0, NAME_MAX), description: typeof o.description === 'string' ? o.description.trim() : '' };
}

/** Asks the assistant, through the server's chat, for a suggestion's name and description. */
export async function nameWithAssistant(s: Suggestion, partNames: string[], token: string | undefined, signal?: AbortSignal): Promise<{ name: string; description: string }> {
  let text = '';
  for await (const event of streamChat([{ role: 'user', content: prompt(s, partNames) }], { token, signal })) {
    if (event.event === 'text') text += event.text;
    if (event.event === 'done' && text === '') text = event.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
    if (event.event === 'error') throw new AssistantNameError(`The assistant could not name it: ${event.message}`);
  }
  return readAnswer(text);
}
