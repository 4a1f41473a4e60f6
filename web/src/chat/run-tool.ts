import type * as Y from 'yjs';
import { readWorkflowGraph } from '../../../shared/src/documents/workflow';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { RunTrace } from '../../../shared/src/execution/types';
import type { Catalog } from '../documents/catalog';
import type { RoomSet } from '../documents/rooms';
import { recordRun } from '../run/run-history';
import { resolveForBrowser } from '../run/run-session';
import { resultCache, saveTrace } from '../run/run-store';
import { browserRuntimes } from '../runtimes/browser-runtimes';
import type { ToolOutcome } from './tools';

/** Long outputs are cut for the model; it gets the shape and the start, not megabytes. */
const MAX_OUTPUT_CHARS = 2000;

function brief(value: unknown): unknown {
  const text = JSON.stringify(value) ?? 'null';
  return text.length <= MAX_OUTPUT_CHARS ? value : `${text.slice(0, MAX_OUTPUT_CHARS)}… (${text.length} characters in all)`;
}

/**
 * The assistant's run_workflow tool: runs the workflow in this browser with the same executor,
 * runtimes and result cache as the canvas, keeps the trace, and tells the model what each node
 * did (outputs, errors, or why nothing ran). The run joins the workflow's run history, as the
 * assistant's ("assistant") on behalf of this person.
 */
export async function runForAssistant(rooms: RoomSet, room: string, doc: Y.Doc, catalog: Catalog, nodeId?: string): Promise<ToolOutcome & { trace: RunTrace }> {
  const graph = readWorkflowGraph(doc);
  if (nodeId && !graph.nodes.some((n) => n.id === nodeId)) {
    return { content: `No node "${nodeId}" in the workflow.`, isError: true, trace: emptyTrace(room) };
  }
  const startedAt = Date.now();
  const resolve = (skillId: string) => resolveForBrowser(catalog.entry(skillId));
  const report = await runWorkflow({
    graph,
    resolve,
    library: catalog.library,
    runtimes: browserRuntimes(() => `assistant:${room}`),
    cache: resultCache,
    targets: nodeId ? [nodeId] : undefined,
    workflow: room,
    newId: () => crypto.randomUUID(),
  });
  await saveTrace(report.trace).catch(() => undefined);
  void recordRun(rooms, report, graph, { workflowRoom: room, startedAt, trigger: 'assistant', resolve }).catch(() => undefined);
  if (report.issues.length > 0) {
    return { content: `Nothing ran; fix these first:\n${report.issues.map((i) => `- ${i.message}`).join('\n')}`, isError: true, trace: report.trace };
  }
  const nodes = Object.fromEntries(
    Object.entries(report.nodes).map(([id, s]) => [
      id,
      {
        status: s.status,
        ...(s.error ? { error: s.error } : {}),
        // Each output is cut on its own, so a long array does not hide a short number beside it.
        ...(s.outputs ? { outputs: Object.fromEntries(Object.entries(s.outputs).map(([k, v]) => [k, brief(v)])) } : {}),
      },
    ]),
  );
  return { content: JSON.stringify({ ok: report.ok, nodes }), isError: !report.ok, trace: report.trace };
}

const emptyTrace = (room: string): RunTrace => ({ id: crypto.randomUUID(), workflow: room, startedAt: new Date().toISOString(), durationMs: 0, status: 'invalid', nodes: [] });
