// Issue 15's run findings in Chromium, with the real runtimes: results show in a dock beside the
// flow and cover no node; an error is readable whole and its lines link to the skill's file;
// Python says it is loading before it runs; a collaborator's "done" goes out of date when an
// input changes; Run on an empty workflow says there is nothing to run.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, assertResultsCoverNoNode, dockFor, nodeById, openResult, pythonSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
const shot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : undefined);

/** A JavaScript skill with a number input, so a literal edit changes its signature. */
const DOUBLE = [
  '---',
  'name: double',
  'skill_id: double',
  'type: javascript',
  'inputs:',
  '  - name: n',
  '    type: number',
  '    default: 2',
  'outputs:',
  '  - name: result',
  '    type: number',
  '---',
  '',
  '# double',
  '',
  '## Code',
  '',
  '```javascript',
  'function execute(inputs) {',
  '  return { result: inputs.n * 2 };',
  '}',
  '```',
  '',
].join('\n');

/** Fails in `helper`, called from `execute`: a two-frame traceback. The code block starts at file line 15. */
const DIVIDE = 'import math\n\ndef helper(x):\n    return math.sqrt(x) / 0\n\ndef execute(inputs):\n    total = helper(inputs.get("n", 3))\n    return {"result": total}';

/** Computes for a moment, so its running state is seen. */
const BUSY = 'def execute(inputs):\n    total = sum(i * i for i in range(300_000))\n    return {"result": total % 1000}';

beforeAll(async () => {
  await addUserSkill(app.server.url, 'double', DOUBLE);
  await addUserSkill(app.server.url, 'divide', pythonSkill('divide', DIVIDE));
  await addUserSkill(app.server.url, 'busy', pythonSkill('busy', BUSY));
});

it('Run on an empty workflow says there is nothing to run', async () => {
  const { context, page, errors } = await app.openWorkflow('run-empty');
  await page.locator('.react-flow__pane').waitFor();
  await page.locator('[data-testid="run-workflow"]').click();
  await expect(page.locator('[data-testid="run-summary"]').textContent()).resolves.toMatch(/^Nothing to run: this workflow has no nodes yet/);
  expect(await page.locator('[data-testid="results-dock"]').count()).toBe(0);
  await shot(page, 'run-empty');
  errors.assertNone();
  await context.close();
});

it('a Python node says "loading Python" before it runs, then runs', async () => {
  const { context, page, errors } = await app.openWorkflow('run-loading');
  await dropSkill(page, 'busy', { x: 80, y: 60 });
  const busy = (await waitForNodes(page, 1)).busy!;
  // Every state the node shows, in order, from the DOM itself.
  await page.evaluate((id) => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const node = document.querySelector(`.react-flow__node[data-id="${id}"]`)!;
    const record = () => {
      const badge = node.querySelector('[data-testid="run-status"]');
      const state = badge ? `${badge.getAttribute('data-status')}|${badge.textContent}` : 'none';
      if (seen.at(-1) !== state) seen.push(state);
    };
    new MutationObserver(record).observe(node, { subtree: true, childList: true, attributes: true, characterData: true });
  }, busy);
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, busy, 'done', 45_000).catch(async (e: unknown) => {
    console.info('states seen:', await page.evaluate(() => (window as unknown as { seen: string[] }).seen.join(' → ')));
    await shot(page, 'run-loading-python-failed');
    throw e;
  });
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  console.info('states seen:', seen.join(' → '));
  const kinds = seen.map((s) => s.split('|')[0]);
  const loading = kinds.indexOf('loading');
  expect(loading).toBeGreaterThanOrEqual(0);
  expect(seen[loading]).toMatch(/^loading\|loading Python…/);
  expect(kinds.indexOf('running')).toBeGreaterThan(loading);
  expect(kinds.lastIndexOf('loading')).toBeLessThan(kinds.indexOf('running'));
  await shot(page, 'run-loading-python');
  errors.assertNone();
  await context.close();
});

