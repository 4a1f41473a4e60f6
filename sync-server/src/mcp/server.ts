import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ErrorCode,
  ReadResourceRequestSchema,
  type PromptMessage,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { Identity } from '../../../shared/src/access';
import type { Library, LibraryResource, LibraryTool } from '../library/types';
import type { RunService } from '../runs/types';
import type { CallsInFlight } from './calls-in-flight';
import { callTool } from './tool-call';

export interface McpDeps {
  library: Library;
  runs: RunService;
  log: Logger;
}

/** MCP's "Resource not found" error code (specification, server/resources, Error Handling). */
const RESOURCE_NOT_FOUND = -32002;

/** The name and version a client sees in `initialize`. */
export const MCP_SERVER_INFO = { name: 'llmunix', version: '0.1.0' } as const;

/** What LLMunix serves, said once to the client at `initialize`. */
const INSTRUCTIONS =
  'LLMunix skills and workflows as tools: each runs on the LLMunix server (Python, JavaScript, ngspice or a workflow of them) and answers with its outputs as JSON. Instruction skills are prompts, and their files are resources. The list follows the library: it changes when a skill or workflow is added or edited in the app.';

const TEXT_MIME = /^text\/|^application\/(json|xml|yaml|x-yaml|javascript|x-python|toml)$|\+(json|xml)$/;

/** A library tool as `tools/list` lists it. Running one stores nothing but its run's record and trace. */
function listedTool(tool: LibraryTool): Tool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    // Each property of these schemas is a schema, an object: the library's Json type is only wider.
    inputSchema: tool.inputSchema as Tool['inputSchema'],
    outputSchema: tool.outputSchema as Tool['outputSchema'],
    annotations: { title: tool.title, readOnlyHint: true, openWorldHint: false },
  };
}

const resourceLink = (r: LibraryResource): PromptMessage => ({
  role: 'user',
  content: { type: 'resource_link', uri: r.uri, name: r.name, mimeType: r.mimeType, size: r.size },
});

/**
 * One MCP session's server for one identity: its tools, prompts and resources are what that
 * identity can read in the library, looked up afresh on every request, and the client is told
 * when they change for as long as the session lives.
 */
export function createMcpServer(identity: Identity, deps: McpDeps, calls?: CallsInFlight): Server {
  const { library, log } = deps;
  const server = new Server(MCP_SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
    instructions: INSTRUCTIONS,
  });

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: (await library.view(identity)).tools.map(listedTool) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    // Over HTTP a call also stops when its request is dropped (`CallsInFlight`); over stdio only on cancel.
    const dropped = calls?.start(extra.requestId);
    try {
      return await callTool(identity, deps, request, dropped ? { ...extra, signal: AbortSignal.any([extra.signal, dropped]) } : extra);
    } finally {
      calls?.end(extra.requestId);
    }
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({
    prompts: (await library.view(identity)).prompts.map((p) => ({ name: p.name, title: p.title, description: p.description })),
  }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const view = await library.view(identity);
    const prompt = view.prompts.find((p) => p.name === request.params.name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `There is no prompt "${request.params.name}" you can read: call prompts/list for the names.`);
    const files = prompt.files.flatMap((uri) => view.resources.filter((r) => r.uri === uri));
    return {
      description: prompt.description,
      messages: [{ role: 'user', content: { type: 'text', text: prompt.body } }, ...files.map(resourceLink)],
    };
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: (await library.view(identity)).resources.map((r) => ({ uri: r.uri, name: r.name, title: `${r.skillId}/${r.path}`, mimeType: r.mimeType, size: r.size })),
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const found = await library.readResource(identity, uri);
    if (!found) throw new McpError(RESOURCE_NOT_FOUND, `There is no resource ${uri} you can read: call resources/list for the URIs.`, { uri });
    const { resource, bytes } = found;
    const text = TEXT_MIME.test(resource.mimeType);
    return {
      contents: [text ? { uri, mimeType: resource.mimeType, text: new TextDecoder().decode(bytes) } : { uri, mimeType: resource.mimeType, blob: Buffer.from(bytes).toString('base64') }],
    };
  });

  // Told once the client is ready for notifications; the list is what it reads next.
  let stopWatching: (() => void) | undefined;
  const announce = (send: () => Promise<void>) => send().catch((e: unknown) => log.debug({ err: e }, 'mcp: a list change was not delivered'));
  server.oninitialized = () => {
    stopWatching ??= library.watch(identity, () => {
      void announce(() => server.sendToolListChanged());
      void announce(() => server.sendPromptListChanged());
      void announce(() => server.sendResourceListChanged());
    });
  };
  server.onclose = () => {
    stopWatching?.();
    stopWatching = undefined;
  };
  return server;
}
