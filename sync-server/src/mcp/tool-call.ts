import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolRequest, CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { Identity } from '../../../shared/src/access';
import type { Json } from '../../../shared/src/json';
import { HttpError } from '../http/errors';
import { RunInputError, type Library, type PreparedRun } from '../library/types';
import { RunsBusyError, type RunService, type RunView } from '../runs/types';
import { callResult, RUN_META, toolError } from './call-result';

export interface ToolCallDeps {
  library: Library;
  runs: RunService;
  log: Logger;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/**
 * Sends `notifications/progress` as the run goes (nodes done of all, and which run now), when the
 * caller asked for it with a progress token. MCP wants each notification's progress higher than
 * the last, so one goes out when the first node starts (not while queued) and then each time a
 * node settles. Each names its run, which a client may look up (`GET /api/runs/:run_id`) or cancel.
 */
function progressReporter(extra: Extra, log: Logger): ((view: RunView) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let sent = -1;
  return (view) => {
    const { done, total, running } = view.progress;
    if (done <= sent || (sent < 0 && done === 0 && running.length === 0) || extra.signal.aborted) return;
    sent = done;
    const message = running.length > 0 ? `${done} of ${total} done; running ${running.join(', ')}` : `${done} of ${total} done`;
    const params = { progressToken, progress: done, total, message, _meta: { [RUN_META]: { run_id: view.run_id } } };
    extra.sendNotification({ method: 'notifications/progress', params }).catch((e: unknown) => {
      log.debug({ err: e }, 'mcp: a progress notification was not delivered');
    });
  };
}

/**
 * `tools/call`: the tool is looked up in what the caller can read now (so a tool gone since the
 * last list is said to be gone), its arguments become the run's inputs, and the run goes through
 * the server's run service like any other. Everything that goes wrong with the call itself is a
 * tool error the model can read and act on; only a broken server is a protocol error.
 */
export async function callTool(identity: Identity, deps: ToolCallDeps, request: CallToolRequest, extra: Extra): Promise<CallToolResult> {
  const { name } = request.params;
  const view = await deps.library.view(identity);
  const tool = view.tools.find((t) => t.name === name);
  if (!tool) {
    return toolError(`There is no tool "${name}" you can call. Call tools/list for the names of the skills and workflows you can call (the list changes as the library does).`);
  }
  let prepared: PreparedRun;
  try {
    prepared = await deps.library.prepareTool(identity, tool, (request.params.arguments ?? {}) as Record<string, Json>);
  } catch (e) {
    if (e instanceof RunInputError) return toolError(`Bad arguments to ${name}: ${e.message}`);
    // Gone or unrunnable since it was listed (deleted, its skills changed): the library says why.
    if (e instanceof HttpError) return toolError(`${name} cannot run: ${e.message}`);
    throw e;
  }
  let handle;
  try {
    handle = deps.runs.start(prepared, { identity, trigger: 'mcp', signal: extra.signal, onProgress: progressReporter(extra, deps.log) });
  } catch (e) {
    if (e instanceof RunsBusyError) return toolError(`The server is busy running other calls (${e.message}). Try again in a little while.`);
    throw e;
  }
  const finished = await handle.done;
  deps.log.debug({ tool: name, run: finished.run_id, state: finished.state, ms: finished.duration_ms }, 'mcp: tool call finished');
  return callResult(finished);
}
