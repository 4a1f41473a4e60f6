// Every run leaves a trace: in IndexedDB, and on the current session (the one last opened) as a
// message whose `traces` hold the nodes, skills, durations and status.
import { beforeAll, expect, it } from 'vitest';
import { readMessages } from '../../shared/src/documents/session';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

beforeAll(async () => {
  await addUserSkill(app.server.url, 'answer', javascriptSkill('answer', 'function execute() {\n  return { result: 42 };\n}'));
});

it('a canvas run attaches its trace to the current session and keeps it in IndexedDB', async () => {
  const created = await fetch(`${app.server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Traced"}' });
  const session = ((await created.json()) as { id: string }).id;
  const { page } = await app.openPage(`/#/session/user/default/${session}`);
  await page.locator('[data-testid="chat-input"]').waitFor();

  await page.goto('/#/workflow/user/default/run-traced');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'answer', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1)).answer!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'done');

  const room = await app.connect(`user/default/session/${session}`);
  await waitFor(() => readMessages(room.doc).some((m) => (m.traces?.length ?? 0) > 0), 'the trace on the session');
  const trace = readMessages(room.doc).find((m) => m.traces?.length)?.traces?.[0] as { status: string; workflow: string; nodes: Array<{ id: string; skillId: string; status: string; durationMs: number }> };
  expect(trace).toMatchObject({ status: 'done', workflow: 'user/default/workflow/run-traced' });
  expect(trace.nodes).toEqual([expect.objectContaining({ id: node, skillId: 'answer', status: 'done' })]);
  room.destroy();

  // The same trace is in this browser's IndexedDB (database llmunix-runs, store traces).
  const stored = (await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const all = open.result.transaction('traces').objectStore('traces').getAll();
      all.onsuccess = () => resolve(all.result.map((t) => ({ workflow: t.workflow, status: t.status })));
    };
  })`)) as Array<{ workflow: string; status: string }>;
  expect(stored).toContainEqual({ workflow: 'user/default/workflow/run-traced', status: 'done' });
  await page.context().close();
});
