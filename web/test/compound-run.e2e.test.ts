// A compound node in the app, in Chromium against the real server (EXEC-13): found by the node
// search and dropped as one node with typed handles; run, it shows its progress (inner nodes done
// of all, which one runs), live to a second person in the room too; its outputs equal its flat
// chain's, and after the flat run its inner nodes come from the cache; reopened, it shows its last
// result; an inner failure names the inner node, its skill and line; a compound skill that
// contains itself is refused with its chain.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { putEdge, putNode, type WorkflowNode } from '../../shared/src/documents/workflow';
import { buildCompoundMarkdown } from '../../shared/src/skill/compound';
import { useApp, waitFor } from './harness';
import { addUserSkill, nodeById, numberOutput, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

/** A skill file with typed ports. */
function skill(skillId: string, type: 'python' | 'javascript', ports: { inputs: string[]; outputs: string[] }, code: string): string {
  const port = (line: string) => {
    const [name, portType, fallback] = line.split(':');
    return [`  - name: ${name}`, `    type: ${portType}`, ...(fallback ? [`    default: ${fallback}`] : [])];
  };
  return ['---', `name: ${skillId}`, `skill_id: ${skillId}`, `type: ${type}`, 'inputs:', ...ports.inputs.flatMap(port), 'outputs:', ...ports.outputs.flatMap(port), '---', '', `# ${skillId}`, '', '## Code', '', `\`\`\`${type}`, code, '```', ''].join('\n');
}

const SCALE = skill('e2e-scale', 'python', { inputs: ['x:number', 'factor:number:2'], outputs: ['y:number'] }, 'def execute(inputs):\n    print(f"scaling {inputs[\'x\']}")\n    return {"y": inputs["x"] * inputs["factor"]}');
// Holds its result a moment, so the compound's "1 of 3" is there long enough to be seen across the room.
const HOLD = skill(
  'e2e-hold',
  'javascript',
  { inputs: ['y:number', 'offset:number:1', 'ms:integer:2500'], outputs: ['z:number'] },
  'async function execute({ y, offset, ms }) {\n  if (y < 0) throw new Error(`negative input ${y}`);\n  await new Promise((resolve) => setTimeout(resolve, ms));\n  return { z: y + offset };\n}',
);
const SQUARE = skill('e2e-square', 'python', { inputs: ['z:number'], outputs: ['w:number'] }, 'def execute(inputs):\n    return {"w": inputs["z"] ** 2}');
/** The file line of the hold skill's `throw`, which its error must name. */
const THROW_LINE = HOLD.split('\n').findIndex((l) => l.includes('throw new Error')) + 1;

const inner = (id: string, skillId: string, label: string, x: number, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({ id, skillId, label, position: { x, y: 0 }, inputs });
const CHAIN = buildCompoundMarkdown({
  name: 'E2E Chain',
  skillId: 'e2e-chain',
  description: 'Scales, holds and offsets, then squares a number: three inner nodes.',
  inputs: [
    { name: 'x', type: 'number' },
    { name: 'factor', type: 'number', default: 2 },
  ],
  outputs: [
    { name: 'w', type: 'number' },
    { name: 'z', type: 'number' },
  ],
  inside: {
    nodes: [inner('s', 'e2e-scale', 'Scale', 0), inner('h', 'e2e-hold', 'Hold', 320, { offset: 10 }), inner('q', 'e2e-square', 'Square', 640)],
    edges: [
      { id: 'e1', source: 's', sourceHandle: 'y', target: 'h', targetHandle: 'y' },
      { id: 'e2', source: 'h', sourceHandle: 'z', target: 'q', targetHandle: 'z' },
    ],
    inputs: [
      { name: 'x', targets: [{ node: 's', port: 'x' }] },
      { name: 'factor', targets: [{ node: 's', port: 'factor' }] },
    ],
    outputs: [
      { name: 'w', node: 'q', port: 'w' },
      { name: 'z', node: 'h', port: 'z' },
    ],
  },
});
const loop = (id: string, other: string) =>
  buildCompoundMarkdown({
    name: id,
    skillId: id,
    inputs: [],
    outputs: [{ name: 'w', type: 'number' }],
    inside: { nodes: [inner('n', other, '', 0)], edges: [], inputs: [], outputs: [{ name: 'w', node: 'n', port: 'w' }] },
  });

beforeAll(async () => {
  for (const [id, md] of [
    ['e2e-scale', SCALE],
    ['e2e-hold', HOLD],
    ['e2e-square', SQUARE],
    ['e2e-chain', CHAIN],
    ['e2e-loop-a', loop('e2e-loop-a', 'e2e-loop-b')],
    ['e2e-loop-b', loop('e2e-loop-b', 'e2e-loop-a')],
  ] as const) {
    await addUserSkill(app.server.url, id, md);
  }
});

/** Sets a node's literal input as a person types it. */
async function typeLiteral(page: Page, node: string, input: string, value: string): Promise<void> {
  await nodeById(page, node).locator(`[data-testid="literal-${input}"]`).fill(value);
}

const summary = (page: Page) => page.locator('[data-testid="run-summary"]');

/** The statuses of the newest trace of a workflow in this browser's run store, by node id. */
const lastTraceOf = (page: Page, workflow: string) =>
  page.evaluate(
    (room) =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('traces').objectStore('traces').getAll();
          all.onsuccess = () => {
            const traces = (all.result as Array<{ workflow: string; startedAt: string; nodes: Array<{ id: string; status: string }> }>).filter((t) => t.workflow === room);
            const newest = traces.sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
            resolve(Object.fromEntries((newest?.nodes ?? []).map((n) => [n.id, n.status])));
          };
        };
      }),
    `user/default/workflow/${workflow}`,
  );

