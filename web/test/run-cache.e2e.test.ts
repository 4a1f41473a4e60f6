// The run store in IndexedDB stays bounded: past KEEP_TRACES traces the oldest are dropped as new
// ones come (cached results and saved node results keep to the storage budget: run-budget*.e2e),
// and the stores of earlier releases are upgraded.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEEP_TRACES } from '../src/run/run-store';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

beforeAll(async () => {
  await addUserSkill(app.server.url, 'first-answer', javascriptSkill('first-answer', 'function execute() {\n  return { result: 1 };\n}'));
  await addUserSkill(app.server.url, 'second-answer', javascriptSkill('second-answer', 'function execute() {\n  return { result: 2 };\n}'));
});

/** Runs a script against the page's own run store (database llmunix-runs) and returns its result. */
const inStore = <T>(page: Page, body: string): Promise<T> =>
  page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      ${body}
    };
  })`) as Promise<T>;

it('keeps the latest traces, dropping the oldest', async () => {
  const { page } = await app.openWorkflow('run-cache');
  await dropSkill(page, 'first-answer', { x: 80, y: 60 });
  const first = (await waitForNodes(page, 1))['first-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, first, 'done');

  // A long history, all of it older than the run above.
  const extraTraces = KEEP_TRACES + 100;
  await inStore(page, `
    const tx = db.transaction(['traces'], 'readwrite');
    for (let i = 0; i < ${extraTraces}; i++) tx.objectStore('traces').put({ id: 'old-' + i, workflow: 'w', status: 'done', startedAt: new Date(Date.UTC(2000, 0, 1) + i * 1000).toISOString(), nodes: [] }, 'old-' + i);
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = () => reject(tx.error);`);

  // One more run stores one more result and one more trace.
  await dropSkill(page, 'second-answer', { x: 400, y: 60 });
  const second = (await waitForNodes(page, 2))['second-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, second, 'done');

  // The node shows done before its run's trace is stored and the store pruned: wait for the prune.
  const read = () =>
    inStore<{ traces: Array<{ id: string; workflow: string }> }>(page, `
    const traces = db.transaction(['traces']).objectStore('traces').getAll();
    traces.onsuccess = () => resolve({ traces: traces.result.map((t) => ({ id: t.id, workflow: t.workflow })) });`);
  let after = await read();
  await waitFor(async () => (after = await read()).traces.length <= KEEP_TRACES, 'the oldest traces dropped');
  expect(after.traces).toHaveLength(KEEP_TRACES);
  expect(after.traces.filter((t) => t.workflow === 'user/default/workflow/run-cache')).toHaveLength(2);
  expect(after.traces.map((t) => t.id)).not.toContain('old-0');
  await page.context().close();
});

/** The stores of release `version` (1: bare results; 2: results with their time of use), with one trace and one saved node result. */
const earlierStore = (version: 1 | 2) => `new Promise((resolve, reject) => {
  const open = indexedDB.open('llmunix-runs', ${version});
  open.onupgradeneeded = () => {
    const db = open.result;
    const results = db.createObjectStore('results');
    const traces = db.createObjectStore('traces');
    ${version === 1 ? "results.put({ outputs: { result: 0 }, stdout: '' }, 'earlier');" : "results.createIndex('at', 'at'); traces.createIndex('startedAt', 'startedAt'); results.put({ result: { outputs: { result: 0 }, stdout: '' }, at: 1 }, 'earlier');"}
    traces.put({ id: 't1', workflow: 'user/default/workflow/older', status: 'done', startedAt: '2026-01-01T00:00:00.000Z', nodes: [] }, 't1');
    db.createObjectStore('nodes').put({ state: { status: 'done', stdout: '', outputs: { result: 7 } }, signature: 's', at: 5 }, 'user/default/workflow/older\u0000kept');
  };
  open.onsuccess = () => { open.result.close(); resolve(undefined); };
  open.onerror = () => reject(open.error);
})`;

it.each([1, 2] as const)('a store made by release %i is upgraded: its cached results dropped, its traces kept, its node results kept and counted', async (version) => {
  const { page } = await app.openPage('/favicon.svg');
  await page.evaluate(earlierStore(version));
  const room = `run-cache-upgrade-${version}`;
  await page.goto(`/#/workflow/user/default/${room}`);
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'first-answer', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1))['first-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'done');
  const after = await inStore<{ version: number; results: string[]; traces: string[]; kept: unknown; usage: Array<{ key: [string, string]; bytes: number }>; nodeBytes: number }>(page, `
    const tx = db.transaction(['results', 'traces', 'nodes', 'usage', 'totals']);
    const results = tx.objectStore('results').getAllKeys();
    const traces = tx.objectStore('traces').getAllKeys();
    const kept = tx.objectStore('nodes').get('user/default/workflow/older\u0000kept');
    const usage = tx.objectStore('usage').getAll();
    const nodeBytes = tx.objectStore('totals').get('nodes');
    tx.oncomplete = () => resolve({ version: db.version, results: results.result, traces: traces.result, kept: kept.result, usage: usage.result.map((u) => ({ key: [u.store, u.key], bytes: u.bytes })), nodeBytes: nodeBytes.result });`);
  expect(after.version).toBe(3);
  // The earlier cached result is gone (it was only a cache); this run's is there and counted.
  expect(after.results).toHaveLength(1);
  expect(after.results).not.toContain('earlier');
  expect(after.traces).toContain('t1');
  // The node result kept from before counts against the budget as much as a new one.
  const keptBytes = JSON.stringify(after.kept).length;
  expect(after.usage).toContainEqual({ key: ['nodes', 'user/default/workflow/older\u0000kept'], bytes: keptBytes });
  expect(after.usage.map((u) => u.key[0]).sort()).toEqual(['nodes', 'nodes', 'results']);
  expect(after.nodeBytes).toBe(after.usage.filter((u) => u.key[0] === 'nodes').reduce((n, u) => n + u.bytes, 0));
  await page.context().close();
});

it('while a tab of the previous release holds the old store open, runs in a new tab still finish (without the cache)', async () => {
  const { page: oldTab, context } = await app.openPage('/favicon.svg');
  // The previous release's store, held open as that release's tab would (it never closes it).
  await oldTab.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs', 1);
    open.onupgradeneeded = () => {
      for (const store of ['results', 'traces', 'nodes']) open.result.createObjectStore(store);
    };
    open.onsuccess = () => { globalThis.heldStore = open.result; resolve(undefined); };
    open.onerror = () => reject(open.error);
  })`);
  const page = await context.newPage();
  await page.goto('/#/workflow/user/default/run-cache-held');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'second-answer', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1))['second-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'done', 20_000);
  await context.close();
});
