// Issue 18's run history and queue in Chromium against the real server: the runs of two people
// appear in each other's Runs panel; "run again with these inputs" puts a past run's inputs back
// (one undo step) and its outputs come from the cache; runs asked for during a run wait in a
// queue, one is cancelled, the others run in order with the inputs they were asked with; and a
// reload keeps the queue, which resumes; runs made by a script (REST) or an assistant (MCP) show
// there too, marked as such.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { listRuns, type RunRecord } from '../../shared/src/documents/runs';
import { putWorkflowListing } from '../../shared/src/documents/volume-index';
import { putNode, setNodeInput } from '../../shared/src/documents/workflow';
import { useApp, waitFor, type TestClient } from './harness';
import { closeMcpClient, mcpClient } from '../../sync-server/test/harness/mcp-clients';
import { addUserSkill, javascriptSkill, nodeById, numberOutput, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
const shot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : undefined);

/** A JavaScript skill with a number input `n` that waits `wait` ms, then gives `2n`. */
const doubling = (skillId: string, wait: number) =>
  javascriptSkill(
    skillId,
    `async function execute(inputs) {\n  await new Promise((r) => setTimeout(r, ${wait}));\n  return { result: inputs.n * 2 };\n}`,
    [{ name: 'result', type: 'number' }],
    [{ name: 'n', type: 'number', default: 1 }],
  );

beforeAll(async () => {
  await addUserSkill(app.server.url, 'double-n', doubling('double-n', 0));
  await addUserSkill(app.server.url, 'slow-double', doubling('slow-double', 2500));
});

/** A workflow of one node `n1` of `skillId` with `n` set, written by a collaborator's client; the client stays to edit it. */
async function workflowWith(id: string, skillId: string, n: number): Promise<TestClient> {
  const client = await app.connect(`user/default/workflow/${id}`);
  putNode(client.doc, { id: 'n1', skillId, label: skillId, position: { x: 80, y: 60 }, inputs: { n } });
  return client;
}

/** Opens a workflow as a person with this name. */
async function openAs(name: string, id: string) {
  const opened = await app.newPage();
  await opened.page.addInitScript((identity) => localStorage.setItem('llmunix.identity', JSON.stringify(identity)), { name, color: '#22c55e' });
  await opened.page.goto(`/#/workflow/user/default/${id}`);
  await opened.page.locator('[data-testid="workflow-canvas"]').waitFor();
  await waitForNodes(opened.page, 1);
  return opened;
}

const literal = (page: Page) => nodeById(page, 'n1').locator('[data-testid="literal-n"]');

/** Sets the node's input through the collaborator's client and waits until the page shows it. */
async function setN(client: TestClient, page: Page, n: number): Promise<void> {
  setNodeInput(client.doc, 'n1', 'n', n);
  await waitFor(async () => (await literal(page).inputValue()) === String(n), `the page to show n = ${n}`);
}

/** The runs as the runs room on the server holds them, newest first. */
async function serverRuns(id: string): Promise<RunRecord[]> {
  const client = await app.connect(`user/default/runs/${id}`);
  try {
    return listRuns(client.doc);
  } finally {
    client.destroy();
  }
}

const rows = (page: Page) => page.locator('[data-testid="run-row"]');

it("shows both people's runs to each, and runs again with a past run's inputs from the cache", async () => {
  const client = await workflowWith('history', 'double-n', 3);
  const alice = await openAs('Alice', 'history');
  const bob = await openAs('Bob', 'history');

  await alice.page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(alice.page, 'n1', 'done');
  await setN(client, bob.page, 5);
  await bob.page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(bob.page, 'n1', 'done');

  // Each sees both runs, the newest (Bob's) first, live.
  for (const { page } of [alice, bob]) {
    await page.locator('[data-testid="runs-button"]').click();
    await waitFor(async () => (await rows(page).count()) === 2, 'two runs in the panel');
    expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-by')))).toEqual(['Bob', 'Alice']);
  }

  // Alice opens Bob's run: its nodes and inputs, but its outputs are in Bob's browser, not hers.
  await rows(alice.page).nth(0).click();
  const detail = alice.page.locator('[data-testid="run-detail"]');
  await expect(detail.locator('[data-testid="run-node-inputs"]').textContent()).resolves.toContain('"n":5');
  await detail.locator('[data-testid="run-outputs-gone"]').waitFor();
  await alice.page.locator('[data-testid="runs-back"]').click();

  // Her own run shows its outputs from her cache.
  await rows(alice.page).nth(1).click();
  await expect(numberOutput(detail.locator('[data-testid="run-outputs"]'), 'result')).resolves.toBe(6);
  await shot(alice.page, 'run-history-detail');

  // Run again: n goes back to 3 (for Bob too, live), and the result comes from the cache.
  await detail.locator('[data-testid="run-again"]').click();
  await waitFor(async () => (await literal(alice.page).inputValue()) === '3', 'n back to 3');
  await waitFor(async () => (await literal(bob.page).inputValue()) === '3', "n back to 3 on Bob's canvas");
  await waitForStatus(alice.page, 'n1', 'cached');
  expect(await numberOutput(await openResult(alice.page, 'n1'), 'result')).toBe(6);
  await waitFor(async () => (await rows(bob.page).count()) === 3, "the run again in Bob's panel");
  const [again] = await serverRuns('history');
  expect(again).toMatchObject({ by: { name: 'Alice' }, trigger: 'again', status: 'done' });
  expect(again?.nodes.n1).toMatchObject({ status: 'cached', inputs: { n: 3 } });

  // One undo takes the inputs back.
  await alice.page.locator('[data-testid="undo"]').click();
  await waitFor(async () => (await literal(alice.page).inputValue()) === '5', 'undo puts n = 5 back');

  alice.errors.assertNone();
  bob.errors.assertNone();
  await alice.context.close();
  await bob.context.close();
  client.destroy();
});

