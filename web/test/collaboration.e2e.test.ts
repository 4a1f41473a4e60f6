// Collaboration in Chromium against the real server: live nodes and cursors between two
// browsers, a workflow written by a stock y-websocket script, and offline edits merging.
import { describe, expect, it } from 'vitest';
import { putEdge, putNode, readWorkflowGraph, writeWorkflowMeta } from '../../shared/src/documents/workflow';
import { collectErrors, OFFLINE_NOISE, useApp, waitFor } from './harness';
import { dropSkill, nodeIds, visibleNodes } from './harness/canvas';

const app = useApp();

describe('collaboration', () => {
  it('a node added in one browser appears in the other, and each sees the other’s cursor', async () => {
    const { page: alice } = await app.openWorkflow('collab-live');
    const { page: bob } = await app.openWorkflow('collab-live');
    const errors = collectErrors(bob);
    await dropSkill(alice, 'quantum-circuit', { x: 200, y: 200 });
    await waitFor(async () => (await visibleNodes(bob).count()) === 1, 'Bob to see Alice’s node');
    expect(await bob.locator('.react-flow__node [data-skill]').getAttribute('data-skill')).toBe('quantum-circuit');

    await alice.locator('[data-testid="identity-name"]').fill('Alice');
    await alice.locator('[data-testid="identity-name"]').press('Enter');
    const pane = await alice.locator('.flow').boundingBox();
    await alice.mouse.move(pane!.x + 400, pane!.y + 300, { steps: 4 });
    await bob.locator('[data-testid="remote-cursor"]').filter({ hasText: 'Alice' }).waitFor();
    // Alice's peers list shows Bob too, by the name he was given.
    await waitFor(async () => (await alice.locator('[data-testid="peers"] .peer').count()) === 1, 'Alice to list Bob');
    errors.assertNone();
    await alice.context().close();
    await bob.context().close();
  });

  it('a workflow written by a stock y-websocket script shows on the canvas, and later nodes appear live', async () => {
    const script = await app.connect('user/default/workflow/from-script');
    script.doc.transact(() => {
      writeWorkflowMeta(script.doc, { name: 'Made by a script', description: '', created_at: '2026-11-27T00:00:00Z', updated_at: '2026-11-27T00:00:00Z' });
      putNode(script.doc, { id: 'ham', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } });
      putNode(script.doc, { id: 'vqe', skillId: 'quantum-vqe', label: 'VQE', position: { x: 350, y: 0 }, inputs: {} });
      putEdge(script.doc, { id: 'e1', source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' });
    });
    const { page } = await app.openWorkflow('from-script');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the script’s two nodes');
    await expect(page.locator('[data-testid="workflow-name"]').textContent()).resolves.toBe('Made by a script');
    await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 1, 'the script’s edge');
    expect(await page.locator('.react-flow__node[data-id="ham"] [data-testid="literal-bond_length"]').inputValue()).toBe('0.74');

    putNode(script.doc, { id: 'plot', skillId: 'plot-convergence', label: 'Plot', position: { x: 700, y: 0 }, inputs: {} });
    await waitFor(async () => (await visibleNodes(page).count()) === 3, 'the node the script added afterwards');
    script.destroy();
    await page.context().close();
  });

  it('one browser goes offline, both edit, it comes back: both hold the union', async () => {
    const { page: online } = await app.openWorkflow('collab-offline');
    const { page: offline } = await app.openWorkflow('collab-offline');
    collectErrors(offline, { ignore: OFFLINE_NOISE });
    await dropSkill(online, 'quantum-hamiltonian', { x: 100, y: 100 });
    await waitFor(async () => (await nodeIds(offline)).length === 1, 'the first node everywhere');

    await offline.context().setOffline(true);
    await offline.locator('[data-testid="sync-status"][data-state="offline"]').waitFor();
    await dropSkill(offline, 'plot-convergence', { x: 500, y: 100 });
    await dropSkill(offline, 'export-results', { x: 500, y: 400 });
    await dropSkill(online, 'quantum-vqe', { x: 100, y: 400 });
    await offline.locator('[data-testid="pending-count"]').waitFor();
    expect(await offline.locator('[data-testid="pending-count"]').textContent()).toMatch(/2 changes waiting/);
    await waitFor(async () => (await nodeIds(online)).length === 2, 'the online edit on its own page');
    expect((await nodeIds(offline)).length).toBe(3);

    await offline.context().setOffline(false);
    await waitFor(async () => (await nodeIds(online)).length === 4 && (await nodeIds(offline)).length === 4, 'both to hold all four nodes');
    await offline.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
    expect(await offline.locator('[data-testid="pending-count"]').count()).toBe(0);
    const check = await app.connect('user/default/workflow/collab-offline');
    expect(readWorkflowGraph(check.doc).nodes.map((n) => n.skillId).sort()).toEqual(['export-results', 'plot-convergence', 'quantum-hamiltonian', 'quantum-vqe']);
    check.destroy();
    await online.context().close();
    await offline.context().close();
  });
});
