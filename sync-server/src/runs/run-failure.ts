import { errorGist, errorPieces } from '../../../shared/src/execution/error-lines';
import type { WorkflowIssue } from '../../../shared/src/workflow/validate';

/**
 * Why a run failed, in one line a person (or an assistant) can act on: the node that failed
 * first, its skill, the line of the skill file its error points at, and the gist of the error,
 * as `node "fit" (skill curve-fit) failed at curve-fit.md line 14: ZeroDivisionError: …`.
 */
export function nodeFailure(nodeId: string, skillId: string, error: string, nodeTimeoutMs: number): string {
  const at = errorPieces(error).find((p) => typeof p !== 'string');
  const where = at && typeof at !== 'string' ? ` at ${at.file} line ${at.line}` : '';
  const gist = errorGist(error) ?? error.trim();
  // The executor's own words say how a skill raises its limit; the server's limit is ours to name.
  const limit = /^timed out after \d+ ms/.test(gist) ? ` (the server's per-node limit is RUN_NODE_TIMEOUT_MS=${nodeTimeoutMs})` : '';
  return `node "${nodeId}" (skill ${skillId}) failed${where}: ${gist}${limit}`;
}

/** A workflow that did not validate: nothing ran. */
export const invalidWorkflow = (issues: readonly WorkflowIssue[]): string => `the workflow is invalid, so nothing ran: ${issues.map((i) => i.message).join('; ')}`;

/** The run outlived RUN_TIMEOUT_MS and was cancelled. */
export const runTimedOut = (runTimeoutMs: number): string =>
  `the run took longer than the server's limit of ${runTimeoutMs} ms (RUN_TIMEOUT_MS) and was cancelled; run fewer or lighter nodes at once, or raise RUN_TIMEOUT_MS on the server`;
