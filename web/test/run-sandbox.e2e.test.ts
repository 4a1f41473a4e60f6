// JavaScript skills in their sandboxed worker (no network: a clear error on the node; no import()
// of any URL, no IndexedDB, no WebSocket or EventSource, no DOM, also when the worker's script
// comes from the service worker offline), Python skills fenced the same way through `js`, Python failures pointing at the skill's lines, Cancel
// stopping an endless loop, and collaborators seeing each other's node states live.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { OFFLINE_NOISE, useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, nodeById, openResult, pythonSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

/**
 * The body of a probe skill: runs each attempt in `attempts` (name → async function) and returns
 * what became of it, "reached: …" or the error's name and message.
 */
const probe = (attempts: string) => `async function execute() {
  const attempts = {
${attempts}
  };
  const result = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      result[name] = 'reached: ' + String(await attempt());
    } catch (e) {
      result[name] = e.name + ': ' + e.message;
    }
  }
  return { result };
}`;

const IMPORT_PROBE = probe(`
    // data: needs no network: only a policy can stop it.
    dataUrl: () => import('data:text/javascript,export default 1'),
    otherSite: () => import('https://example.com/x.js'),
    thisOrigin: () => import(self.location.origin + '/sw.js'),`);

const STORAGE_PROBE = probe(`
    indexedDB: () => new Promise((ok, ko) => {
      const open = indexedDB.open('llmunix-runs');
      open.onsuccess = () => ok(Array.from(open.result.objectStoreNames).join(','));
      open.onerror = () => ko(open.error);
    }),
    // The original getter, if a prototype still had it.
    indexedDBGetter: () => {
      for (let o = self; o; o = Object.getPrototypeOf(o)) {
        const d = Object.getOwnPropertyDescriptor(o, 'indexedDB');
        if (d && d.get) return d.get.call(self).databases().then((dbs) => dbs.map((db) => db.name).join(','));
      }
      throw new Error('no indexedDB getter left');
    },
    caches: () => caches.keys(),
    fileSystem: () => navigator.storage.getDirectory(),`);

const NETWORK_PROBE = probe(`
    WebSocket: () => new Promise((ok, ko) => {
      const ws = new WebSocket(self.location.origin.replace('http', 'ws') + '/sync/user/default');
      ws.onopen = () => ok('open');
      ws.onerror = () => ko(new Error('could not connect'));
    }),
    EventSource: () => new EventSource('/api/config').url,
    fetch: () => fetch('/api/config').then((r) => r.status),
    Worker: () => new Worker('data:text/javascript,postMessage(1)'),`);

/** Where the app serves Pyodide's files (vite.config.ts): they stay fetchable, for imports. */
const PYODIDE_VERSION = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../node_modules/pyodide/package.json'), 'utf8')) as { version: string }).version;

/** Python reaches JavaScript's globals through `js` and `run_js`: the same fence must hold there. */
const PYTHON_PROBE = `import js
from pyodide.code import run_js

PYODIDE = "/pyodide/${PYODIDE_VERSION}/"

def attempt(fn):
    try:
        return "reached: " + str(fn())
    except Exception as e:
        return type(e).__name__ + ": " + str(e)

def execute(inputs):
    return {"result": {
        "fetchApi": attempt(lambda: js.fetch("/api/config")),
        "runJs": attempt(lambda: run_js("fetch('/api/sessions', { method: 'POST' })")),
        "postToPyodide": attempt(lambda: js.fetch(js.location.origin + PYODIDE + "pyodide-lock.json", js.JSON.parse('{"method": "POST"}'))),
        "indexedDB": attempt(lambda: js.indexedDB.open("llmunix-runs")),
        "caches": attempt(lambda: js.caches.keys()),
        "WebSocket": attempt(lambda: js.WebSocket.new("ws://127.0.0.1:1/")),
        "ownFiles": attempt(lambda: type(js.fetch(js.location.origin + PYODIDE + "pyodide-lock.json")).__name__),
    }}`;

