// The first screen of a cold start in Chromium: the workflow's own room connects before the
// lists' and the skill library's, and the canvas draws from the server's copy without waiting for
// this browser's IndexedDB copy to open.
import { describe, expect, it } from 'vitest';
import { putNode, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { useApp, waitFor } from './harness';
import { visibleNodes } from './harness/canvas';

const app = useApp();

async function seed(id: string): Promise<void> {
  const script = await app.connect(`user/default/workflow/${id}`);
  script.doc.transact(() => {
    writeWorkflowMeta(script.doc, { name: id, description: '', created_at: '2026-12-07T00:00:00Z', updated_at: '2026-12-07T00:00:00Z' });
    putNode(script.doc, { id: 'ham', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: {} });
    putNode(script.doc, { id: 'vqe', skillId: 'quantum-vqe', label: 'VQE', position: { x: 350, y: 0 }, inputs: {} });
  });
}

/**
 * Holds the success of `indexedDB.open` for one database until `window.releaseIndexedDb()`, in
 * the page: its IndexedDB copy then cannot be what the canvas draws from. A string: tsx would
 * wrap inner functions in a helper the page lacks.
 */
const holdDatabase = (name: string) => `(() => {
  const open = IDBFactory.prototype.open;
  const held = [];
  window.indexedDbHeld = true;
  window.releaseIndexedDb = () => { window.indexedDbHeld = false; for (const f of held.splice(0)) f(); };
  IDBFactory.prototype.open = function (dbName, version) {
    const request = open.call(this, dbName, version);
    if (dbName !== ${JSON.stringify(name)}) return request;
    let handler = null;
    Object.defineProperty(request, 'onsuccess', { configurable: true, get: () => handler, set: (f) => { handler = f; } });
    request.addEventListener('success', (event) => {
      const deliver = () => handler && handler.call(request, event);
      if (window.indexedDbHeld) held.push(deliver); else deliver();
    });
    return request;
  };
})()`;

describe('first screen', () => {
  it('a workflow opened cold connects its own room first, before the lists and the skill library', async () => {
    await seed('first-room');
    const { context, page, errors } = await app.newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(new URL(ws.url()).pathname));
    await page.goto('/#/workflow/user/default/first-room');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the workflow’s two nodes');
    await waitFor(async () => sockets.includes('/sync/system/system'), 'the skill library’s room');
    expect(sockets[0]).toBe('/sync/user/default/workflow/first-room');
    errors.assertNone();
    await context.close();
  });

  it('the canvas draws from the server’s copy while this browser’s IndexedDB copy has not opened', async () => {
    await seed('server-first');
    const { context, page, errors } = await app.newPage();
    await page.addInitScript(holdDatabase('llmunix:user/default/workflow/server-first'));
    await page.goto('/#/workflow/user/default/server-first');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the workflow’s two nodes');
    expect(await page.evaluate('window.indexedDbHeld')).toBe(true);
    // Once the local copy opens it merges in, and the canvas keeps what it shows.
    await page.evaluate('window.releaseIndexedDb()');
    await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
    expect(await visibleNodes(page).count()).toBe(2);
    errors.assertNone();
    await context.close();
  });
});
