/*
 * The run history's browser stores in Chromium's real IndexedDB, bundled as they ship:
 * `pinnedCacheKeys` (what the storage budget keeps) reads the runs rooms this browser holds, as
 * RoomSet stores them; the run queue keeps order per workflow, cancels, and never hands one
 * run to two takers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launchBrowser } from './harness/browser';
import { bundleSourceForPage, servePage } from './harness/page-bundle';

// What the page can do: write a room's local copy as RoomSet does (IndexeddbPersistence under
// `llmunix:<room>`), and call the stores.
const ENTRY = `
import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { addRun } from './shared/src/documents/runs';
import { putNode } from './shared/src/documents/workflow';
import { pinnedCacheKeys } from './web/src/run/run-history';
import { cancelQueuedRun, enqueueRun, queuedRuns, takeNextRun } from './web/src/run/run-queue';

async function inRoom(room, change) {
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence('llmunix:' + room, doc);
  await persistence.whenSynced;
  change(doc);
  await new Promise((r) => setTimeout(r, 50));
  await persistence.destroy();
}
export const addRuns = (room, records, keep) => inRoom(room, (doc) => records.forEach((r) => addRun(doc, r, keep)));
export const addNode = (room) => inRoom(room, (doc) => putNode(doc, { id: 'n', skillId: 's', label: '', position: { x: 0, y: 0 }, inputs: {} }));
export const pinned = async () => [...(await pinnedCacheKeys())].sort();
// The records in a room's local copy, read directly.
export function records(room) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('llmunix:' + room);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const counting = opening.result.transaction('updates').objectStore('updates').count();
      counting.onsuccess = () => (opening.result.close(), resolve(counting.result));
      counting.onerror = () => reject(counting.error);
    };
  });
}
// A runs room's copy holding a record that is no Yjs update (a damaged copy, another release's).
export function damage(room) {
  return new Promise((resolve, reject) => {
    const opening = indexedDB.open('llmunix:' + room);
    opening.onupgradeneeded = () => opening.result.createObjectStore('updates', { autoIncrement: true });
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const tx = opening.result.transaction('updates', 'readwrite');
      tx.objectStore('updates').add('not an update');
      tx.oncomplete = () => (opening.result.close(), resolve(null));
      tx.onerror = () => reject(tx.error);
    };
  });
}
export const failure = () => pinnedCacheKeys().then(() => null, (e) => String(e.message));
export const databases = async () => (await indexedDB.databases()).map((d) => d.name).sort();
export const remember = (rooms) => localStorage.setItem('llmunix.runsRooms', JSON.stringify(rooms));
export { cancelQueuedRun, enqueueRun, queuedRuns, takeNextRun };
`;

let server: Awaited<ReturnType<typeof servePage>> | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await servePage(await bundleSourceForPage(ENTRY, 'runsTest'));
  browser = await launchBrowser();
  context = await browser.newContext();
  page = await context.newPage();
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Calls one of the entry's exports in the page. */
const call = <T>(name: string, ...args: unknown[]): Promise<T> =>
  page.evaluate(([n, a]) => (window as unknown as { runsTest: Record<string, (...x: unknown[]) => Promise<unknown>> }).runsTest[n as string]!(...(a as unknown[])), [name, args] as const) as Promise<T>;

const record = (id: string, second: number, keys: string[]) => ({
  id,
  workflow_room: 'user/default/workflow/w',
  started_at: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString(),
  finished_at: new Date(Date.UTC(2026, 0, 1, 0, 0, second + 1)).toISOString(),
  duration_ms: 1000,
  by: { sub: 'default', name: 'Alice' },
  status: 'done',
  trigger: 'run',
  nodes: Object.fromEntries(keys.map((k, i) => [`n${i}`, { skill_id: 's', label: 's', status: 'done', duration_ms: 1, inputs: {}, cache_key: k }])),
});

describe('pinnedCacheKeys', () => {
  it('gives the cache keys of the runs kept in every runs room this browser holds, and only those', async () => {
    const errors = collectErrors(page);
    expect(await call('pinned')).toEqual([]);
    await call('addRuns', 'user/default/runs/w1', [record('a', 1, ['k1', 'k2']), record('b', 2, ['k3'])]);
    await call('addRuns', 'team/lab/runs/w2', [record('c', 3, ['k4'])]);
    // A workflow room's copy is not a run history.
    await call('addNode', 'user/default/workflow/w1');
    expect(await call('pinned')).toEqual(['k1', 'k2', 'k3', 'k4']);
    // Runs dropped from a history (beyond its newest) let go of their keys.
    await call('addRuns', 'user/default/runs/w1', [record('d', 4, ['k5'])], 2);
    expect(await call('pinned')).toEqual(['k3', 'k4', 'k5']);
    errors.assertNone();
  });

  it('reads the copies without writing to them, makes none for a room it only remembers, and fails when a copy cannot be read', async () => {
    const before = await call<number>('records', 'user/default/runs/w1');
    for (let i = 0; i < 3; i++) expect(await call('pinned')).toEqual(['k3', 'k4', 'k5']);
    expect(await call<number>('records', 'user/default/runs/w1')).toBe(before);

    // Remembered (localStorage) but not held: no database appears for it.
    await call('remember', ['user/default/runs/never-held']);
    expect(await call('pinned')).toEqual(['k3', 'k4', 'k5']);
    expect(await call<string[]>('databases')).not.toContain('llmunix:user/default/runs/never-held');

    // A damaged copy: not knowing its runs, the budget must drop nothing, so the keys are not given.
    await call('damage', 'user/default/runs/damaged');
    expect(await call('failure')).toMatch(/not a Yjs update/);
  });
});

describe('the run queue', () => {
  const ask = (room: string, n: number) => call<{ id: string }>('enqueueRun', { room, trigger: 'run', inputs: { a: { n } } });
  const order = async (room: string) => (await call<Array<{ inputs: { a: { n: number } } }>>('queuedRuns', room)).map((q) => q.inputs.a.n);

  it('keeps each workflow\'s runs in the order asked, cancels one, and hands each to one taker', async () => {
    const w = 'user/default/workflow/q';
    const other = 'user/default/workflow/other';
    const asked = [];
    for (const n of [1, 2, 3, 4]) asked.push(await ask(w, n));
    await ask(other, 9);
    expect(await order(w)).toEqual([1, 2, 3, 4]);
    expect(await call('cancelQueuedRun', asked[1]!.id)).toBe(true);
    expect(await call('cancelQueuedRun', asked[1]!.id)).toBe(false);
    expect(await order(w)).toEqual([1, 3, 4]);
    // Two takers at once (two tabs) get two different runs, first first.
    const [a, b] = await page.evaluate((room) => {
      const t = (window as unknown as { runsTest: { takeNextRun(r: string): Promise<{ inputs: { a: { n: number } } } | null> } }).runsTest;
      return Promise.all([t.takeNextRun(room), t.takeNextRun(room)]).then((runs) => runs.map((r) => r?.inputs.a.n ?? null));
    }, w);
    expect([a, b]).toEqual([1, 3]);
    expect(await order(w)).toEqual([4]);
    expect(await order(other)).toEqual([9]);
  });

  it('is still there after a reload', async () => {
    await page.reload();
    expect(await order('user/default/workflow/q')).toEqual([4]);
  });
});
