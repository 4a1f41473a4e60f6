// Opening a compound node in Chromium against the real server: its inner nodes and ports on the
// canvas, a node added from the node search and wired, an output renamed and the inputs
// reordered, Save bumping the version with every instance following (the renamed handle still
// connected), the breadcrumb back to the workflow's own viewport, a run giving the new result,
// and a skill the person may not write (a team's, for a member who is not its admin: the same
// path a system compound takes) saved as their own copy, which the opened node then uses (Enter
// opens, Escape leaves). Nested: a compound opened inside another, its promoted input renamed and
// the outer one's mapping following it (the browser's back button up a level), the outer one
// dropped into itself refused with its chain, and the outer default reaching the inner node.
import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { getSkillSource, putSkillSource } from '../../shared/src/documents/volume-index';
import { putEdge, putNode, readWorkflowGraph, writeWorkflowMeta, type WorkflowNode } from '../../shared/src/documents/workflow';
import { buildCompoundMarkdown } from '../../shared/src/skill/compound';
import { mintUserToken } from '../../sync-server/src/access/tokens';
import { connectClient, synced, useApp, waitFor, type PageErrors, type TestClient } from './harness';
import { connectPorts, dropSkill } from './harness/canvas';
import { nodeById, numberOutput, openResult, waitForStatus } from './run-e2e-helpers';

const SECRET = 'e2e-compound-open-secret-0123456789-abcdef';
const app = useApp({ AUTH_SECRET: SECRET });

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

/** Alice is a member of team "lab"; Bob administers it. */
const alice = () => mintUserToken(SECRET, { sub: 'alice', teams: ['lab'] });
const bob = () => mintUserToken(SECRET, { sub: 'bob', team_admin: ['lab'] });

async function client(room: string, token: string): Promise<TestClient> {
  const c = connectClient(app.server.url, room, { params: { token } });
  await synced(c);
  return c;
}

const num = (name: string, extra: object = {}) => ({ name, type: 'number' as const, ...extra });
const node = (id: string, skillId: string, x: number, y: number, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId, label: '', position: { x, y }, inputs });

/** A JavaScript skill file with inputs and outputs. */
const jsSkill = (skillId: string, inputs: object[], outputs: object[], code: string): string =>
  ['---', `name: ${skillId}`, `skill_id: ${skillId}`, 'type: javascript', `inputs: ${JSON.stringify(inputs)}`, `outputs: ${JSON.stringify(outputs)}`, '---', '', '## Code', '', '```javascript', code, '```', ''].join('\n');
const MUL = jsSkill('mul', [num('a', { default: 1 }), num('b', { default: 1 })], [num('p')], 'function execute({ a, b }) { return { p: a * b }; }');
const ADD_TEN = jsSkill('add-ten', [num('v')], [num('w')], 'function execute({ v }) { return { w: v + 10 }; }');

/**
 * A compound skill of one inner node: each input `[name, default, inner port]` promoted onto it,
 * its output `[name, inner port]` taken from it.
 */
const oneNodeCompound = (skillId: string, name: string, inner: WorkflowNode, inputs: Array<[string, number, string]>, output: [string, string]) =>
  buildCompoundMarkdown({
    name,
    skillId,
    description: `${name}, of one node.`,
    inputs: inputs.map(([port, value]) => num(port, { default: value })),
    outputs: [num(output[0])],
    inside: {
      nodes: [inner],
      edges: [],
      inputs: inputs.map(([port, , at]) => ({ name: port, targets: [{ node: inner.id, port: at }] })),
      outputs: [{ name: output[0], node: inner.id, port: output[1] }],
    },
  });

/** A compound of one `mul` node, its `a` and `b` promoted to inputs and its product the output. */
const product = (skillId: string, name: string) => oneNodeCompound(skillId, name, node('m', 'mul', 0, 0), [['a', 1, 'a'], ['b', 1, 'b']], ['p', 'p']);

/** A fresh browser profile signed in as Alice through the sign-in form. */
async function signedIn(): Promise<{ page: Page; errors: PageErrors }> {
  const { page, errors } = await app.openPage('/');
  await page.locator('[data-testid="sign-in-token"]').fill(await alice());
  await page.locator('[data-testid="sign-in"] button').click();
  await page.locator('[data-testid="sign-in"]').waitFor({ state: 'detached' });
  await page.locator('[data-testid="sync-status"][data-state="synced"]').waitFor();
  return { page, errors };
}

/** The handle names a node shows, inputs or outputs, in order. */
const handles = (page: Page, id: string, kind: 'target' | 'source'): Promise<string[]> =>
  nodeById(page, id).locator(`.react-flow__handle.${kind}`).evaluateAll((els) => els.map((e) => e.getAttribute('data-handleid') ?? ''));

