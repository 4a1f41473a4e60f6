import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorGist } from '../../../shared/src/execution/error-lines';
import type { NodeSummary } from '../headless/run-file';
import type { RunView } from '../runs/types';

/** How many lines of a failing node's error text a tool error shows (a traceback's end says most). */
const ERROR_TAIL_LINES = 30;

/** The `_meta` key of a call's result that names its run (`run_id`, `state`, `duration_ms`), for clients that want it. */
export const RUN_META = 'llmunix/run';

/** A failed call as MCP wants it: a result the model reads (`isError`), never a protocol error. */
export const toolError = (text: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text }] });

/** One node's line, as `npm run workflow` shows it: `fit done`, `plot error: ZeroDivisionError: …`. */
function statusLine(id: string, node: NodeSummary): string {
  const gist = node.error === undefined ? undefined : errorGist(node.error);
  return `${id}: ${node.status}${gist && node.status !== 'cancelled' ? `: ${gist}` : ''}`;
}

const tail = (text: string, lines: number): string => {
  const all = text.replace(/\n$/, '').split('\n');
  return all.length <= lines ? all.join('\n') : `… (${all.length - lines} lines before)\n${all.slice(-lines).join('\n')}`;
};

/**
 * A finished run as a tool's result: its outputs as structured content (they match the tool's
 * output schema) and as readable JSON with every node's status; a failure names the node, its
 * skill and line, with the end of what the failing nodes reported.
 */
export function callResult(view: RunView): CallToolResult {
  return { ...resultOf(view), _meta: { [RUN_META]: { run_id: view.run_id, state: view.state, ...(view.duration_ms === undefined ? {} : { duration_ms: view.duration_ms }) } } };
}

function resultOf(view: RunView): CallToolResult {
  const lines = Object.entries(view.nodes).map(([id, node]) => statusLine(id, node));
  switch (view.state) {
    case 'done': {
      const outputs = view.outputs ?? {};
      return {
        content: [{ type: 'text', text: `${JSON.stringify(outputs, null, 2)}\n\n${view.name}: done${view.duration_ms === undefined ? '' : ` in ${view.duration_ms} ms`}\n${lines.join('\n')}` }],
        structuredContent: outputs,
      };
    }
    case 'cancelled':
      return toolError(`cancelled: ${view.name} was stopped before it finished.\n${lines.join('\n')}`);
    default: {
      const failing = Object.entries(view.nodes).filter(([, n]) => n.status === 'error' && n.error);
      const details = failing.map(([id, n]) => `--- ${id} ---\n${tail(n.error!, ERROR_TAIL_LINES)}`);
      return toolError([view.error ?? `${view.name} failed (${view.state}).`, '', ...lines, ...(details.length > 0 ? ['', ...details] : [])].join('\n'));
    }
  }
}
