import type Anthropic from '@anthropic-ai/sdk';
import { Router, type Request, type Response } from 'express';
import { identityRateLimit } from '../http/rate-limits';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Identify } from '../access/identity';
import type { ChatConfig } from '../config';
import { errorBody } from '../http/errors';
import { IdSchema, parseOr400 } from '../http/validate';
import type { Rooms } from '../rooms/rooms';
import { isServerTool } from '../../../shared/src/chat/tools';
import type { SkillRead } from '../../../shared/src/documents/session';
import { buildPrompt } from './prompt';
import { readableSkills } from './readable-skills';
import { answerServerTools, serverToolUses } from './server-tools';
import { CHAT_TOOLS, READING_TOOLS } from './tools';
import { anthropicSdk } from './anthropic-sdk';
import { describeUpstreamError, NOT_CONFIGURED, type ChatFailure } from './upstream-errors';

/** How many rounds of skill reading the server answers within one request before it stops. */
const MAX_SERVER_ROUNDS = 8;

const Block = z.union([
  z.object({ type: z.literal('text'), text: z.string().max(200_000) }),
  z.object({ type: z.literal('tool_use'), id: z.string().max(200), name: z.string().max(100), input: z.unknown() }),
  z.object({
    type: z.literal('tool_result'),
    tool_use_id: z.string().max(200),
    content: z.union([z.string().max(200_000), z.array(z.object({ type: z.literal('text'), text: z.string().max(200_000) }))]),
    is_error: z.boolean().optional(),
  }),
]);

const StreamRequest = z.object({
  messages: z
    .array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string().min(1).max(200_000), z.array(Block).min(1).max(100)]) }))
    .min(1, 'send at least one message')
    .max(200, 'at most 200 messages per request; start a new session for more'),
  include_skills: z.boolean().default(true),
  max_skills: z.number().int().min(0).max(20).default(5),
  tools: z.boolean().default(true),
});

/**
 * The original product's `POST /chat` body. Skills come from the caller's identity, not from
 * `user_id` and `team_id`; they are still checked as ids, so no later use can take them as paths.
 */
const OriginalChat = z.object({
  user_id: IdSchema.optional(),
  team_id: IdSchema.optional(),
  message: z.string().min(1, 'message must not be empty').max(200_000),
  include_skills: z.boolean().default(true),
  max_skills: z.number().int().min(0).max(20).default(5),
});

const STATUS: Record<ChatFailure['code'], number> = {
  not_configured: 503,
  upstream_auth: 502,
  upstream_rate_limited: 429,
  upstream_unavailable: 502,
  upstream_timeout: 504,
  stream_dropped: 502,
  upstream_error: 502,
};

/** The text a request asks about, for choosing skills: its last user message. */
function lastUserText(messages: z.infer<typeof StreamRequest>['messages']): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    const text = m.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join(' ');
    if (text) return text;
  }
  return '';
}

/**
 * The chat proxy: `POST /api/chat` streams an answer as server-sent events (`skills`, `text`,
 * `skill_read`, `tool_use`, `done`, `error`), and `POST /chat` answers the original product's
 * shape. The server answers the skill-reading tools itself, round after round within the one
 * request; `done` carries those rounds (`turns`) and, when the app has tools of its own to carry
 * out in the last turn, the server's results for that turn (`tool_results`). The API key is used
 * here and never sent to a browser.
 */