/** Skills share a warm worker: none may listen to, answer for or post as the worker itself. */
const MESSAGING_PROBE = probe(`
    listen: () => self.addEventListener('message', () => {}),
    listenThroughPrototype: () => EventTarget.prototype.addEventListener.call(self, 'message', () => {}),
    handler: () => { self.onmessage = () => {}; return Object.getOwnPropertyDescriptor(self, 'onmessage').writable; },
    post: () => postMessage({ type: 'done', id: 1, result: {}, stdout: '' }),
    dispatch: () => self.dispatchEvent(new MessageEvent('message', { data: { type: 'cancel', id: 1 } })),
    otherTargets: () => { const t = new EventTarget(); let heard = false; t.addEventListener('x', () => (heard = true)); t.dispatchEvent(new Event('x')); return heard; },`);

const DOM_PROBE = 'function execute() {\n  return { result: [typeof document, typeof window, typeof localStorage, typeof parent, typeof navigator.serviceWorker] };\n}';

const app = useApp();

beforeAll(async () => {
  await addUserSkill(app.server.url, 'fetch-probe', javascriptSkill('fetch-probe', "async function execute() {\n  const res = await fetch('/healthz');\n  return { result: res.status };\n}"));
  await addUserSkill(app.server.url, 'endless-loop', javascriptSkill('endless-loop', 'function execute() {\n  for (;;) {}\n}'));
  await addUserSkill(app.server.url, 'needs-numpy', pythonSkill('needs-numpy', 'def execute(inputs):\n    print("importing")\n    import numpy\n    return {"result": 1}'));
  await addUserSkill(app.server.url, 'import-probe', javascriptSkill('import-probe', IMPORT_PROBE));
  await addUserSkill(app.server.url, 'storage-probe', javascriptSkill('storage-probe', STORAGE_PROBE));
  await addUserSkill(app.server.url, 'network-probe', javascriptSkill('network-probe', NETWORK_PROBE));
  await addUserSkill(app.server.url, 'dom-probe', javascriptSkill('dom-probe', DOM_PROBE));
  await addUserSkill(app.server.url, 'messaging-probe', javascriptSkill('messaging-probe', MESSAGING_PROBE));
  await addUserSkill(app.server.url, 'python-probe', pythonSkill('python-probe', PYTHON_PROBE));
  await addUserSkill(
    app.server.url,
    'slow-echo',
    javascriptSkill('slow-echo', "async function execute() {\n  console.log('waiting');\n  await new Promise((r) => setTimeout(r, 1500));\n  return { result: 'ok' };\n}"),
  );
});

it('a JavaScript skill that calls fetch fails with a clear error on its node', async () => {
  const { context, page, errors } = await app.openWorkflow('run-fetch');
  await dropSkill(page, 'fetch-probe', { x: 80, y: 60 });
  const probe = (await waitForNodes(page, 1))['fetch-probe']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, probe, 'error');
  const error = await (await openResult(page, probe)).locator('[data-testid="result-error"]').textContent();
  expect(error).toMatch(/^SandboxError: fetch is not available: skills run without network access/);
  // The error names the skill file's line of the call, as headless errors do (EXEC-7).
  expect(error).toMatch(/\n {4}at execute \(volumes\/user\/default\/skills\/fetch-probe\.md:\d+:\d+\)$/);
  errors.assertNone();
  await context.close();
});

/** A node's outputs, from the page's own result store (which the skill could not open). */
const outputsOf = (page: Page, room: string, id: string): Promise<Record<string, unknown>> =>
  page.evaluate(
    ([room, id]) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('nodes').objectStore('nodes').get(`${room}\u0000${id}`);
          get.onsuccess = () => resolve(get.result.state.outputs as Record<string, unknown>);
        };
      }),
    [room, id] as const,
  );

/** Puts the probes on a canvas; returns their node ids by skill id. */
async function placeProbes(page: Page, workflow: string, skills: string[]): Promise<Record<string, string>> {
  await page.goto(`/#/workflow/user/default/${workflow}`);
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  for (const [i, skill] of skills.entries()) await dropSkill(page, skill, { x: 80 + 320 * (i % 2), y: 60 + 220 * Math.floor(i / 2) });
  return waitForNodes(page, skills.length);
}

/** Runs the canvas and returns each probe's findings, by skill id. */
async function runProbes(page: Page, workflow: string, ids: Record<string, string>): Promise<Record<string, unknown>> {
  await page.locator('[data-testid="run-workflow"]').click();
  const found: Record<string, unknown> = {};
  for (const [skill, id] of Object.entries(ids)) {
    await waitForStatus(page, id, 'done');
    found[skill] = (await outputsOf(page, `user/default/workflow/${workflow}`, id)).result;
  }
  return found;
}