it('an error shows whole in the dock, covering no node, and its lines link to the skill file', async () => {
  const { context, page, errors } = await app.openWorkflow('run-error', { context: { viewport: { width: 1280, height: 800 } } });
  // The failing node between two others, as in the first hour (its traceback was half hidden).
  await dropSkill(page, 'double', { x: 60, y: 60 });
  await dropSkill(page, 'divide', { x: 340, y: 60 });
  await dropSkill(page, 'double', { x: 620, y: 60 });
  await waitFor(async () => (await page.locator('.react-flow__node .run-bar').count()) === 3, 'three nodes');
  const ids = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => [e.querySelector('[data-skill]')?.getAttribute('data-skill'), e.getAttribute('data-id')] as const));
  const divide = ids.find(([skill]) => skill === 'divide')![1]!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, divide, 'error', 60_000);
  await expect(nodeById(page, divide).locator('[data-testid="run-status"]').textContent()).resolves.toMatch(/^failed \d/);

  const panel = await openResult(page, divide);
  await expect(dockFor(page, divide).locator('[data-testid="results-dock-name"]').textContent()).resolves.toBe('divide');
  const error = panel.locator('[data-testid="result-error"]');
  const text = (await error.textContent()) ?? '';
  expect(text).toMatch(/ZeroDivisionError: (float )?division by zero$/);
  // Whole: wrapped (nothing runs past the right edge) and either fully shown or scrollable.
  const fits = await error.evaluate((e) => ({
    wide: e.scrollWidth <= e.clientWidth + 1,
    tall: e.scrollHeight <= e.clientHeight + 1 || getComputedStyle(e).overflowY === 'auto',
  }));
  expect(fits).toEqual({ wide: true, tall: true });
  // Code lines 7 and 4 are file lines 21 and 18.
  const links = error.locator('[data-testid="error-line"]');
  await expect(links.evaluateAll((els) => els.map((e) => [e.textContent, e.getAttribute('data-line')]))).resolves.toEqual([
    ['File "volumes/user/default/skills/divide.md", line 21', '21'],
    ['File "volumes/user/default/skills/divide.md", line 18', '18'],
  ]);
  await links.first().click();
  // The link opens the editor beside the canvas at that line; it does not navigate away from the workflow.
  expect(await page.evaluate(() => location.hash)).toBe('#/workflow/user/default/run-error');
  const beside = page.locator('[data-testid="skill-beside"][data-skill-id="divide"]');
  await beside.locator('.cm-activeLineGutter').filter({ hasText: /^21$/ }).waitFor();
  expect(await beside.locator('.cm-activeLine').textContent()).toBe('    total = helper(inputs.get("n", 3))');
  await assertResultsCoverNoNode(page);
  await shot(page, 'run-error-dock');
  // The traceback's other line moves the open editor's cursor there.
  await links.nth(1).click();
  await beside.locator('.cm-activeLineGutter').filter({ hasText: /^18$/ }).waitFor();
  expect(await beside.locator('.cm-activeLine').textContent()).toBe('    return math.sqrt(x) / 0');
  await page.locator('[data-testid="close-skill-beside"]').click();
  await beside.waitFor({ state: 'detached' });

  // The dock is wider when its left edge is dragged left; the flow gives way, still covered by nothing.
  const dock = page.locator('[data-testid="results-dock"]');
  const before = (await dock.boundingBox())!;
  await page.mouse.move(before.x + 4, before.y + before.height - 4);
  await page.mouse.down();
  await page.mouse.move(before.x - 96, before.y + before.height - 4, { steps: 5 });
  await page.mouse.up();
  const after = (await dock.boundingBox())!;
  expect(after.width).toBeGreaterThan(before.width + 50);
  expect(Math.round(after.x + after.width)).toBe(Math.round(before.x + before.width));
  await assertResultsCoverNoNode(page);

  // Closed, the dock gives the flow its room back; selecting a node opens it again with that
  // node's results, its own: the first node's number, still covering nothing.
  await page.locator('[data-testid="close-results"]').click();
  await dock.waitFor({ state: 'detached' });
  const first = ids.find(([skill]) => skill === 'double')![1]!;
  const firstPanel = await openResult(page, first);
  await expect(firstPanel.locator('[data-output="result"] [data-testid="output-number"]').textContent()).resolves.toBe('4');
  await assertResultsCoverNoNode(page);
  errors.assertNone();
  await context.close();
});

it("after one person changes an input, the other's done for that node reads out of date", async () => {
  const { page: alice } = await app.openWorkflow('run-peers');
  await alice.evaluate(() => localStorage.setItem('llmunix.identity', JSON.stringify({ name: 'Alice', color: '#22c55e' })));
  await alice.reload();
  const { page: bob } = await app.openPage('/#/workflow/user/default/run-peers');
  await dropSkill(alice, 'double', { x: 80, y: 60 });
  const id = (await waitForNodes(alice, 1)).double!;
  await waitForNodes(bob, 1);

  await alice.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(alice, id, 'done', 30_000);
  const remote = nodeById(bob, id).locator('[data-testid="remote-run-status"]');
  await remote.and(bob.locator('[data-status="done"]')).waitFor({ timeout: 10_000 });
  expect(await remote.textContent()).toBe('Alice: done');

  // Bob changes the input Alice's result was made from.
  const field = nodeById(bob, id).locator('[data-testid="literal-n"]');
  await field.fill('5');
  await field.press('Enter');
  await remote.and(bob.locator('[data-status="stale"]')).waitFor({ timeout: 10_000 });
  expect(await remote.textContent()).toBe('Alice: out of date');
  // And Alice, whose own result it is, sees it out of date too.
  await waitForStatus(alice, id, 'stale', 10_000);
  await shot(bob, 'run-peer-out-of-date');
  // Putting the input back makes Alice's result current again for both.
  await field.fill('');
  await field.press('Enter');
  await remote.and(bob.locator('[data-status="done"]')).waitFor({ timeout: 10_000 });
  await waitForStatus(alice, id, 'done', 10_000);
  await alice.context().close();
  await bob.context().close();
});
