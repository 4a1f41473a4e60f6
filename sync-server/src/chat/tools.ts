import type Anthropic from '@anthropic-ai/sdk';
import { CHAT_TOOL_DEFINITIONS, isServerTool } from '../../../shared/src/chat/tools';

/**
 * The tools the model may call (shared/src/chat/tools.ts defines them). The PWA carries them out
 * on the shared workflow document (one undoable transaction each, seen live by collaborators)
 * and sends the results back.
 */
export const CHAT_TOOLS: Anthropic.Tool[] = CHAT_TOOL_DEFINITIONS.map(({ name, description, input_schema }) => ({
  name,
  description,
  input_schema: { ...input_schema, required: [...input_schema.required] },
}));

/** The tools the server answers itself (reading skills), offered alone where no app is there to act: the original `POST /chat`. */
export const READING_TOOLS: Anthropic.Tool[] = CHAT_TOOLS.filter((t) => isServerTool(t.name));
