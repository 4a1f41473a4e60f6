// Make skill and Unpack in Chromium (issue 16): a chain seed → square (JS) → scale (Python) →
// show (JS); the middle two become one compound node with a literal promoted, edges rewired, the
// run gives what the flat chain gave; one Ctrl+Z brings the nodes back exactly, redo makes it
// again, a second person sees each change live; Unpack restores the inner nodes and one Ctrl+Z
// packs them again. A selection that cannot be one skill says why in the dialog.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { listSkillSources } from '../../shared/src/documents/volume-index';
import { putEdge, putNode, readWorkflowGraph, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { readSkill } from '../../shared/src/skill/parse';
import { useApp, waitFor, type TestClient } from './harness';
import { addUserSkill, javascriptSkill, nodeById, numberOutput, openResult, pythonSkill, waitForNodes } from './run-e2e-helpers';

const app = useApp();
const shot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : undefined);

/** A skill file with number inputs declared (the helpers' skills declare outputs only). */
function withInputs(markdown: string, inputs: Array<{ name: string; default?: number }>): string {
  const declared = inputs.flatMap((p) => [`  - name: ${p.name}`, '    type: number', ...(p.default === undefined ? [] : [`    default: ${p.default}`])]);
  return markdown.replace(/^(type: \w+)$/m, ['$1', 'inputs:', ...declared].join('\n'));
}

/** A JavaScript skill with number ports, giving `output` as `body` computes it from `inputs`. */
const jsSkill = (skillId: string, inputs: Array<{ name: string; default?: number }>, output: string, body: string): string =>
  withInputs(javascriptSkill(skillId, `function execute(inputs) {\n  return { ${output}: ${body} };\n}`, [{ name: output, type: 'number' }]), inputs);

const SCALE = withInputs(pythonSkill('mk-scale', 'def execute(inputs):\n    return {"z": inputs["y"] * inputs.get("factor", 10)}', [{ name: 'z', type: 'number' }]), [{ name: 'y' }, { name: 'factor', default: 10 }]);

beforeAll(async () => {
  await addUserSkill(app.server.url, 'mk-seed', jsSkill('mk-seed', [{ name: 'n', default: 3 }], 'value', 'inputs.n'));
  await addUserSkill(app.server.url, 'mk-square', jsSkill('mk-square', [{ name: 'x' }, { name: 'offset', default: 0 }], 'y', 'inputs.x * inputs.x + inputs.offset'));
  await addUserSkill(app.server.url, 'mk-scale', SCALE);
  await addUserSkill(app.server.url, 'mk-show', jsSkill('mk-show', [{ name: 'z' }], 'result', 'inputs.z + 1'));
});

/** The chain, written by a script as another device would: square's offset set to 1. */
function writeChain(script: TestClient): void {
  script.doc.transact(() => {
    putNode(script.doc, { id: 'seed', skillId: 'mk-seed', label: 'Seed', position: { x: 0, y: 0 }, inputs: {} });
    putNode(script.doc, { id: 'square', skillId: 'mk-square', label: 'Square', position: { x: 360, y: 0 }, inputs: { offset: 1 } });
    putNode(script.doc, { id: 'scale', skillId: 'mk-scale', label: 'Scale', position: { x: 720, y: 60 }, inputs: {} });
    putNode(script.doc, { id: 'show', skillId: 'mk-show', label: 'Show', position: { x: 1080, y: 0 }, inputs: {} });
    putEdge(script.doc, { id: 'a', source: 'seed', sourceHandle: 'value', target: 'square', targetHandle: 'x' });
    putEdge(script.doc, { id: 'b', source: 'square', sourceHandle: 'y', target: 'scale', targetHandle: 'y' });
    putEdge(script.doc, { id: 'c', source: 'scale', sourceHandle: 'z', target: 'show', targetHandle: 'z' });
  });
}

/** A graph in id order, to compare exactly. */
const sorted = (g: WorkflowGraph): WorkflowGraph => ({ nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)), edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)) });

