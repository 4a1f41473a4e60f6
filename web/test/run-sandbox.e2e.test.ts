// JavaScript skills in their sandboxed worker (no network: a clear error on the node), Python
// failures pointing at the skill's lines, Cancel stopping an endless loop, and collaborators
// seeing each other's node states live.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launchBrowser, newContext, startAppServer, type AppServer } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, javascriptSkill, nodeById, openResult, pythonSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

let server: AppServer;
let browser: Browser;

beforeAll(async () => {
  server = await startAppServer();
  browser = await launchBrowser();
  await addUserSkill(server.url, 'fetch-probe', javascriptSkill('fetch-probe', "async function execute() {\n  const res = await fetch('/healthz');\n  return { result: res.status };\n}"));
  await addUserSkill(server.url, 'endless-loop', javascriptSkill('endless-loop', 'function execute() {\n  for (;;) {}\n}'));
  await addUserSkill(server.url, 'needs-numpy', pythonSkill('needs-numpy', 'def execute(inputs):\n    print("importing")\n    import numpy\n    return {"result": 1}'));
  await addUserSkill(
    server.url,
    'slow-echo',
    javascriptSkill('slow-echo', "async function execute() {\n  console.log('waiting');\n  await new Promise((r) => setTimeout(r, 1500));\n  return { result: 'ok' };\n}"),
  );
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

it('a JavaScript skill that calls fetch fails with a clear error on its node', async () => {
  const context = await newContext(browser, { baseURL: server.url });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto('/#/workflow/user/default/run-fetch');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, 'fetch-probe', { x: 80, y: 60 });
  const probe = (await waitForNodes(page, 1))['fetch-probe']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, probe, 'error');
  const error = await (await openResult(page, probe)).locator('[data-testid="result-error"]').textContent();
  expect(error).toMatch(/^SandboxError: fetch is not available: skills run without network access/);
  // The error names the skill file's line of the call (line 3 of the code block).
  expect(error).toMatch(/fetch-probe\.md, line \d+\)$/);
  errors.assertNone();
  await context.close();
});

it('a Python skill importing a package that is not served fails saying so, at the skill file’s line', async () => {
  const context = await newContext(browser, { baseURL: server.url });
  const page = await context.newPage();
  // Pyodide logs its failed attempt to fetch the package (a 404) before the import fails.
  const errors = collectErrors(page, { ignore: [/Failed to load resource: the server responded with a status of 404/] });
  await page.goto('/#/workflow/user/default/run-numpy');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
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
  const context = await newContext(browser, { baseURL: server.url });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto('/#/workflow/user/default/run-cancel');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
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
  const room = '/#/workflow/user/default/run-shared';
  const alice = await (await newContext(browser, { baseURL: server.url })).newPage();
  const bob = await (await newContext(browser, { baseURL: server.url })).newPage();
  await alice.goto(room);
  await alice.locator('[data-testid="workflow-canvas"]').waitFor();
  await alice.evaluate(() => localStorage.setItem('llmunix.identity', JSON.stringify({ name: 'Alice', color: '#22c55e' })));
  await alice.reload();
  await bob.goto(room);
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
