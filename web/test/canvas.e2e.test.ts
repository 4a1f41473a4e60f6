// The workflow canvas in Chromium against the real server: drop skills, connect typed ports,
// refused connections with their reason, undo of one's own edits only, a dropped skill waited for.
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { putSkillSource } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph } from '../../shared/src/documents/workflow';
import { ROOT, useApp, waitFor } from './harness';
import { connectPorts, dropSkill, nodeIds, visibleNodes } from './harness/canvas';

const app = useApp();

describe('canvas', () => {
  it('drops skills, connects matching ports, and refuses a mismatch with the reason shown', async () => {
    const { context, page, errors } = await app.openWorkflow('canvas-connect');
    await dropSkill(page, 'quantum-vqe', { x: 150, y: 150 });
    await dropSkill(page, 'plot-convergence', { x: 550, y: 150 });
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'two visible nodes');
    // Ports appear once the skill parser has loaded.
    await page.locator('.react-flow__handle.source[data-handleid="convergence_trace"]').waitFor();
    const [vqe, plot] = await page.locator('.react-flow__node').evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-id') ?? '', skill: e.querySelector('[data-skill]')?.getAttribute('data-skill') })),
    ).then((list) => [list.find((n) => n.skill === 'quantum-vqe')!.id, list.find((n) => n.skill === 'plot-convergence')!.id]);

    await connectPorts(page, { node: vqe!, output: 'eigenvalue' }, { node: plot!, input: 'convergence_trace' });
    await expect(page.locator('[data-testid="canvas-notice"]').textContent()).resolves.toContain(
      'output "eigenvalue" is number but input "convergence_trace" takes array',
    );
    expect(await page.locator('.react-flow__edge').count()).toBe(0);

    await connectPorts(page, { node: vqe!, output: 'convergence_trace' }, { node: plot!, input: 'convergence_trace' });
    await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 1, 'the edge to be drawn');

    // The server's copy of the document has exactly that edge.
    const script = await app.connect('user/default/workflow/canvas-connect');
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 1, 'the edge to reach the server');
    expect(readWorkflowGraph(script.doc).edges[0]).toMatchObject({ source: vqe, sourceHandle: 'convergence_trace', target: plot, targetHandle: 'convergence_trace' });
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('a dropped skill that reaches the library a moment later is added; one that never does is named', async () => {
    const { context, page, errors } = await app.openWorkflow('canvas-late-skill');
    await page.locator('.react-flow__pane').waitFor();
    // The skill is not in the person's volume yet: a script saves it just after the drop.
    const source = (await fs.readFile(path.join(ROOT, 'skills/export-results.md'), 'utf8')).replace('skill_id: export-results', 'skill_id: late-skill');
    const volume = await app.connect('user/default');
    await dropSkill(page, 'late-skill', { x: 200, y: 150 });
    await new Promise((r) => setTimeout(r, 300));
    volume.doc.transact(() => putSkillSource(volume.doc, 'late-skill', source));
    await page.locator('.react-flow__node [data-skill="late-skill"]').waitFor();
    expect(await page.locator('[data-testid="canvas-notice"]').count()).toBe(0);

    await dropSkill(page, 'no-such-skill', { x: 500, y: 150 });
    await expect(page.locator('[data-testid="canvas-notice"]').textContent()).resolves.toBe('Skill "no-such-skill" is not in your library.');
    expect(await visibleNodes(page).count()).toBe(1);
    volume.destroy();
    errors.assertNone();
    await context.close();
  });

  it('sets a literal input on a node and it reaches other clients', async () => {
    const { context, page } = await app.openWorkflow('canvas-literal');
    await dropSkill(page, 'quantum-vqe', { x: 200, y: 150 });
    const field = page.locator('[data-testid="literal-max_iterations"]');
    await field.fill('50');
    await field.press('Enter');
    const script = await app.connect('user/default/workflow/canvas-literal');
    await waitFor(() => readWorkflowGraph(script.doc).nodes[0]?.inputs.max_iterations === 50, 'the literal to reach the server');
    await field.fill('5.5');
    await field.press('Enter');
    await expect(page.getByText('max_iterations needs a whole number').isVisible()).resolves.toBe(true);
    expect(readWorkflowGraph(script.doc).nodes[0]?.inputs.max_iterations).toBe(50);
    script.destroy();
    await context.close();
  });

  it('undo in one browser undoes only its own edit', async () => {
    const { page: alice } = await app.openWorkflow('canvas-undo');
    const { page: bob } = await app.openWorkflow('canvas-undo');
    await dropSkill(alice, 'quantum-hamiltonian', { x: 150, y: 150 });
    await waitFor(async () => (await nodeIds(bob)).length === 1, 'Bob to see Alice’s node');
    await dropSkill(bob, 'plot-convergence', { x: 500, y: 150 });
    await waitFor(async () => (await nodeIds(alice)).length === 2, 'Alice to see Bob’s node');
    await alice.locator('[data-testid="undo"]').click();
    await waitFor(async () => (await nodeIds(alice)).length === 1 && (await nodeIds(bob)).length === 1, 'one node left everywhere');
    const left = await bob.locator('.react-flow__node [data-skill]').getAttribute('data-skill');
    expect(left).toBe('plot-convergence');
    await alice.context().close();
    await bob.context().close();
  });
});

describe('keyboard', () => {
  it('copy, paste, delete and undo with the keyboard', async () => {
    const { context, page } = await app.openWorkflow('canvas-keys');
    await dropSkill(page, 'export-results', { x: 200, y: 150 });
    await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the dropped node');
    await page.locator('.react-flow__node .skill-node-title').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await waitFor(async () => (await nodeIds(page)).length === 2, 'the pasted copy');
    // The copy is what is selected now; Delete removes it and only it.
    await page.keyboard.press('Delete');
    await waitFor(async () => (await nodeIds(page)).length === 1, 'the copy to be deleted');
    await page.keyboard.press('Control+z');
    await waitFor(async () => (await nodeIds(page)).length === 2, 'undo to bring the copy back');
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Delete');
    await waitFor(async () => (await nodeIds(page)).length === 0, 'select all and delete');
    await context.close();
  });
});