export function chatRouter(deps: { rooms: Rooms; identify: Identify; chat: ChatConfig; log: Logger }): Router {
  const { chat, log } = deps;
  const router = Router();
  // Made by the first chat request, which loads the SDK then rather than at start.
  let made: Anthropic | undefined;
  const apiKey = chat.apiKey;
  const client = apiKey
    ? () => (made ??= new (anthropicSdk().default)({ apiKey, baseURL: chat.baseUrl, timeout: chat.timeoutMs, maxRetries: 1 }))
    : null;
  // One budget per identity: in local mode that is the one user; with tokens, each person.
  const limiter = identityRateLimit({
    perMinute: chat.ratePerMinute,
    identify: deps.identify,
    refusal: `Too many chat requests: at most ${chat.ratePerMinute} a minute. Wait a moment and send again.`,
  });

  const promptFor = async (req: Request, message: string, includeSkills: boolean, maxSkills: number) => {
    const readable = await readableSkills(deps.rooms, deps.identify(req));
    return { readable, ...buildPrompt(message, readable, { includeSkills, maxSkills }) };
  };

  router.post('/api/chat', limiter, async (req: Request, res: Response) => {
    const body = parseOr400(StreamRequest, req.body, 'chat request');
    const prompt = await promptFor(req, lastUserText(body.messages), body.include_skills, body.max_skills);
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    if (!client) {
      // Before anything else: the app keeps the message waiting instead of starting an answer.
      send('error', NOT_CONFIGURED);
      res.end();
      return;
    }
    send('skills', { skills_used: prompt.skillsUsed });
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const messages = body.messages as Anthropic.MessageParam[];
    // The exchanges the server finished itself (skill reads), which the app adds to its history
    // so that the model still has what it read when the app sends its own tool results.
    const turns: Anthropic.MessageParam[] = [];
    try {
      for (let round = 0; ; round++) {
        let wroteText = false;
        const stream = client().messages.stream(
          { model: chat.model, max_tokens: chat.maxTokens, system: prompt.system, messages: [...messages, ...turns], ...(body.tools ? { tools: CHAT_TOOLS } : {}) },
          { signal: abort.signal },
        );
        stream.on('text', (text) => {
          wroteText = true;
          send('text', { text });
        });
        stream.on('contentBlock', (block) => {
          if (block.type === 'tool_use' && !isServerTool(block.name)) send('tool_use', { id: block.id, name: block.name, input: block.input });
        });
        const final = await stream.finalMessage();
        const ours = serverToolUses(final.content);
        if (final.stop_reason !== 'tool_use' || ours.length === 0) {
          send('done', { stop_reason: final.stop_reason, content: final.content, usage: final.usage, turns });
          break;
        }
        if (round + 1 >= MAX_SERVER_ROUNDS) {
          send('error', { code: 'too_many_reads', message: `The assistant kept reading skills (${MAX_SERVER_ROUNDS} rounds) without answering. Ask again, more narrowly.` });
          break;
        }
        const { results, reads } = await answerServerTools(ours, { rooms: deps.rooms, readable: prompt.readable });
        for (const read of reads) send('skill_read', read);
        // Tools the app carries out are in the same turn: it answers them, with ours alongside.
        if (final.content.some((b) => b.type === 'tool_use' && !isServerTool(b.name))) {
          send('done', { stop_reason: final.stop_reason, content: final.content, usage: final.usage, turns, tool_results: results });
          break;
        }
        turns.push({ role: 'assistant', content: final.content }, { role: 'user', content: results });
        if (wroteText) send('text', { text: '\n\n' });
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      const failure = describeUpstreamError(error, chat.apiKey, chat.timeoutMs);
      log.warn({ code: failure.code, status: (error as { status?: number }).status }, 'chat upstream failed');
      send('error', failure);
    }
    res.end();
  });

  router.post('/chat', limiter, async (req: Request, res: Response) => {
    const body = parseOr400(OriginalChat, req.body, 'chat request');
    const prompt = await promptFor(req, body.message, body.include_skills, body.max_skills);
    if (!client) {
      res.status(503).json({ ...errorBody('unavailable', NOT_CONFIGURED.message), skills_used: prompt.skillsUsed });
      return;
    }
    try {
      // No app is there to act on documents: the model gets only the tools that read skills.
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: body.message }];
      const skillsRead: SkillRead[] = [];
      for (let round = 0; ; round++) {
        const message = await client().messages.create({ model: chat.model, max_tokens: chat.maxTokens, system: prompt.system, messages, tools: READING_TOOLS });
        const uses = serverToolUses(message.content);
        if (uses.length === 0 || round + 1 >= MAX_SERVER_ROUNDS) {
          const response = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
          res.json({ response, skills_used: prompt.skillsUsed, skills_read: skillsRead });
          return;
        }
        const { results, reads } = await answerServerTools(uses, { rooms: deps.rooms, readable: prompt.readable });
        skillsRead.push(...reads);
        messages.push({ role: 'assistant', content: message.content }, { role: 'user', content: results });
      }
    } catch (error) {
      const failure = describeUpstreamError(error, chat.apiKey, chat.timeoutMs);
      res.status(STATUS[failure.code]).json({ error: { code: failure.code, message: failure.message, help: failure.message } });
    }
  });

  return router;
}