/** A graph ids aside: nodes by skill, position and literals; edges by their ends' skills and ports. */
function shape(g: WorkflowGraph) {
  const skill = new Map(g.nodes.map((n) => [n.id, n.skillId]));
  return {
    nodes: g.nodes.map((n) => JSON.stringify([n.skillId, n.position, n.inputs])).sort(),
    edges: g.edges.map((e) => `${skill.get(e.source)}.${e.sourceHandle}→${skill.get(e.target)}.${e.targetHandle}`).sort(),
  };
}

/**
 * Selects nodes by clicking their titles, Control held from the second on. Control goes down
 * before the click's own checks (two animation frames), so React Flow has seen it when the click lands.
 */
async function selectNodes(page: Page, ids: string[]): Promise<void> {
  for (const [i, id] of ids.entries()) {
    if (i > 0) await page.keyboard.down('Control');
    await nodeById(page, id).locator('.skill-node-title').click();
    if (i > 0) await page.keyboard.up('Control');
  }
  await waitFor(async () => (await page.locator('.react-flow__node.selected').count()) === ids.length, `${ids.join(', ')} selected`);
}

/** Runs the whole workflow and waits for the run's summary. */
async function runAll(page: Page): Promise<string> {
  const before = await page.locator('[data-testid="run-summary"]').textContent().catch(() => null);
  await page.locator('[data-testid="run-workflow"]').click();
  await waitFor(async () => {
    const text = await page.locator('[data-testid="run-summary"]').textContent().catch(() => null);
    return text !== null && text !== before && text.startsWith('Done');
  }, 'the run to finish', 120_000);
  return (await page.locator('[data-testid="run-summary"]').textContent()) ?? '';
}