it('queues runs asked for during a run; a cancelled one never runs, the others run in order', async () => {
  const client = await workflowWith('queue', 'slow-double', 1);
  const { page, context, errors } = await openAs('Alice', 'queue');
  await page.locator('[data-testid="runs-button"]').click();
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, 'n1', 'running');
  for (const n of [2, 3, 4]) {
    await setN(client, page, n);
    await page.locator('[data-testid="run-workflow"]').click();
  }
  const queued = page.locator('[data-testid="queued-run"]');
  await waitFor(async () => (await queued.count()) === 3, 'three runs queued');
  await shot(page, 'run-queue');
  await expect(page.locator('[data-testid="run-summary"]').textContent()).resolves.toMatch(/queued/);

  // The second queued run (n = 3) is cancelled before it starts.
  await queued.nth(1).locator('[data-testid="cancel-queued"]').click();
  await waitFor(async () => (await queued.count()) === 2, 'two runs left in the queue');

  await waitFor(async () => (await rows(page).count()) === 3, 'three runs done', 30_000);
  expect(await queued.count()).toBe(0);
  const runs = (await serverRuns('queue')).reverse();
  expect(runs.map((r) => r.nodes.n1?.inputs.n)).toEqual([1, 2, 4]);
  expect(runs.map((r) => r.trigger)).toEqual(['run', 'run', 'run']);
  // One after another: each started after the one before had finished.
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.started_at >= runs[i - 1]!.finished_at).toBe(true);
  errors.assertNone();
  await context.close();
  client.destroy();
});

it('keeps the queue through a reload, and resumes it', async () => {
  const client = await workflowWith('queue-reload', 'slow-double', 1);
  const { page, context, errors } = await openAs('Alice', 'queue-reload');
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, 'n1', 'running');
  for (const n of [2, 3]) {
    await setN(client, page, n);
    await page.locator('[data-testid="run-workflow"]').click();
  }
  await page.locator('[data-testid="runs-button"]').click();
  await waitFor(async () => (await page.locator('[data-testid="queued-run"]').count()) === 2, 'two runs queued');

  // The run in progress is lost with the page; the two waiting come back and run, in order.
  await page.reload();
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await page.locator('[data-testid="runs-button"]').click();
  await page.locator('[data-testid="queued-run"]').first().waitFor();
  await waitFor(async () => (await serverRuns('queue-reload')).length === 2, 'the two queued runs recorded', 30_000);
  const runs = (await serverRuns('queue-reload')).reverse();
  expect(runs.map((r) => r.nodes.n1?.inputs.n)).toEqual([2, 3]);
  await waitFor(async () => (await page.locator('[data-testid="queued-run"]').count()) === 0, 'the queue empty');
  errors.assertNone();
  await context.close();
  client.destroy();
});

it('shows the runs made outside the app, by a script (REST) and by an assistant (MCP), marked as such', async () => {
  const client = await workflowWith('from-outside', 'double-n', 4);
  const index = await app.connect('user/default');
  const now = new Date().toISOString();
  putWorkflowListing(index.doc, 'from-outside', { name: 'From outside', description: '', created_at: now, updated_at: now });
  await waitFor(async () => (await fetch(`${app.server.url}/api/workflows/from-outside/run`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"wait":true}' })).status === 200, 'a REST run of the workflow', 30_000);
  const mcp = await mcpClient(app.server.url);
  const called = await mcp.callTool({ name: 'from-outside', arguments: { n: 5 } });
  expect(called.structuredContent).toEqual({ result: 10 });
  await closeMcpClient(mcp);

  const { page, context, errors } = await openAs('Alice', 'from-outside');
  await page.locator('[data-testid="runs-button"]').click();
  await waitFor(async () => (await rows(page).count()) === 2, 'the two outside runs in the panel');
  expect(await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-trigger')))).toEqual(['mcp', 'api']);
  await expect(rows(page).nth(0).textContent()).resolves.toContain('via an assistant (MCP)');
  await expect(rows(page).nth(1).textContent()).resolves.toContain('via the API');
  await rows(page).nth(0).click();
  await expect(page.locator('[data-testid="run-detail"]').locator('[data-testid="run-node-inputs"]').textContent()).resolves.toContain('"n":5');
  errors.assertNone();
  await context.close();
  index.destroy();
  client.destroy();
});
