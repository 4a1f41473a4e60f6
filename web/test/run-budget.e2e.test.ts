// The storage budget of the result cache and the saved node results (web/src/run/result-budget.ts)
// against Chromium's real IndexedDB: the least recently used go first, pinned results stay, the
// counted bytes match what is stored, and the two stores share one budget.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { BudgetPage } from './budget/budget-page';
import { bundleForPage, useApp } from './harness';

const app = useApp();
let bundle: string;

beforeAll(async () => {
  bundle = await bundleForPage(path.join(import.meta.dirname, 'budget/budget-page.ts'));
});

/** A fresh profile (its own IndexedDB) on a blank page of the app's origin, with the run store loaded. */
async function budgetPage(): Promise<Page> {
  const { page } = await app.newPage({ context: { serviceWorkers: 'block' } });
  await page.route('**/budget-test.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/budget-page.js"></script>' }));
  await page.route('**/budget-page.js', (route) => route.fulfill({ contentType: 'text/javascript', body: bundle }));
  await page.goto('/budget-test.html');
  await page.waitForFunction(() => 'budgetPage' in window);
  return page;
}

/** Calls a method of the page's budgetPage with JSON arguments. */
function call<K extends keyof BudgetPage>(page: Page, method: K, ...args: Parameters<BudgetPage[K]>): Promise<Awaited<ReturnType<BudgetPage[K]>>> {
  return page.evaluate(({ method, args }) => (window.budgetPage[method] as (...a: unknown[]) => unknown)(...args), { method, args }) as Promise<Awaited<ReturnType<BudgetPage[K]>>>;
}

/** Fails unless the totals are the sum of the usage entries, and every entry's value is stored. */
async function expectConsistent(page: Page) {
  const { results, nodes, usage, totals } = await call(page, 'contents');
  const sum = (store: string) => usage.filter((u) => u.store === store).reduce((n, u) => n + u.bytes, 0);
  expect(totals).toEqual({ results: sum('results'), nodes: sum('nodes') });
  expect(usage.filter((u) => u.store === 'results').map((u) => u.key).sort()).toEqual(results);
  expect(usage.filter((u) => u.store === 'nodes').map((u) => u.key).sort()).toEqual(nodes);
  return { results, nodes, totals };
}

it('past the budget, the least recently used results go first; reading one makes it recent', async () => {
  const page = await budgetPage();
  await call(page, 'setBudget', 3500);
  for (const key of ['a', 'b', 'c']) await call(page, 'set', key, 1000);
  expect((await expectConsistent(page)).results).toEqual(['a', 'b', 'c']);
  // Reading a makes b the least recently used.
  expect(await call(page, 'get', 'a')).toBe('a');
  await call(page, 'set', 'd', 1000);
  const after = await expectConsistent(page);
  expect(after.results).toEqual(['a', 'c', 'd']);
  expect(after.totals.results).toBe(3000);
  expect(await call(page, 'get', 'b')).toBeNull();
  // A larger one makes room for itself by dropping as many of the oldest as it needs.
  await call(page, 'set', 'e', 2400);
  expect((await expectConsistent(page)).results).toEqual(['d', 'e']);
  await page.context().close();
});

it('a result written again under its key is counted once, at its new size; the pinned are counted apart', async () => {
  const page = await budgetPage();
  await call(page, 'set', 'a', 1000);
  await call(page, 'set', 'a', 3000);
  await call(page, 'set', 'b', 500);
  expect((await expectConsistent(page)).totals).toEqual({ results: 3500, nodes: 0 });
  // What the Storage panel shows: b is pinned (and a key pinned but not cached counts nothing).
  await call(page, 'pin', ['b', 'gone']);
  expect(await call(page, 'usage')).toEqual({ results: { bytes: 3500, entries: 2 }, nodes: { bytes: 0, entries: 0 }, pinned: { bytes: 500, entries: 1 } });
  await page.context().close();
});

