// Python packages beyond the standard library come from the package URL the server is
// configured with (PYODIDE_PACKAGE_URL, a mirror of Pyodide's package files): the browser asks
// that mirror, and when the package is not there the node says where it looked.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useApp } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, openResult, pythonSkill, waitForNodes, waitForStatus } from './run-e2e-helpers';

let mirror: http.Server;
let mirrorUrl: string;
const asked: string[] = [];

beforeAll(async () => {
  // A package mirror that has nothing: it records what is asked of it and answers 404.
  mirror = http.createServer((req, res) => {
    asked.push(req.url ?? '');
    res.writeHead(404, { 'access-control-allow-origin': '*' });
    res.end();
  });
  await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/pyodide-packages/`;
});
afterAll(async () => {
  await new Promise((r) => mirror.close(r));
});

const app = useApp(() => ({ PYODIDE_PACKAGE_URL: mirrorUrl }));

beforeAll(async () => {
  await addUserSkill(app.server.url, 'needs-numpy', pythonSkill('needs-numpy', 'def execute(inputs):\n    import numpy\n    return {"result": 1}'));
});

it('the server tells the app its package URL, and Python fetches packages from there', async () => {
  expect(await (await fetch(`${app.server.url}/api/config`)).json()).toEqual({ pyodide_package_url: mirrorUrl, chat_configured: false, auth_required: false });
  const { page } = await app.openWorkflow('run-packages');
  await dropSkill(page, 'needs-numpy', { x: 80, y: 60 });
  const node = (await waitForNodes(page, 1))['needs-numpy']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, node, 'error', 30_000);
  expect(asked.some((url) => url.startsWith('/pyodide-packages/') && url.includes('numpy'))).toBe(true);
  const error = await (await openResult(page, node)).locator('[data-testid="result-error"]').textContent();
  expect(error).toContain(`The Python package "numpy" is not available: it could not be loaded from the package URL ${mirrorUrl}`);
  await page.context().close();
});
