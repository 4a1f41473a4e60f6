// The assistant edits the shared workflow: the fake model asks to add and connect nodes, the
// browser carries the calls out on the session's workflow, a collaborator watching that
// workflow sees the nodes appear live, and one undo in the asking browser removes them all.
import { expect, it } from 'vitest';
import { listRuns } from '../../shared/src/documents/runs';
import { readWorkflowGraph } from '../../shared/src/documents/workflow';
import { runsRoomOf } from '../../shared/src/rooms';
import { waitFor } from './harness';
import { useAppWithFakeChat } from './harness/fake-chat';
import { nodeIds, visibleNodes } from './harness/canvas';


const chat = useAppWithFakeChat();
const app = chat.app;

/** The node ids the app reported back in the tool results of a request. */
function nodeIdsFrom(body: Record<string, unknown>): string[] {
  const messages = body.messages as Array<{ content: unknown }>;
  const results = messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string; content?: string }>) : []));
  return results.filter((b) => b.type === 'tool_result').map((b) => (JSON.parse(b.content ?? '{}') as { node_id?: string }).node_id ?? '').filter(Boolean);
}

it('tool calls build the workflow live for collaborators, and one undo removes them all', async () => {
  const created = await fetch(`${app.server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Build it"}' });
  const session = ((await created.json()) as { id: string }).id;
  const { page: asker } = await app.openPage(`/#/session/user/default/${session}`);

  chat.fake.reply(
    { kind: 'stream', blocks: [{ type: 'text', text: ['Adding the nodes.'] }, { type: 'tool_use', id: 't1', name: 'add_node', input: { skill_id: 'quantum-hamiltonian' } }, { type: 'tool_use', id: 't2', name: 'add_node', input: { skill_id: 'quantum-vqe', inputs: { max_iterations: 100 } } }] },
    (body) => {
      const [ham, vqe] = nodeIdsFrom(body);
      return { kind: 'stream', blocks: [{ type: 'tool_use', id: 't3', name: 'connect_ports', input: { source_node: ham, output: 'hamiltonian', target_node: vqe, input: 'hamiltonian' } }] };
    },
    { kind: 'stream', blocks: [{ type: 'tool_use', id: 't4', name: 'run_workflow', input: {} }] },
    { kind: 'stream', blocks: [{ type: 'text', text: ['Done: Hamiltonian feeds the VQE.'] }] },
  );
  await asker.locator('[data-testid="chat-input"]').fill('Build a VQE workflow for H2');
  await asker.locator('[data-testid="chat-send"]').click();
  await asker.locator('[data-testid="message-content"]', { hasText: 'Hamiltonian feeds the VQE' }).waitFor();
  expect(await asker.locator('[data-testid="tool-call"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tool')))).toEqual(['add_node', 'add_node', 'connect_ports', 'run_workflow']);
  // The run happened in the browser; the model got the outputs, the message keeps the trace.
  const runResult = JSON.parse((await asker.locator('[data-testid="tool-call"][data-tool="run_workflow"] pre').last().textContent()) ?? '{}') as { ok: boolean; nodes: Record<string, { outputs?: { eigenvalue?: number } }> };
  expect(runResult.ok).toBe(true);
  const energy = Object.values(runResult.nodes).find((n) => n.outputs?.eigenvalue !== undefined)?.outputs?.eigenvalue;
  expect(Math.abs((energy ?? 0) + 1.137)).toBeLessThan(1e-3);
  await asker.locator('[data-testid="session-message"][data-role="assistant"]', { hasText: '1 trace(s)' }).waitFor();

  // A collaborator opens the session's workflow and sees what the assistant built.
  const link = await asker.locator('[data-testid="chat-workflow-link"]').getAttribute('href');
  expect(link).toMatch(/^#\/workflow\/user\/default\//);
  const { page: watcher } = await app.openPage(`/${link}`);
  await waitFor(async () => (await visibleNodes(watcher).count()) === 2 && (await watcher.locator('.react-flow__edge').count()) === 1, 'the assistant’s nodes and edge');
  const room = `user/default/workflow/${link!.split('/').pop()}`;
  const script = await app.connect(room);
  expect(readWorkflowGraph(script.doc).nodes.find((n) => n.skillId === 'quantum-vqe')?.inputs).toEqual({ max_iterations: 100 });
  // The assistant's run is in the workflow's run history, as the person's, made by the assistant.
  const runs = await app.connect(runsRoomOf(room)!);
  await waitFor(() => listRuns(runs.doc).length === 1, 'the assistant’s run in the history');
  expect(listRuns(runs.doc)[0]).toMatchObject({ trigger: 'assistant', status: 'done', workflow_room: room });
  runs.destroy();

  // The person who asked undoes once: every edit of that answer goes, for everyone.
  await asker.goto(`/${link}`);
  await waitFor(async () => (await visibleNodes(asker).count()) === 2, 'the workflow in the asking browser');
  await asker.locator('[data-testid="undo"]').click();
  await waitFor(async () => (await nodeIds(watcher)).length === 0, 'the collaborator to see the undo');
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 0 && readWorkflowGraph(script.doc).edges.length === 0, 'the server to hold the undo');
  script.destroy();
  await asker.context().close();
  await watcher.context().close();
});