it('pinned results stay whatever their age, beside the budget, which bounds the rest', async () => {
  const page = await budgetPage();
  await call(page, 'setBudget', 2500);
  await call(page, 'pin', ['a', 'b']);
  for (const key of ['a', 'b', 'c', 'd', 'e']) await call(page, 'set', key, 1000);
  // a and b are the oldest, but pinned: c went instead, as d and e fit the budget.
  expect((await expectConsistent(page)).results).toEqual(['a', 'b', 'd', 'e']);
  await call(page, 'setBudget', 1500);
  await call(page, 'keepToBudget');
  expect((await expectConsistent(page)).results).toEqual(['a', 'b', 'e']);
  // A budget below even the newest result drops it too; the pinned stay.
  await call(page, 'setBudget', 500);
  await call(page, 'keepToBudget');
  expect((await expectConsistent(page)).results).toEqual(['a', 'b']);
  // Once their run is gone from the history, they go like any other: the oldest first.
  await call(page, 'setBudget', 1500);
  await call(page, 'pin', []);
  await call(page, 'keepToBudget');
  expect((await expectConsistent(page)).results).toEqual(['b']);
  await page.context().close();
});

it('a pass reads past hundreds of pinned entries to the least recently used of the rest', async () => {
  const page = await budgetPage();
  await call(page, 'fill', 'k', 1200, 100);
  // The 600 oldest are pinned, more than a pass reads at once; half the other 600 fit the budget.
  await call(page, 'pin', Array.from({ length: 600 }, (_, i) => `k${i}`));
  await call(page, 'setBudget', 30_000);
  await call(page, 'keepToBudget');
  const { results } = await expectConsistent(page);
  const kept = new Set(results);
  const expected = [...Array.from({ length: 600 }, (_, i) => i), ...Array.from({ length: 300 }, (_, i) => 900 + i)];
  expect(results).toHaveLength(expected.length);
  for (const i of expected) expect(kept.has(`k${i}`), `k${i}`).toBe(true);
  await page.context().close();
});

it('when the pinned keys cannot be read, nothing is dropped', async () => {
  const page = await budgetPage();
  await call(page, 'setBudget', 1500);
  await call(page, 'failPins');
  for (const key of ['a', 'b', 'c']) await call(page, 'set', key, 1000);
  expect((await expectConsistent(page)).results).toEqual(['a', 'b', 'c']);
  await page.context().close();
});

it('saved node results share the budget with the cache; opening a workflow makes its nodes recent', async () => {
  const page = await budgetPage();
  await call(page, 'setBudget', 4500);
  await call(page, 'saveNode', 'user/default/workflow/w1', 'n1', 1000);
  await call(page, 'saveNode', 'user/default/workflow/w2', 'n1', 1000);
  await call(page, 'saveNode', 'user/default/workflow/w1', 'n2', 1000);
  await call(page, 'set', 'r1', 1000);
  // Opening w1 marks both its nodes used: w2's node is now the oldest.
  expect(await call(page, 'loadNodes', 'user/default/workflow/w1')).toEqual(['n1', 'n2']);
  await call(page, 'set', 'r2', 1000);
  const after = await expectConsistent(page);
  expect(after.nodes).toEqual(['user/default/workflow/w1\u0000n1', 'user/default/workflow/w1\u0000n2']);
  expect(after.results).toEqual(['r1', 'r2']);
  expect(await call(page, 'loadNodes', 'user/default/workflow/w2')).toEqual([]);
  await page.context().close();
});

it('a lower budget takes effect at once; clearing empties one store, pinned results included', async () => {
  const page = await budgetPage();
  await call(page, 'pin', ['a']);
  for (const key of ['a', 'b', 'c', 'd']) await call(page, 'set', key, 1000);
  await call(page, 'saveNode', 'user/default/workflow/w', 'n', 1000);
  expect((await expectConsistent(page)).results).toEqual(['a', 'b', 'c', 'd']);
  await call(page, 'setBudget', 3000);
  await call(page, 'keepToBudget');
  // a is pinned, beside the budget; of the rest, the three used last (c, d and the node result) fit it.
  let after = await expectConsistent(page);
  expect(after.results).toEqual(['a', 'c', 'd']);
  expect(after.nodes).toEqual(['user/default/workflow/w\u0000n']);
  await call(page, 'clear', 'results');
  after = await expectConsistent(page);
  expect(after.results).toEqual([]);
  expect(after.nodes).toHaveLength(1);
  expect(await call(page, 'usage')).toEqual({ results: { bytes: 0, entries: 0 }, nodes: { bytes: 1000, entries: 1 }, pinned: { bytes: 0, entries: 0 } });
  await page.context().close();
});
