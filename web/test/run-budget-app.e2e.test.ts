// The storage budget in the app: with a small budget set in the Storage panel, the outputs of the
// runs in the workflow's run history stay cached beside it (pinned); once runs leave the history,
// their results count against it, and the next run drops the one used longest ago (those inputs
// compute again) and keeps the newer (reused); the panel follows along, and clearing empties it.
import { beforeAll, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { listRuns, runsOf } from '../../shared/src/documents/runs';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, nodeById, statusOf, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

/** Returns about 3 kB of text for each n, so a few results fill a budget of 7 kB. */
const PADDED = javascriptSkill(
  'padded',
  "function execute(inputs) {\n  return { result: String(inputs.n).padStart(3000, '.') };\n}",
  [{ name: 'result', type: 'string' }],
  [{ name: 'n', type: 'number', default: 0 }],
);

beforeAll(async () => {
  await addUserSkill(app.server.url, 'padded', PADDED);
});

/** The keys of the cached results in the page's run store. */
const cachedKeys = (page: Page): Promise<string[]> =>
  page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const keys = open.result.transaction('results').objectStore('results').getAllKeys();
      keys.onsuccess = () => { open.result.close(); resolve(keys.result); };
    };
  })`) as Promise<string[]>;

/** Sets the node's input n and runs the workflow; resolves with the state it ends in (done: computed, cached: reused). */
async function runWith(page: Page, node: string, n: number): Promise<string> {
  const field = nodeById(page, node).locator('[data-testid="literal-n"]');
  const ranBefore = (await statusOf(page, node)) !== null;
  await field.fill(String(n));
  await field.press('Enter');
  // Its earlier result goes out of date first, so the state awaited below is this run's.
  if (ranBefore) await waitForStatus(page, node, 'stale', 10_000);
  await page.locator('[data-testid="run-workflow"]').click();
  await nodeById(page, node).locator('[data-testid="run-status"][data-status="done"], [data-testid="run-status"][data-status="cached"]').waitFor();
  return (await nodeById(page, node).locator('[data-testid="run-status"]').getAttribute('data-status')) ?? '';
}

const numberAttr = async (locator: Locator, name: string) => Number(await locator.getAttribute(name));

it('results of runs in the history stay beside a small budget; once runs leave it, the one used longest ago goes first; the Storage panel shows it; clearing empties the cache', async () => {
  const { context, page, errors } = await app.openWorkflow('run-budget');
  await dropSkill(page, 'padded', { x: 80, y: 160 });
  const node = (await waitForNodes(page, 1)).padded!;

  await page.locator('[data-testid="storage-open"]').click();
  const panel = page.locator('[data-testid="storage-panel"]');
  const results = panel.locator('[data-testid="storage-results"]');
  const nodes = panel.locator('[data-testid="storage-nodes"]');
  const used = panel.locator('[data-testid="storage-budget-used"]');
  // The browser has answered the request for persistent storage, and says what the site uses.
  await waitFor(async () => (await panel.locator('[data-testid="storage-persistence"]').getAttribute('data-state')) !== 'asking', 'the answer on persistent storage');
  expect(['persistent', 'best-effort']).toContain(await panel.locator('[data-testid="storage-persistence"]').getAttribute('data-state'));
  await waitFor(async () => (await numberAttr(panel.locator('[data-testid="storage-estimate"]'), 'data-quota')) > 0, "the browser's estimate");

  // A bad budget is refused with a reason; 0.007 MiB (7,340 bytes) holds two results of 3 kB.
  const budget = panel.locator('[data-testid="storage-budget-input"]');
  await expect(budget.inputValue()).resolves.toBe('500');
  await budget.fill('lots');
  await panel.locator('[data-testid="storage-budget-save"]').click();
  await expect(panel.locator('[data-testid="storage-budget-error"]').textContent()).resolves.toContain('"lots" is not a size');
  await budget.fill('0.007');
  await panel.locator('[data-testid="storage-budget-save"]').click();
  await waitFor(async () => (await numberAttr(used, 'data-budget')) === 7340, 'the new budget');

  // Four runs, each in the run history: their results all stay, pinned, beside the budget, which
  // the node's own saved result (one per node) keeps to.
  for (const n of [1, 2, 3, 4]) {
    expect(await runWith(page, node, n)).toBe('done');
    const shown = async () => [await numberAttr(results, 'data-entries'), await numberAttr(results, 'data-pinned-entries'), await numberAttr(nodes, 'data-entries')];
    await waitFor(async () => JSON.stringify(await shown()) === JSON.stringify([n, n, 1]), `the panel to show ${n} pinned results after run ${n}`, 15_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; the panel showed [results, pinned, nodes] = ${JSON.stringify(await shown())}`);
    });
    expect(await numberAttr(used, 'data-bytes')).toBeLessThanOrEqual(7340);
  }

  // What is cached is exactly the outputs the history records.
  const history = await app.connect('user/default/runs/run-budget');
  await waitFor(() => listRuns(history.doc).length === 4, 'the four runs on the server');
  const runs = listRuns(history.doc).reverse();
  const keys = runs.map((r) => r.nodes[node]?.cache_key ?? '');
  expect((await cachedKeys(page)).sort()).toEqual([...keys].sort());

  // The first two runs leave the history (as runs past the newest kept do): their results now
  // count against the budget, over it with the node's. The next run (reusing run 3's result)
  // drops the one used longest ago, run 1's; run 2's, newer, fits.
  for (const run of runs.slice(0, 2)) runsOf(history.doc).delete(run.id);
  history.destroy();
  // Escape closes it wherever focus is, and focus goes back to the button that opened it.
  await page.locator('[data-testid="storage-budget-input"]').focus();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="storage-panel"]').waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('storage-open');
  await page.locator('[data-testid="runs-button"]').click();
  await waitFor(async () => (await page.locator('[data-testid="run-row"]').count()) === 2, 'two runs left in the history');
  await page.locator('[data-testid="runs-button"]').click();
  await page.locator('[data-testid="storage-open"]').click();
  expect(await runWith(page, node, 3)).toBe('cached');
  await waitFor(async () => !(await cachedKeys(page)).includes(keys[0]!), 'the result of run 1 to go');
  expect((await cachedKeys(page)).sort()).toEqual(keys.slice(1).sort());
  await waitFor(async () => (await numberAttr(results, 'data-entries')) === 3 && (await numberAttr(results, 'data-pinned-entries')) === 2, 'the panel to show three results, two pinned');

  // Run 1's inputs compute again; the newest run's are reused.
  expect(await runWith(page, node, 1)).toBe('done');
  expect(await runWith(page, node, 4)).toBe('cached');

  // Clearing empties the cache (after a confirmation), pinned results too; inputs run before then compute again.
  await panel.locator('[data-testid="storage-clear-results"]').click();
  await panel.locator('[data-testid="storage-clear-results-confirm"]').click();
  await waitFor(async () => (await numberAttr(results, 'data-entries')) === 0 && (await numberAttr(results, 'data-bytes')) === 0, 'the panel to show an empty cache');
  expect(await cachedKeys(page)).toEqual([]);
  expect(await runWith(page, node, 3)).toBe('done');
  await waitFor(async () => (await numberAttr(results, 'data-entries')) === 1, 'the one new result');

  // The budget is this browser's: a reload keeps it.
  await page.reload();
  await page.locator('[data-testid="storage-open"]').click();
  await expect(page.locator('[data-testid="storage-budget-input"]').inputValue()).resolves.toBe('0.007');
  errors.assertNone();
  await context.close();
});