it('JavaScript skills cannot import() any URL, read IndexedDB, open a WebSocket or EventSource, reach the DOM, or listen or post as the worker', async () => {
  // Chromium reports each import() the worker's policy stops, as it should.
  const { context, page, errors } = await app.newPage({ ignore: [/Content Security Policy/] });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const found = await runProbes(page, 'run-probes', await placeProbes(page, 'run-probes', ['import-probe', 'storage-probe', 'network-probe', 'dom-probe', 'messaging-probe']));

  expect(found['import-probe']).toEqual({
    dataUrl: expect.stringMatching(/^TypeError: Failed to fetch dynamically imported module: data:text\/javascript/),
    otherSite: expect.stringMatching(/^TypeError: Failed to fetch dynamically imported module: https:\/\/example\.com\/x\.js/),
    thisOrigin: expect.stringMatching(/^TypeError: Failed to fetch dynamically imported module: http:\/\/127\.0\.0\.1:\d+\/sw\.js/),
  });
  expect(found['storage-probe']).toEqual({
    indexedDB: expect.stringMatching(/^SandboxError: indexedDB is not available: skills run without this app's stored data/),
    indexedDBGetter: 'Error: no indexedDB getter left',
    caches: expect.stringMatching(/^SandboxError: caches is not available/),
    fileSystem: expect.stringMatching(/^SandboxError: navigator.storage is not available/),
  });
  expect(found['network-probe']).toEqual({
    WebSocket: expect.stringMatching(/^SandboxError: WebSocket is not available: skills run without network access/),
    EventSource: expect.stringMatching(/^SandboxError: EventSource is not available: skills run without network access/),
    fetch: expect.stringMatching(/^SandboxError: fetch is not available/),
    Worker: expect.stringMatching(/^SandboxError: Worker is not available: skills run without starting workers/),
  });
  expect(found['dom-probe']).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  expect(found['messaging-probe']).toEqual({
    listen: expect.stringMatching(/^SandboxError: addEventListener is not available on the worker itself/),
    listenThroughPrototype: expect.stringMatching(/^SandboxError: addEventListener is not available on the worker itself/),
    handler: 'reached: false',
    post: expect.stringMatching(/^SandboxError: postMessage is not available: skills run without messages to this app's page/),
    dispatch: expect.stringMatching(/^SandboxError: dispatchEvent is not available on the worker itself/),
    otherTargets: 'reached: true',
  });

  // The fence under the globals: the worker's script came with the sandbox's own policy.
  const script = workers.find((url) => /\/assets\/javascript\.worker-[\w-]+\.js$/.test(url));
  expect(script, `the JavaScript worker among ${workers.join(', ')}`).toBeDefined();
  expect((await fetch(script!)).headers.get('content-security-policy')).toBe("default-src 'none';script-src 'unsafe-eval'");
  errors.assertNone();
  await context.close();
});

it("offline, the worker's script comes from the service worker with its policy, and import() stays blocked", async () => {
  const { context, page, errors } = await app.newPage({ ignore: [...OFFLINE_NOISE, /Content Security Policy/] });
  const ids = await placeProbes(page, 'run-probes-offline', ['import-probe']);
  await waitFor(() => page.evaluate(() => navigator.serviceWorker.controller !== null), 'the service worker to control the page');
  // The JavaScript worker starts with the first run: offline, its script can only come from the cache.
  await context.setOffline(true);
  const found = await runProbes(page, 'run-probes-offline', ids);
  expect(found['import-probe']).toMatchObject({ dataUrl: expect.stringMatching(/^TypeError: Failed to fetch dynamically imported module: data:/) });
  errors.assertNone();
  await context.close();
});

it('Python skills, through js and run_js, reach neither the API, storage nor sockets; Pyodide still fetches its own files', async () => {
  const { context, page, errors } = await app.newPage();
  const found = (await runProbes(page, 'run-python-probe', await placeProbes(page, 'run-python-probe', ['python-probe'])))['python-probe'];
  const refused = (what: string) => expect.stringMatching(new RegExp(`^JsException: SandboxError: ${what}`));
  expect(found).toEqual({
    fetchApi: refused('fetch is not available: skills run without network access .*GET http://127\\.0\\.0\\.1:\\d+/api/config is refused'),
    runJs: refused('fetch is not available: .*POST http://127\\.0\\.0\\.1:\\d+/api/sessions is refused'),
    postToPyodide: refused('fetch is not available: .*POST .*pyodide-lock\\.json is refused'),
    indexedDB: refused("indexedDB is not available: skills run without this app's stored data"),
    caches: refused('caches is not available'),
    WebSocket: refused('WebSocket is not available'),
    // Pyodide's own files stay reachable (it fetches packages when a skill imports them).
    ownFiles: 'reached: PyodideFuture',
  });
  errors.assertNone();
  await context.close();
});

it('a Python skill importing a package that is not served fails saying so, at the skill file’s line', async () => {
  // Pyodide logs its failed attempt to fetch the package (a 404) before the import fails.
  const { context, page, errors } = await app.openWorkflow('run-numpy', { ignore: [/Failed to load resource: the server responded with a status of 404/] });
  await dropSkill(page, 'needs-numpy', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1))['needs-numpy']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'error', 30_000);
  const panel = await openResult(page, node);
  const error = await panel.locator('[data-testid="result-error"]').textContent();
  // Code line 3 is line 17 of the skill file (the code block starts at line 15).
  expect(error).toMatch(/File "volumes\/user\/default\/skills\/needs-numpy\.md", line 17, in execute\n {4}import numpy\n/);
  expect(error).toMatch(/ModuleNotFoundError: No module named 'numpy'/);
  expect(error).toMatch(/The Python package "numpy" is not available: only the Python standard library is served with this app; set PYODIDE_PACKAGE_URL/);
  expect(await panel.locator('[data-testid="result-stdout"]').textContent()).toBe('importing\n');
  errors.assertNone();
  await context.close();
});