describe('a compound node', () => {
  it('is dropped from the search with typed handles, runs with its progress seen live by a second person, equals its flat chain and reuses its cache', async () => {
    const first = await app.openWorkflow('compound-node');
    const { page } = first;
    // Found by the search's compound filter and dropped as one node.
    const pane = (await page.locator('.flow').boundingBox())!;
    await page.mouse.dblclick(pane.x + 120, pane.y + 120);
    const search = page.locator('[data-testid="node-search"]');
    await search.waitFor();
    await page.keyboard.type('chain type:compound');
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').count()) === 1, 'the compound skill found');
    expect(await search.locator('[data-testid="node-search-item"]').getAttribute('data-key')).toBe('e2e-chain');
    await page.keyboard.press('Enter');
    const c = (await waitForNodes(page, 1))['e2e-chain']!;
    const node = nodeById(page, c);
    await node.locator('[data-testid="compound-kind"]').waitFor();
    const handles = async (kind: 'source' | 'target') =>
      node.locator(`.react-flow__handle.${kind}`).evaluateAll((els) => els.map((e) => `${e.getAttribute('data-handleid')} ${/\((\w+)/.exec(e.getAttribute('title') ?? '')?.[1]}`));
    expect(await handles('target')).toEqual(['x number', 'factor number']);
    expect(await handles('source')).toEqual(['w number', 'z number']);
    await typeLiteral(page, c, 'x', '5');

    // A second person in the room sees the node and, while the first runs it, its progress.
    const second = await app.openWorkflow('compound-node');
    await waitForNodes(second.page, 1);
    const remote = nodeById(second.page, c);
    await remote.locator('[data-testid="compound-kind"]').waitFor();

    await page.locator('[data-testid="run-workflow"]').click();
    await node.locator('[data-testid="compound-progress"][data-total="3"]').waitFor({ timeout: 10_000 });
    const oneOfThree = remote.locator('[data-testid="remote-compound-progress"][data-done="1"][data-total="3"]');
    await oneOfThree.waitFor({ timeout: 120_000 });
    expect(await oneOfThree.textContent()).toBe('1 of 3 · Hold');
    expect(await oneOfThree.getAttribute('title')).toBe(`Inner nodes done (or reused) of all; running: Hold (${c}/h)`);
    expect(await remote.locator('[data-testid="remote-run-status"]').getAttribute('data-status')).toBe('running');
    await shot(second.page, 'compound-progress-remote');
    await waitForStatus(page, c, 'done', 120_000);
    await remote.locator('[data-testid="remote-run-status"][data-status="done"]').waitFor();
    expect(await node.locator('[data-testid="compound-progress"]').textContent()).toBe('3 of 3');
    let panel = await openResult(page, c);
    expect(await numberOutput(panel, 'w')).toBe(400);
    expect(await numberOutput(panel, 'z')).toBe(20);
    await shot(page, 'compound-done');
    second.errors.assertNone();
    await second.context.close();

    // Its flat chain, written as a script writes workflows, run in the same browser.
    const flat = await app.connect('user/default/workflow/compound-flat');
    flat.doc.transact(() => {
      putNode(flat.doc, inner('s', 'e2e-scale', '', 0, { x: 3 }));
      putNode(flat.doc, inner('h', 'e2e-hold', '', 320, { offset: 10 }));
      putNode(flat.doc, inner('q', 'e2e-square', '', 640));
      putEdge(flat.doc, { id: 'e1', source: 's', sourceHandle: 'y', target: 'h', targetHandle: 'y' });
      putEdge(flat.doc, { id: 'e2', source: 'h', sourceHandle: 'z', target: 'q', targetHandle: 'z' });
    });
    await page.goto('/#/workflow/user/default/compound-flat');
    await waitForNodes(page, 3);
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, 'q', 'done', 60_000);
    expect(await lastTraceOf(page, 'compound-flat')).toEqual({ s: 'done', h: 'done', q: 'done' });
    const flatW = await numberOutput(await openResult(page, 'q'), 'w');
    expect(flatW).toBe(256);

    // The compound node with the flat chain's input: every inner node from the cache, the same output.
    await page.goto('/#/workflow/user/default/compound-node');
    await waitForNodes(page, 1);
    await typeLiteral(page, c, 'x', '3');
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, c, 'cached');
    await expect(summary(page).textContent()).resolves.toMatch(/^Done in .* \(3 reused\)$/);
    expect(await lastTraceOf(page, 'compound-node')).toEqual({ [`${c}/s`]: 'cached', [`${c}/h`]: 'cached', [`${c}/q`]: 'cached' });
    panel = await openResult(page, c);
    expect(await numberOutput(panel, 'w')).toBe(flatW);

    // Reopened, the compound node shows its last result; its inner nodes were not kept as nodes.
    await page.reload();
    await waitForNodes(page, 1);
    await waitForStatus(page, c, 'cached');
    panel = await openResult(page, c);
    expect(await numberOutput(panel, 'w')).toBe(256);
    expect(await page.locator('.react-flow__node').count()).toBe(1);
    flat.destroy();
    first.errors.assertNone();
    await first.context.close();
  });

  it('names a failed inner node, its skill and line, on the node and in the dock', async () => {
    const { context, page, errors } = await app.openWorkflow('compound-error', { ignore: [/negative input/] });
    const script = await app.connect('user/default/workflow/compound-error');
    putNode(script.doc, { id: 'c', skillId: 'e2e-chain', label: 'Chain', position: { x: 80, y: 80 }, inputs: { x: -1 } });
    await waitForNodes(page, 1);
    await page.locator('[data-testid="run-workflow"]').click();
    await waitForStatus(page, 'c', 'error', 120_000);
    const failure = nodeById(page, 'c').locator('[data-testid="compound-failure"]');
    expect(await failure.textContent()).toBe(`failed in Hold (c/h), skill e2e-hold, line ${THROW_LINE}`);
    const panel = await openResult(page, 'c');
    const named = panel.locator('[data-testid="inner-error"]');
    expect(await named.getAttribute('data-path')).toBe('c/h');
    expect(await named.getAttribute('data-skill')).toBe('e2e-hold');
    expect(await named.textContent()).toBe('Failed inside this compound node: Hold (c/h), skill e2e-hold');
    expect(await panel.locator('[data-testid="result-error"]').textContent()).toContain('negative input -2');
    expect(await panel.locator('[data-testid="error-line"]').first().getAttribute('data-line')).toBe(String(THROW_LINE));
    expect(await panel.locator('[data-testid="error-line"]').first().getAttribute('title')).toBe(`Open e2e-hold at line ${THROW_LINE} of its file`);
    await shot(page, 'compound-inner-error');

    // Reopened, the kept compound state still names them (the inner states were not kept).
    await page.reload();
    await waitForNodes(page, 1);
    await waitForStatus(page, 'c', 'error');
    expect(await failure.textContent()).toBe(`failed in Hold (c/h), skill e2e-hold, line ${THROW_LINE}`);
    const reopened = await openResult(page, 'c');
    expect(await reopened.locator('[data-testid="inner-error"]').getAttribute('data-skill')).toBe('e2e-hold');
    expect(await reopened.locator('[data-testid="error-line"]').first().getAttribute('title')).toBe(`Open e2e-hold at line ${THROW_LINE} of its file`);
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('that contains itself is refused before running, with its chain named', async () => {
    const { context, page, errors } = await app.openWorkflow('compound-loop');
    const script = await app.connect('user/default/workflow/compound-loop');
    putNode(script.doc, { id: 'l', skillId: 'e2e-loop-a', label: '', position: { x: 80, y: 80 }, inputs: {} });
    await waitForNodes(page, 1);
    await page.locator('[data-testid="run-workflow"]').click();
    await waitFor(async () => ((await summary(page).textContent()) ?? '').startsWith('Cannot run'), 'the run refused');
    expect(await summary(page).textContent()).toContain('e2e-loop-a → e2e-loop-b → e2e-loop-a');
    script.destroy();
    errors.assertNone();
    await context.close();
  });
});