it('makes a skill of two nodes as one undo step, runs it to the same result, and unpacks it as one step', async () => {
  const script = await app.connect('user/default/workflow/make-skill');
  writeChain(script);
  const original = sorted(readWorkflowGraph(script.doc));
  const alice = await app.openWorkflow('make-skill');
  const bob = await app.openWorkflow('make-skill');
  const page = alice.page;
  await waitForNodes(page, 4);
  await waitForNodes(bob.page, 4);

  // The flat chain: 3² + 1 = 10, × 10 = 100, + 1 = 101.
  await runAll(page);
  expect(await numberOutput(await openResult(page, 'show'), 'result')).toBe(101);

  await selectNodes(page, ['square', 'scale']);
  await page.locator('[data-testid="make-skill"]').click();
  const dialog = page.locator('[data-testid="make-skill-dialog"]');
  await dialog.waitFor();
  const ports = (list: string) => dialog.locator(`[data-testid="${list}"] li`).evaluateAll((els) => els.map((e) => e.getAttribute('data-port')));
  expect(await ports('make-skill-inputs')).toEqual(['x']);
  expect(await ports('make-skill-outputs')).toEqual(['z']);
  // Square's offset is set; scale's factor is its default: both may be promoted.
  const literals = await dialog.locator('[data-testid="promote"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-node')}.${e.getAttribute('data-port')}`));
  expect(literals).toEqual(['square.offset', 'scale.factor']);
  await dialog.locator('[data-testid="promote"][data-port="offset"]').check();
  await waitFor(async () => JSON.stringify(await ports('make-skill-inputs')) === '["x","offset"]', 'offset among the inputs');
  await dialog.locator('[data-testid="make-skill-name"]').fill('Square and scale');
  expect(await dialog.locator('[data-testid="make-skill-id"]').inputValue()).toBe('square-and-scale');
  await shot(page, 'make-skill-dialog');
  await dialog.locator('[data-testid="make-skill-save"]').click();
  await dialog.waitFor({ state: 'detached' });

  // One node of the new skill, edges rewired, the promoted literal on it.
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 3, 'the server to hold the made workflow');
  const after = sorted(readWorkflowGraph(script.doc));
  const compound = after.nodes.find((n) => n.skillId === 'square-and-scale');
  expect(compound).toMatchObject({ label: 'Square and scale', inputs: { offset: 1 } });
  expect(shape(after).edges).toEqual(['mk-seed.value→square-and-scale.x', 'square-and-scale.z→mk-show.z']);
  for (const p of [page, bob.page]) {
    await waitFor(async () => (await p.locator('.react-flow__node [data-skill]').evaluateAll((els) => els.map((e) => e.getAttribute('data-skill')).sort().join())) === 'mk-seed,mk-show,square-and-scale', 'one compound node in place of two');
    await waitForNodes(p, 3);
    await waitFor(async () => (await p.locator('.react-flow__edge').count()) === 2, 'two edges');
  }
  expect(await nodeById(bob.page, compound!.id).locator('[data-testid="literal-offset"]').inputValue()).toBe('1');
  // The skill is in the person's own volume, offset promoted with its value as the default.
  const volume = await app.connect('user/default');
  const file = readSkill(listSkillSources(volume.doc).get('square-and-scale') ?? '', { file: 'square-and-scale.md' });
  expect(file.ok && file.value.kind === 'compound' && file.value.frontmatter.inputs).toEqual([{ name: 'x', type: 'number' }, { name: 'offset', type: 'number', default: 1 }]);
  volume.destroy();
  await shot(page, 'make-skill-made');

  // The same result, the inner nodes' work reused from the flat run.
  expect(await runAll(page)).toMatch(/reused/);
  expect(await numberOutput(await openResult(page, 'show'), 'result')).toBe(101);

  // One Ctrl+Z: the original nodes and edges, exactly; the other person sees them come back.
  await page.locator('[data-testid="workflow-canvas"]').focus();
  await page.keyboard.press('Control+z');
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 4, 'the undo on the server');
  expect(sorted(readWorkflowGraph(script.doc))).toEqual(original);
  await waitFor(async () => (await bob.page.locator('.react-flow__node').count()) === 4 && (await bob.page.locator('.react-flow__edge').count()) === 3, 'Bob to see the nodes and edges back');
  await page.keyboard.press('Control+Shift+z');
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 3, 'the redo on the server');
  expect(sorted(readWorkflowGraph(script.doc))).toEqual(after);
  await waitFor(async () => (await bob.page.locator('.react-flow__node').count()) === 3, 'Bob to see the compound node again');

  // Unpack from the keyboard: the inner nodes where they were, wired as before.
  await selectNodes(page, [compound!.id]);
  await page.locator('[data-testid="unpack"]').waitFor();
  await page.keyboard.press('Control+Shift+g');
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 4, 'the unpack on the server');
  expect(shape(readWorkflowGraph(script.doc))).toEqual(shape(original));
  await waitFor(async () => (await bob.page.locator('.react-flow__node').count()) === 4, 'Bob to see the unpacked nodes');
  await waitFor(async () => (await page.locator('.react-flow__node.selected').count()) === 2, 'the inner nodes selected');
  await shot(page, 'make-skill-unpacked');
  await page.keyboard.press('Control+z');
  await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 3, 'the undo of the unpack');
  expect(sorted(readWorkflowGraph(script.doc))).toEqual(after);

  script.destroy();
  alice.errors.assertNone();
  bob.errors.assertNone();
  await alice.context.close();
  await bob.context.close();
}, 300_000);

it('a selection that would feed itself through another node says so in the dialog, and changes nothing', async () => {
  const script = await app.connect('user/default/workflow/make-skill-loop');
  writeChain(script);
  const original = sorted(readWorkflowGraph(script.doc));
  const { page, context, errors } = await app.openWorkflow('make-skill-loop');
  await waitForNodes(page, 4);
  await selectNodes(page, ['seed', 'scale']);
  await page.keyboard.press('Control+g');
  const dialog = page.locator('[data-testid="make-skill-dialog"]');
  await expect(dialog.locator('[data-testid="make-skill-error"]').textContent()).resolves.toBe(
    'The selection feeds itself through "Square" (square) ("Seed" (seed) → "Square" (square) → "Scale" (scale)): as one node it would be a cycle. Add that node to the selection, or leave out the nodes on either side.',
  );
  expect(await dialog.locator('[data-testid="make-skill-save"]').isDisabled()).toBe(true);
  await shot(page, 'make-skill-refused');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(sorted(readWorkflowGraph(script.doc))).toEqual(original);
  // The shortcuts list names both keys.
  await page.keyboard.press('?');
  await expect(page.locator('[data-testid="shortcuts"]').textContent()).resolves.toMatch(/Ctrl\+GMake a skill of the selected nodes.*Ctrl\+Shift\+GUnpack the selected compound node/);
  script.destroy();
  errors.assertNone();
  await context.close();
});