const viewportOf = (scope: Page | Locator) => scope.locator('.react-flow__viewport').first().getAttribute('style');

it('opens a compound node, edits and saves its inside, and every instance follows', async () => {
  const aliceToken = await alice();
  const volume = await client('user/alice', aliceToken);
  volume.doc.transact(() => {
    for (const [id, text] of [['mul', MUL], ['add-ten', ADD_TEN], ['product', product('product', 'Product')]] as const) putSkillSource(volume.doc, id, text);
  });
  const team = await client('team/lab', await bob());
  putSkillSource(team.doc, 'lab-product', product('lab-product', 'Lab product'));
  const workflow = await client('user/alice/workflow/open-test', aliceToken);
  workflow.doc.transact(() => {
    writeWorkflowMeta(workflow.doc, { name: 'Open test', description: '', created_at: '2026-12-07T00:00:00Z', updated_at: '2026-12-07T00:00:00Z' });
    putNode(workflow.doc, node('c1', 'product', 0, 0, { a: 3, b: 4 }));
    putNode(workflow.doc, node('c2', 'product', 0, 260, { a: 2, b: 5 }));
    putNode(workflow.doc, node('show', 'add-ten', 420, 0));
    putNode(workflow.doc, node('c3', 'lab-product', 0, 520, { a: 2, b: 2 }));
    putEdge(workflow.doc, { id: 'out', source: 'c1', sourceHandle: 'p', target: 'show', targetHandle: 'v' });
  });

  const { page, errors } = await signedIn();
  await page.goto('/#/workflow/user/alice/open-test');
  await waitFor(async () => (await page.locator('.react-flow__node .run-bar').count()) === 4, 'four nodes with their ports');
  expect(await handles(page, 'c1', 'target')).toEqual(['a', 'b']);
  // Pan the workflow, so that the way back has a viewport of its own to return to.
  const fitted = await viewportOf(page);
  const pane = (await page.locator('.flow').boundingBox())!;
  await page.mouse.move(pane.x + 40, pane.y + pane.height / 2);
  await page.mouse.down();
  await page.mouse.move(pane.x + 140, pane.y + pane.height / 2 + 50, { steps: 5 });
  await page.mouse.up();
  const before = await viewportOf(page);
  expect(before).not.toBe(fitted);

  // Open: the inside on the canvas, the ports beside it, a breadcrumb back.
  await nodeById(page, 'c1').locator('[data-testid="open-compound"]').click();
  await page.waitForURL(/#\/workflow\/user\/alice\/open-test\/open\/c1$/);
  const view = page.locator('[data-testid="compound-view"]');
  await view.locator('.react-flow__node:has([data-skill="mul"]) .run-bar').waitFor();
  expect(await view.locator('.react-flow__node').count()).toBe(1);
  expect(await view.locator('[data-testid="compound-breadcrumb"] li').allTextContents()).toEqual(['Open test', 'Product']);
  const inputs = view.locator('[data-testid="compound-inputs"] [data-testid="compound-port"]');
  const outputs = view.locator('[data-testid="compound-outputs"] [data-testid="compound-port"]');
  expect(await inputs.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['a', 'b']);
  expect(await inputs.locator('[data-testid="compound-port-map"]').allTextContents()).toEqual(['→ mul › a (default 1)', '→ mul › b (default 1)']);
  expect(await outputs.locator('[data-testid="compound-port-map"]').allTextContents()).toEqual(['← mul › p']);
  expect(await view.locator('[data-testid="compound-save"]').isDisabled()).toBe(true);

  // Add a node from the node search and wire it after the inner node.
  const flow = (await view.locator('.flow').boundingBox())!;
  await page.mouse.dblclick(flow.x + 420, flow.y + 120);
  const search = view.locator('[data-testid="node-search"]');
  await search.waitFor();
  await page.keyboard.type('add-ten');
  await search.locator('[data-testid="node-search-item"][data-key="add-ten"]').click();
  const added = view.locator('.react-flow__node:has([data-skill="add-ten"])');
  await added.locator('.run-bar').waitFor();
  const addedId = (await added.getAttribute('data-id')) ?? '';
  await connectPorts(page, { node: 'm', output: 'p' }, { node: addedId, input: 'v' });
  await waitFor(async () => (await view.locator('.react-flow__edge').count()) === 1, 'the inner edge');

  // Expose the new node's output, rename the old output, move input b before a.
  await view.locator('[data-testid="compound-expose-outputs"]').selectOption({ label: 'add-ten › w' });
  await view.locator('[data-testid="compound-expose-outputs-button"]').click();
  await view.locator('[data-testid="compound-outputs"] [data-testid="compound-port"][data-name="w"]').waitFor();
  const rename = view.locator('[data-testid="compound-outputs"] [data-testid="compound-port"][data-name="p"] [data-testid="compound-port-name"]');
  await rename.fill('result');
  await rename.press('Enter');
  await view.locator('[data-testid="compound-inputs"] [data-testid="compound-port"][data-name="b"] [data-testid="compound-port-up"]').click();
  expect(await inputs.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['b', 'a']);
  expect(await outputs.evaluateAll((els) => els.map((e) => e.getAttribute('data-name')))).toEqual(['result', 'w']);
  await view.locator('[data-testid="compound-unsaved"]').waitFor();
  expect(await view.locator('[data-testid="compound-problems"]').count()).toBe(0);
  await shot(page, 'compound-open-edited');

  // Save: version bumped in the library; every instance shows the new ports.
  await view.locator('[data-testid="compound-save"]').click();
  await view.locator('[data-testid="compound-saved"]', { hasText: 'Saved version 1.0.1' }).waitFor();
  await waitFor(() => getSkillSource(volume.doc, 'product')?.includes('version: 1.0.1') === true, 'the saved skill on the server');
  const saved = getSkillSource(volume.doc, 'product') ?? '';
  expect(saved).toContain('description: Product, of one node.');
  expect(saved.indexOf('name: b')).toBeLessThan(saved.indexOf('name: a'));
  await waitFor(() => readWorkflowGraph(workflow.doc).edges.find((e) => e.id === 'out')?.sourceHandle === 'result', 'the outer edge to follow the rename');

  // The way back: the breadcrumb, to the workflow at the viewport it had.
  await view.locator('[data-testid="compound-crumb-0"]').click();
  await view.waitFor({ state: 'detached' });
  await page.waitForURL(/#\/workflow\/user\/alice\/open-test$/);
  expect(await viewportOf(page)).toBe(before);
  for (const id of ['c1', 'c2']) {
    expect(await handles(page, id, 'target')).toEqual(['b', 'a']);
    expect(await handles(page, id, 'source')).toEqual(['result', 'w']);
  }
  expect(await page.locator('.react-flow__edge').count()).toBe(1);
  await shot(page, 'compound-open-back');

  // A run gives the new result: 3 × 4 = 12 through the renamed port, and 12 + 10 inside.
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, 'show', 'done');
  await waitForStatus(page, 'c1', 'done');
  await waitForStatus(page, 'c2', 'done');
  expect(await numberOutput(await openResult(page, 'show'), 'w')).toBe(22);
  const c1 = await openResult(page, 'c1');
  expect([await numberOutput(c1, 'result'), await numberOutput(c1, 'w')]).toEqual([12, 22]);
  expect(await numberOutput(await openResult(page, 'c2'), 'w')).toBe(20);

  // A team's skill Alice may not write: opened with the keyboard, saved as her own copy.
  await nodeById(page, 'c3').locator('.skill-node-title').click();
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/open\/c3$/);
  const save = view.locator('[data-testid="compound-save"]');
  await expect(save.textContent()).resolves.toBe('Save as my copy');
  await save.click();
  await view.locator('[data-testid="compound-saved"]', { hasText: 'lab-product-copy' }).waitFor();
  await waitFor(() => readWorkflowGraph(workflow.doc).nodes.find((n) => n.id === 'c3')?.skillId === 'lab-product-copy', 'the node to use the copy');
  await waitFor(() => getSkillSource(volume.doc, 'lab-product-copy') !== undefined, 'the copy in Alice’s volume');
  expect(getSkillSource(volume.doc, 'lab-product-copy')).toMatch(/name: Lab product \(my copy\)[\s\S]*version: 1\.0\.1/);
  expect(getSkillSource(team.doc, 'lab-product')).toContain('version: 1.0.0');
  // The copy is Alice's: saving it again would write it in place.
  await waitFor(async () => (await save.textContent()) === 'Save', 'the open node to show the copy');
  await page.keyboard.press('Escape');
  await view.waitFor({ state: 'detached' });
  // Back on the workflow, the keyboard is its canvas's again: Enter opens the selected node once more.
  await waitFor(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'workflow-canvas'), 'the workflow canvas to have the keyboard');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/open\/c3$/);
  // Open once its inside has loaded (the view listens for Escape from when it is mounted).
  await waitFor(async () => (await view.locator('[data-testid="compound-breadcrumb"] li').count()) === 2, 'c3 open again');
  await page.keyboard.press('Escape');
  await view.waitFor({ state: 'detached' });

  errors.assertNone();
  for (const c of [volume, team, workflow]) c.destroy();
  await page.context().close();
});

