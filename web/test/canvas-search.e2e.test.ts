// Finding and adding nodes on the canvas in Chromium against the real server: the node search
// opened by a double-click (with a filter) and by a connection dropped in empty space, whole-row
// ports, the keyboard alone (search, add, select, connect, run), renaming, and the shortcuts list.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { putNode, readWorkflowGraph, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { portTypesCompatible } from '../../shared/src/workflow/validate';
import type { Locator, Page } from 'playwright-core';
import { ROOT, useApp, waitFor } from './harness';
import { centreOf, dragMouse, dropSkill, visibleNodes } from './harness/canvas';

const app = useApp();
/** How many system skills there are (skills/*.md), every one of them a node: runnable, or compound. */
const SYSTEM_SKILLS = fs.readdirSync(path.join(ROOT, 'skills')).filter((f) => f.endsWith('.md')).length;

const shot = async (page: Page, name: string) => {
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` });
};

/** The node of a skill on the page, once its ports have appeared (the parser loads after first paint). */
async function nodeOf(page: Page, skillId: string): Promise<string> {
  const node = page.locator(`.react-flow__node:has([data-skill="${skillId}"])`).first();
  await node.locator('.react-flow__handle').first().waitFor();
  return (await node.getAttribute('data-id')) ?? '';
}

/**
 * Drags a connection from a port of a node to a point of the canvas where nothing is (`at`, from
 * the canvas's corner); resolves once the node search opens there.
 */
async function dropConnection(page: Page, node: string, port: { type: 'source' | 'target'; name: string }, at: { x: number; y: number }) {
  const pane = (await page.locator('.flow').boundingBox())!;
  const dot = await centreOf(page, `.react-flow__node[data-id="${node}"] .react-flow__handle.${port.type}[data-handleid="${port.name}"]`);
  await dragMouse(page, dot, { x: pane.x + at.x, y: pane.y + at.y });
  const search = page.locator('[data-testid="node-search"]');
  await search.waitFor();
  return search;
}

/** The keys of a picker's choices, in the order shown. */
const choices = (picker: Locator, testId: string) => picker.locator(`[data-testid="${testId}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));

/** Every edge of a graph joins an output to an input whose types are compatible, as the system skills declare them. */
async function portTypesOf(page: Page, graph: WorkflowGraph): Promise<Array<[string, string]>> {
  const types: Array<[string, string]> = [];
  for (const e of graph.edges) {
    const out = await page.locator(`.react-flow__node[data-id="${e.source}"] .react-flow__handle.source[data-handleid="${e.sourceHandle}"]`).getAttribute('title');
    const inp = await page.locator(`.react-flow__node[data-id="${e.target}"] .react-flow__handle.target[data-handleid="${e.targetHandle}"]`).getAttribute('title');
    types.push([/\((\w+)/.exec(out ?? '')?.[1] ?? '', /\((\w+)/.exec(inp ?? '')?.[1] ?? '']);
  }
  return types;
}

describe('node search', () => {
  it('an empty canvas says how to add a node; a double-click opens the search there and a filter finds the skill', async () => {
    const { context, page, errors } = await app.openWorkflow('search-dblclick');
    await page.locator('[data-testid="canvas-empty-hint"]').waitFor();
    expect(await page.locator('[data-testid="canvas-empty-hint"]').textContent()).toContain('press / to search skills');
    expect(await page.locator('.react-flow__pane').getAttribute('title')).toBe('Double-click the canvas or press / to search skills and add a node.');
    await shot(page, 'canvas-empty-hint');

    const pane = (await page.locator('.flow').boundingBox())!;
    const at = { x: pane.x + 260, y: pane.y + 180 };
    await page.mouse.dblclick(at.x, at.y);
    const search = page.locator('[data-testid="node-search"]');
    await search.waitFor();
    // An empty query lists every runnable and compound skill; the system's are all one or the other.
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').count()) === SYSTEM_SKILLS, 'every runnable and compound skill listed');
    await page.keyboard.type('divider type:ngspice');
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').count()) === 1, 'the filter to leave one skill');
    expect(await search.locator('[data-testid="node-search-item"]').getAttribute('data-key')).toBe('spice-resistor');
    await shot(page, 'canvas-search-filter');
    await page.keyboard.press('Enter');

    await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the node to be added');
    expect(await search.count()).toBe(0);
    // The node's corner is where the double-click was.
    const box = (await visibleNodes(page).first().boundingBox())!;
    expect(Math.abs(box.x - at.x)).toBeLessThan(2);
    expect(Math.abs(box.y - at.y)).toBeLessThan(2);
    expect(await page.locator('[data-testid="canvas-empty-hint"]').count()).toBe(0);
    const script = await app.connect('user/default/workflow/search-dblclick');
    await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 1, 'the node to reach the server');
    expect(readWorkflowGraph(script.doc).nodes[0]).toMatchObject({ skillId: 'spice-resistor', label: 'SPICE Resistor Circuit' });

    // A bad filter says what to write; Escape closes without adding anything.
    await page.mouse.dblclick(pane.x + 600, pane.y + 400);
    await page.keyboard.type('in:arr');
    await expect(search.locator('[role="alert"]').textContent()).resolves.toBe(
      '"arr" is not a port type: write in: with one of number, integer, string, boolean, object, array, any.',
    );
    await page.keyboard.press('Escape');
    expect(await search.count()).toBe(0);
    expect(readWorkflowGraph(script.doc).nodes).toHaveLength(1);
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('a connection dropped in empty space adds a compatible node, connected; with several fitting ports it asks which', async () => {
    const { context, page, errors } = await app.openWorkflow('search-from-port');
    await dropSkill(page, 'quantum-hamiltonian', { x: 80, y: 120 });
    const ham = await nodeOf(page, 'quantum-hamiltonian');
    const search = await dropConnection(page, ham, { type: 'source', name: 'hamiltonian' }, { x: 520, y: 140 });
    expect(await search.getAttribute('aria-label')).toBe('Add a node that takes hamiltonian (object)');
    // Only skills with an input that takes an object: the VQE, the bar chart, the animation's
    // scene, and Export Results (any).
    expect((await choices(search, 'node-search-item')).sort()).toEqual(['export-results', 'plot-bars', 'quantum-vqe', 'threejs-animation']);
    await page.keyboard.type('variational');
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').count()) === 1, 'the VQE alone');
    await page.keyboard.press('Enter');

    const script = await app.connect('user/default/workflow/search-from-port');
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 1, 'the new node’s edge to reach the server');
    const graph = readWorkflowGraph(script.doc);
    const vqe = graph.nodes.find((n) => n.skillId === 'quantum-vqe');
    expect(graph.edges[0]).toMatchObject({ source: ham, sourceHandle: 'hamiltonian', target: vqe?.id, targetHandle: 'hamiltonian' });
    await waitFor(async () => (await page.locator('.react-flow__edge').count()) === 1, 'the edge drawn');
    const [[from, to]] = (await portTypesOf(page, graph)) as [[string, string]];
    expect(portTypesCompatible(from as never, to as never)).toBe(true);
    expect([from, to]).toEqual(['object', 'object']);

    // Export Results' `content` is a string; the plot has two string inputs, so it asks.
    await dropSkill(page, 'export-results', { x: 80, y: 420 });
    const exp = await nodeOf(page, 'export-results');
    await dropConnection(page, exp, { type: 'source', name: 'content' }, { x: 560, y: 460 });
    await page.keyboard.type('plot');
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').first().getAttribute('data-key')) === 'plot-convergence', 'the plot first');
    await page.keyboard.press('Enter');
    const ports = page.locator('[data-testid="node-search-port"]');
    await ports.waitFor();
    expect(await choices(ports, 'node-search-port-item')).toEqual(['title', 'y_label']);
    await shot(page, 'canvas-search-port-choice');
    // The keyboard chooses: the pointer, left where the drag ended, is moved off the list first.
    await page.mouse.move(1, 1);
    await page.keyboard.press('ArrowDown');
    await ports.locator('[data-testid="node-search-port-item"][data-key="y_label"][aria-selected="true"]').waitFor();
    await page.keyboard.press('Enter');
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 2, 'the second edge');
    const plot = readWorkflowGraph(script.doc).nodes.find((n) => n.skillId === 'plot-convergence');
    expect(readWorkflowGraph(script.doc).edges.find((e) => e.source === exp)).toMatchObject({ sourceHandle: 'content', target: plot?.id, targetHandle: 'y_label' });
    // One undo takes back the node and its edge together.
    await page.locator('[data-testid="undo"]').click();
    await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 3 && readWorkflowGraph(script.doc).edges.length === 1, 'the plot and its edge undone');
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('a connection dragged back from an input lists skills whose outputs feed it, and adds the node to its left', async () => {
    const { context, page, errors } = await app.openWorkflow('search-from-input');
    await dropSkill(page, 'plot-convergence', { x: 600, y: 120 });
    const plot = await nodeOf(page, 'plot-convergence');
    const search = await dropConnection(page, plot, { type: 'target', name: 'convergence_trace' }, { x: 420, y: 160 });
    expect(await search.getAttribute('aria-label')).toBe('Add a node that feeds convergence_trace (array)');
    // Skills with an array output (export-results has none: its `any` is an input), the compound
    // weather-summary-csv among them (its summary), and the WebGPU kernels (their buffers).
    expect((await choices(search, 'node-search-item')).sort()).toEqual([
      'gpu-heat',
      'gpu-matmul',
      'gpu-nbody',
      'plot-bars',
      'quantum-circuit',
      'quantum-vqe',
      'sample-weather-data',
      'spice-diode-iv',
      'spice-resistor',
      'table-group-summary',
      'weather-summary-csv',
    ]);
    await page.keyboard.type('vqe');
    await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').first().getAttribute('data-key')) === 'quantum-vqe', 'the VQE first');
    await page.keyboard.press('Enter');
    // The VQE has two array outputs: the person picks convergence_trace.
    const ports = page.locator('[data-testid="node-search-port"]');
    await ports.waitFor();
    expect(await choices(ports, 'node-search-port-item')).toEqual(['convergence_trace', 'optimal_parameters']);
    await page.keyboard.press('Enter');
    const script = await app.connect('user/default/workflow/search-from-input');
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 1, 'the edge on the server');
    const graph = readWorkflowGraph(script.doc);
    const vqe = graph.nodes.find((n) => n.skillId === 'quantum-vqe')!;
    expect(graph.edges[0]).toMatchObject({ source: vqe.id, sourceHandle: 'convergence_trace', target: plot, targetHandle: 'convergence_trace' });
    expect(vqe.position.x).toBeLessThan(graph.nodes.find((n) => n.id === plot)!.position.x);
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('a drag from a port’s name, released on another port’s name, connects them without moving the node', async () => {
    const { context, page, errors } = await app.openWorkflow('port-names');
    await dropSkill(page, 'quantum-hamiltonian', { x: 60, y: 120 });
    await dropSkill(page, 'quantum-vqe', { x: 500, y: 120 });
    const ham = await nodeOf(page, 'quantum-hamiltonian');
    const vqe = await nodeOf(page, 'quantum-vqe');
    const script = await app.connect('user/default/workflow/port-names');
    await waitFor(() => readWorkflowGraph(script.doc).nodes.length === 2, 'both nodes on the server');
    const before = readWorkflowGraph(script.doc).nodes.find((n) => n.id === ham)?.position;
    const from = await centreOf(page, `.react-flow__node[data-id="${ham}"] .port.output:has([data-handleid="hamiltonian"]) .port-name`);
    const to = await centreOf(page, `.react-flow__node[data-id="${vqe}"] .port.input:has([data-handleid="hamiltonian"]) .port-name`);
    await dragMouse(page, from, to);
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 1, 'the edge made by names');
    expect(readWorkflowGraph(script.doc).edges[0]).toMatchObject({ source: ham, sourceHandle: 'hamiltonian', target: vqe, targetHandle: 'hamiltonian' });
    expect(readWorkflowGraph(script.doc).nodes.find((n) => n.id === ham)?.position).toEqual(before);
    // A port's full name, type and default are in its tooltip, and the literal field still takes text.
    expect(await page.locator(`.react-flow__node[data-id="${vqe}"] .react-flow__handle.target[data-handleid="max_iterations"]`).getAttribute('title')).toMatch(/^max_iterations \(integer, default \d+\)/);
    const field = page.locator(`.react-flow__node[data-id="${vqe}"] [data-testid="literal-max_iterations"]`);
    await field.click();
    await field.fill('40');
    await waitFor(() => readWorkflowGraph(script.doc).nodes.find((n) => n.id === vqe)?.inputs.max_iterations === 40, 'the literal typed into a port row');
    script.destroy();
    errors.assertNone();
    await context.close();
  });
});

describe('keyboard', () => {
  it('search, add, select, connect and run without a mouse', async () => {
    const { context, page, errors } = await app.openWorkflow('keyboard-only');
    await page.locator('.react-flow__pane').waitFor();
    await page.locator('[data-testid="workflow-canvas"]').focus();
    const search = page.locator('[data-testid="node-search"]');
    for (const name of ['First', 'Second']) {
      await page.keyboard.press('/');
      await search.waitFor();
      await page.keyboard.type('export json csv');
      await waitFor(async () => (await search.locator('[data-testid="node-search-item"]').first().getAttribute('data-key')) === 'export-results', 'export first');
      await page.keyboard.press('Enter');
      await waitFor(async () => (await search.count()) === 0, 'the search to close');
      // The new node is selected (once React Flow has it): F2 renames it.
      await page.locator('.react-flow__node.selected .skill-node-title', { hasText: 'Export Results' }).waitFor();
      await page.keyboard.press('F2');
      await page.locator('[data-testid="node-rename"]:focus').waitFor();
      await page.keyboard.type(name);
      await page.keyboard.press('Enter');
    }
    // The first node's data is a literal, typed into its field; the canvas then takes the keys again.
    const data = page.locator('.react-flow__node').filter({ has: page.locator('[data-testid="node-title"]', { hasText: 'First' }) }).locator('[data-testid="literal-data"]');
    await data.focus();
    await page.keyboard.type('[1, 2, 3]');
    await page.locator('[data-testid="workflow-canvas"]').focus();
    expect(await data.inputValue()).toBe('[1,2,3]');
    const script = await app.connect('user/default/workflow/keyboard-only');
    await waitFor(() => readWorkflowGraph(script.doc).nodes.map((n) => n.label).sort().join() === 'First,Second', 'two renamed nodes');
    const byLabel = (label: string) => readWorkflowGraph(script.doc).nodes.find((n) => n.label === label)!;
    await waitFor(() => JSON.stringify(byLabel('First').inputs.data) === '[1,2,3]', 'the literal typed key by key');
    // The second was placed right of the first, not on top of it.
    expect(byLabel('Second').position.x).toBeGreaterThan(byLabel('First').position.x + 250);

    // Left selects the first node; C lists its outputs, then the inputs they may feed.
    await page.keyboard.press('ArrowLeft');
    await waitFor(async () => (await page.locator('.skill-node.selected [data-testid="node-title"]').textContent()) === 'First', 'the first node selected');
    await page.keyboard.press('c');
    const outputs = page.locator('[data-testid="connect-output"]');
    await outputs.waitFor();
    expect(await choices(outputs, 'connect-output-item')).toEqual(['content', 'filename', 'mime_type']);
    await page.keyboard.press('Enter');
    const inputs = page.locator('[data-testid="connect-input"]');
    await inputs.waitFor();
    // Only the other node's inputs: a node cannot feed itself.
    const second = byLabel('Second').id;
    expect((await choices(inputs, 'connect-input-item')).map((key) => key?.split('\u0000'))).toEqual([
      [second, 'data'],
      [second, 'format'],
      [second, 'filename'],
    ]);
    await shot(page, 'canvas-keyboard-connect');
    await page.keyboard.press('Enter');
    await waitFor(() => readWorkflowGraph(script.doc).edges.length === 1, 'the edge made from the keyboard');
    expect(readWorkflowGraph(script.doc).edges[0]).toMatchObject({ source: byLabel('First').id, sourceHandle: 'content', target: second, targetHandle: 'data' });

    // Shift+Enter runs the selected node only; Ctrl+Enter the whole workflow.
    const status = (label: string) =>
      page.locator('.react-flow__node').filter({ has: page.locator('[data-testid="node-title"]', { hasText: label }) }).locator('[data-testid="run-status"]');
    await page.keyboard.press('Shift+Enter');
    await waitFor(async () => (await status('First').getAttribute('data-status').catch(() => null)) === 'done', 'the first node run');
    expect(await status('Second').count()).toBe(0);
    await page.keyboard.press('Control+Enter');
    await waitFor(async () => (await status('Second').getAttribute('data-status').catch(() => null)) === 'done', 'the second node run');
    await expect(page.locator('[data-testid="run-summary"]').textContent()).resolves.toMatch(/^Done/);
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('an arrow key selects a node out of view and brings it into view', async () => {
    const script = await app.connect('user/default/workflow/arrow-reveal');
    script.doc.transact(() => {
      putNode(script.doc, { id: 'left', skillId: 'quantum-hamiltonian', label: 'Left', position: { x: 0, y: 0 }, inputs: {} });
      putNode(script.doc, { id: 'right', skillId: 'quantum-vqe', label: 'Right', position: { x: 2400, y: 0 }, inputs: {} });
    });
    const { context, page, errors } = await app.openWorkflow('arrow-reveal');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'both nodes');
    // Zoomed in on the left node, the right one is far off the canvas.
    await page.locator('.react-flow__node[data-id="left"] [data-testid="node-title"]').click();
    for (let i = 0; i < 4; i++) await page.locator('.react-flow__controls-zoomin').click();
    const flowBox = (await page.locator('.flow').boundingBox())!;
    const inView = async (id: string) => {
      const box = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
      return box !== null && box.x >= flowBox.x && box.x + box.width <= flowBox.x + flowBox.width;
    };
    await page.locator('[data-testid="workflow-canvas"]').focus();
    await waitFor(async () => !(await inView('right')), 'the right node out of view');
    await page.keyboard.press('ArrowRight');
    await waitFor(async () => (await page.locator('.skill-node.selected').getAttribute('data-skill')) === 'quantum-vqe', 'the right node selected');
    await waitFor(() => inView('right'), 'the right node brought into view');
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('renames a node by double-clicking its title; Escape cancels, and undo takes a rename back', async () => {
    const { context, page, errors } = await app.openWorkflow('rename');
    await dropSkill(page, 'quantum-circuit', { x: 150, y: 150 });
    const title = page.locator('[data-testid="node-title"]');
    await title.waitFor();
    await title.dblclick();
    const field = page.locator('[data-testid="node-rename"]');
    await field.fill('Bell pair');
    await field.press('Escape');
    await expect(title.textContent()).resolves.toBe('Circuit Builder');
    await title.dblclick();
    await field.fill('Bell pair');
    await field.press('Enter');
    const script = await app.connect('user/default/workflow/rename');
    await waitFor(() => readWorkflowGraph(script.doc).nodes[0]?.label === 'Bell pair', 'the new label on the server');
    await expect(title.textContent()).resolves.toBe('Bell pair');
    await shot(page, 'canvas-renamed');
    // The canvas has the keyboard back after a rename: Ctrl+Z takes it back.
    await page.keyboard.press('Control+z');
    await waitFor(() => readWorkflowGraph(script.doc).nodes[0]?.label === 'Circuit Builder', 'the rename undone');
    script.destroy();
    errors.assertNone();
    await context.close();
  });

  it('? lists every canvas shortcut, the notes’ and the editor’s too; so does the toolbar’s button', async () => {
    const { context, page, errors } = await app.openWorkflow('shortcuts');
    await page.locator('[data-testid="workflow-canvas"]').focus();
    await page.keyboard.press('?');
    const dialog = page.locator('[data-testid="shortcuts"]');
    await dialog.waitFor();
    const text = (await dialog.textContent()) ?? '';
    for (const said of ['Add a sticky note', 'Open its skill in the editor beside the canvas', 'Run the workflow', 'Rename the selected node', 'Search skills and add one']) {
      expect(text).toContain(said);
    }
    await shot(page, 'canvas-shortcuts');
    await page.keyboard.press('Escape');
    expect(await dialog.count()).toBe(0);
    await page.locator('[data-testid="shortcuts-button"]').click();
    await dialog.waitFor();
    await page.locator('[data-testid="shortcuts-close"]').click();
    expect(await dialog.count()).toBe(0);
    errors.assertNone();
    await context.close();
  });
});
