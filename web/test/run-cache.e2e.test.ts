// The run store in IndexedDB stays bounded: past KEEP_RESULTS cached results and KEEP_TRACES
// traces, the least recently used results and the oldest traces are dropped as new ones come.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { KEEP_RESULTS, KEEP_TRACES } from '../src/run/run-store';
import { useApp } from './harness';
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

it('keeps the most recently used results and the latest traces, dropping the oldest', async () => {
  const { page } = await app.openWorkflow('run-cache');
  await dropSkill(page, 'first-answer', { x: 80, y: 60 });
  const first = (await waitForNodes(page, 1))['first-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, first, 'done');

  // A long history, all of it older than the run above.
  const extraResults = KEEP_RESULTS + 100;
  const extraTraces = KEEP_TRACES + 100;
  await inStore(page, `
    const tx = db.transaction(['results', 'traces'], 'readwrite');
    for (let i = 0; i < ${extraResults}; i++) tx.objectStore('results').put({ result: { outputs: { i }, stdout: '' }, at: i + 1 }, 'old-' + i);
    for (let i = 0; i < ${extraTraces}; i++) tx.objectStore('traces').put({ id: 'old-' + i, workflow: 'w', status: 'done', startedAt: new Date(Date.UTC(2000, 0, 1) + i * 1000).toISOString(), nodes: [] }, 'old-' + i);
    tx.oncomplete = () => resolve(undefined);
    tx.onerror = () => reject(tx.error);`);

  // One more run stores one more result and one more trace.
  await dropSkill(page, 'second-answer', { x: 400, y: 60 });
  const second = (await waitForNodes(page, 2))['second-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, second, 'done');

  const after = await inStore<{ results: string[]; traces: Array<{ id: string; workflow: string }> }>(page, `
    const tx = db.transaction(['results', 'traces']);
    const keys = tx.objectStore('results').getAllKeys();
    const traces = tx.objectStore('traces').getAll();
    tx.oncomplete = () => resolve({ results: keys.result, traces: traces.result.map((t) => ({ id: t.id, workflow: t.workflow })) });`);
  expect(after.results).toHaveLength(KEEP_RESULTS);
  // Two real results (one per run) and the most recent of the old ones; the oldest went.
  const old = after.results.filter((k) => k.startsWith('old-'));
  expect(old).toHaveLength(KEEP_RESULTS - 2);
  expect(old).not.toContain('old-0');
  expect(old).toContain(`old-${extraResults - 1}`);
  expect(after.traces).toHaveLength(KEEP_TRACES);
  expect(after.traces.filter((t) => t.workflow === 'user/default/workflow/run-cache')).toHaveLength(2);
  expect(after.traces.map((t) => t.id)).not.toContain('old-0');
  await page.context().close();
});

it('a store made by the previous version (bare results, no times) is upgraded, keeping its traces', async () => {
  const { page } = await app.openPage('/favicon.svg');
  // Version 1, as the app made it before results had a time of use.
  await page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs', 1);
    open.onupgradeneeded = () => {
      const db = open.result;
      db.createObjectStore('results').put({ outputs: { result: 0 }, stdout: '' }, 'bare');
      db.createObjectStore('traces').put({ id: 't1', workflow: 'user/default/workflow/older', status: 'done', startedAt: '2026-01-01T00:00:00.000Z', nodes: [] }, 't1');
      db.createObjectStore('nodes');
    };
    open.onsuccess = () => { open.result.close(); resolve(undefined); };
    open.onerror = () => reject(open.error);
  })`);
  await page.goto('/#/workflow/user/default/run-cache-upgrade');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'first-answer', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1))['first-answer']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'done');
  const after = await inStore<{ version: number; results: Array<{ at: unknown }>; traces: string[] }>(page, `
    const tx = db.transaction(['results', 'traces']);
    const results = tx.objectStore('results').getAll();
    const traces = tx.objectStore('traces').getAllKeys();
    tx.oncomplete = () => resolve({ version: db.version, results: results.result, traces: traces.result });`);
  expect(after.version).toBe(2);
  // The bare result is gone (it was only a cache); the new one carries its time of use.
  expect(after.results).toEqual([expect.objectContaining({ at: expect.any(Number) })]);
  expect(after.traces).toContain('t1');
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