it('a compound inside a compound: opened a level deeper, its promoted input renamed, and the outer one keeps exposing it', async () => {
  const aliceToken = await alice();
  const volume = await client('user/alice', aliceToken);
  const scale = jsSkill('scale', [num('x', { default: 1 }), num('factor', { default: 1 })], [num('y')], 'function execute({ x, factor }) { return { y: x * factor }; }');
  // A promotes its inner literal `factor` (3) to an input; B holds an A node and exposes that input again as `k`.
  const a = oneNodeCompound('scaled', 'Scaled', node('s', 'scale', 0, 0, { factor: 3 }), [['x', 1, 'x'], ['factor', 3, 'factor']], ['y', 'y']);
  const b = oneNodeCompound('outer', 'Outer', node('inner', 'scaled', 0, 0), [['x', 1, 'x'], ['k', 7, 'factor']], ['out', 'y']);
  volume.doc.transact(() => {
    for (const [id, text] of [['scale', scale], ['scaled', a], ['outer', b]] as const) putSkillSource(volume.doc, id, text);
  });
  const workflow = await client('user/alice/workflow/nested-test', aliceToken);
  workflow.doc.transact(() => {
    writeWorkflowMeta(workflow.doc, { name: 'Nested', description: '', created_at: '2026-12-07T00:00:00Z', updated_at: '2026-12-07T00:00:00Z' });
    putNode(workflow.doc, node('b', 'outer', 0, 0, { x: 2 }));
  });

  const { page, errors } = await signedIn();
  await page.goto('/#/workflow/user/alice/nested-test');
  await nodeById(page, 'b').locator('[data-testid="open-compound"]').click();
  const view = page.locator('[data-testid="compound-view"]');
  const crumbs = view.locator('[data-testid="compound-breadcrumb"] li');
  const maps = (side: string) => view.locator(`[data-testid="compound-${side}"] [data-testid="compound-port-map"]`).allTextContents();
  await waitFor(async () => (await crumbs.allTextContents()).join(' › ') === 'Nested › Outer', 'B open');
  await waitFor(async () => (await maps('inputs')).join('|') === '→ Scaled › x (default 1)|→ Scaled › factor (default 7)', 'B’s ports');

  // A level deeper: A's inside, its promoted input renamed and saved.
  await nodeById(page, 'inner').locator('[data-testid="open-compound"]').click();
  await page.waitForURL(/\/open\/b\/inner$/);
  await waitFor(async () => (await crumbs.allTextContents()).join(' › ') === 'Nested › Outer › Scaled', 'A open inside B');
  await view.locator('.react-flow__node[data-id="s"] .run-bar').waitFor();
  const rename = view.locator('[data-testid="compound-inputs"] [data-testid="compound-port"][data-name="factor"] [data-testid="compound-port-name"]');
  await rename.fill('gain');
  await rename.press('Enter');
  await view.locator('[data-testid="compound-save"]').click();
  await view.locator('[data-testid="compound-saved"]', { hasText: 'Saved version 1.0.1' }).waitFor();
  await shot(page, 'compound-open-nested');

  // The browser's back button goes up to B, whose input still reaches A's renamed port: B has that change to save.
  await page.goBack();
  await page.waitForURL(/\/open\/b$/);
  await waitFor(async () => (await maps('inputs')).join('|') === '→ Scaled › x (default 1)|→ Scaled › gain (default 7)', 'B’s input to follow the rename');
  await view.locator('[data-testid="compound-unsaved"]').waitFor();

  // B dropped inside itself (from the library): refused with the chain before any save, until the node goes again.
  await dropSkill(page, 'outer', { x: 460, y: 300 }, view);
  await view.locator('[data-testid="compound-problems"]', { hasText: '"outer" would contain itself: outer → outer.' }).waitFor();
  expect(await view.locator('[data-testid="compound-save"]').isDisabled()).toBe(true);
  await shot(page, 'compound-open-loop');
  await view.locator('[data-testid="undo"]').click();
  await view.locator('[data-testid="compound-problems"]').waitFor({ state: 'detached' });
  // The canvas draws the undone node's removal on its next render, after the problems list goes.
  await waitFor(async () => (await view.locator('.react-flow__node').count()) === 1, 'the dropped node gone with the undo');

  await view.locator('[data-testid="compound-save"]').click();
  await view.locator('[data-testid="compound-saved"]', { hasText: 'Saved version 1.0.1' }).waitFor();
  await waitFor(() => /"port": "gain"/.test(getSkillSource(volume.doc, 'outer') ?? ''), 'B saved with its mapping onto A’s renamed input');

  // Back on the workflow, B's default for the re-exposed input reaches A's inner node: 2 × 7.
  await view.locator('[data-testid="compound-crumb-0"]').click();
  await view.waitFor({ state: 'detached' });
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, 'b', 'done');
  expect(await numberOutput(await openResult(page, 'b'), 'out')).toBe(14);

  errors.assertNone();
  volume.destroy();
  workflow.destroy();
  await page.context().close();
});