it('Cancel stops an endless loop; the next run gets a fresh worker', async () => {
  const { context, page, errors } = await app.openWorkflow('run-cancel');
  await dropSkill(page, 'endless-loop', { x: 80, y: 60 });
  await dropSkill(page, 'slow-echo', { x: 80, y: 260 });
  const ids = await waitForNodes(page, 2);
  await nodeById(page, ids['endless-loop']!).locator('[data-testid="run-node"]').click();
  await waitForStatus(page, ids['endless-loop']!, 'running');
  await page.locator('[data-testid="cancel-run"]').click();
  await waitForStatus(page, ids['endless-loop']!, 'cancelled', 5000);
  await expect(page.locator('[data-testid="run-summary"]').textContent()).resolves.toBe('Cancelled');
  await nodeById(page, ids['slow-echo']!).locator('[data-testid="run-node"]').click();
  await waitForStatus(page, ids['slow-echo']!, 'done', 10_000);
  const stdout = await (await openResult(page, ids['slow-echo']!)).locator('[data-testid="result-stdout"]').textContent();
  expect(stdout).toBe('waiting\n');
  errors.assertNone();
  await context.close();
});

it('a collaborator sees node states live while another person runs the workflow', async () => {
  const { page: alice } = await app.openWorkflow('run-shared');
  await alice.evaluate(() => localStorage.setItem('llmunix.identity', JSON.stringify({ name: 'Alice', color: '#22c55e' })));
  await alice.reload();
  const { page: bob } = await app.openPage('/#/workflow/user/default/run-shared');
  await dropSkill(alice, 'slow-echo', { x: 80, y: 60 });
  const id = (await waitForNodes(alice, 1))['slow-echo']!;
  await waitForNodes(bob, 1);

  await alice.locator('[data-testid="run-workflow"]').click();
  const remote = nodeById(bob, id).locator('[data-testid="remote-run-status"]');
  await remote.and(bob.locator('[data-status="running"]')).waitFor({ timeout: 10_000 });
  expect(await remote.textContent()).toBe('Alice: running');
  await remote.and(bob.locator('[data-status="done"]')).waitFor({ timeout: 10_000 });
  // Bob did not run anything himself.
  expect(await nodeById(bob, id).locator('[data-testid="run-status"]').count()).toBe(0);
  await alice.context().close();
  await bob.context().close();
});
