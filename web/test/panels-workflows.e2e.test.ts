// The workflows panel in Chromium against the real server: create, rename, duplicate, delete (to
// the trash), and an export → import round trip, each checked in the server's copy of the documents.
import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { trashEntryOf } from '../../shared/src/documents/trash';
import { listWorkflows } from '../../shared/src/documents/volume-index';
import { readWorkflowGraph, readWorkflowMeta, writeWorkflowGraph, type WorkflowGraph } from '../../shared/src/documents/workflow';
import { parseWorkflowFile, WORKFLOW_FORMAT_VERSION } from '../../shared/src/workflow/file';
import { useApp, waitFor, type TestClient } from './harness';
import { visibleNodes } from './harness/canvas';

const app = useApp();
let index: TestClient;

beforeAll(async () => {
  index = await app.connect('user/default');
});

const room = (id: string): Promise<TestClient> => app.connect(`user/default/workflow/${id}`);

const item = (page: Page, name: string) => page.locator('[data-testid="workflow-item"]').filter({ has: page.locator(`[data-testid="workflow-link"]:text-is("${name}")`) });
const currentId = (page: Page) => page.evaluate(() => location.hash.split('/').pop() ?? '');
const listed = (name: string) => listWorkflows(index.doc).find((l) => l.name === name);

async function create(page: Page, name: string): Promise<string> {
  const before = await currentId(page);
  await page.locator('[data-testid="new-workflow-name"]').fill(name);
  await page.locator('[data-testid="new-workflow"]').click();
  await waitFor(async () => (await currentId(page)) !== before, `the new workflow "${name}" to open`);
  await item(page, name).waitFor();
  return currentId(page);
}

/** A two-node graph, as another client (a script, another device) writes it. */
const GRAPH: WorkflowGraph = {
  nodes: [
    { id: 'ham', skillId: 'quantum-hamiltonian', label: 'Hamiltonian', position: { x: 0, y: 0 }, inputs: { bond_length: 0.74 } },
    { id: 'vqe', skillId: 'quantum-vqe', label: 'VQE', position: { x: 320, y: 0 }, inputs: { max_iterations: 40 } },
  ],
  edges: [{ id: 'ham-vqe', source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' }],
};

/** A graph with its ids replaced by their node's skill, so copies with fresh ids compare equal. */
function shape(graph: WorkflowGraph) {
  const skillOf = new Map(graph.nodes.map((n) => [n.id, n.skillId]));
  return {
    nodes: graph.nodes.map(({ id: _id, ...rest }) => rest).sort((a, b) => a.skillId.localeCompare(b.skillId)),
    edges: graph.edges.map((e) => ({ ...e, id: '', source: skillOf.get(e.source), target: skillOf.get(e.target) })),
  };
}

describe('workflows panel', () => {
  it('creates, renames, duplicates (fresh ids) and deletes workflows; the server sees each step', async () => {
    const { context, page, errors } = await app.openPage('/');
    await page.locator('[data-testid="workflows-empty"]').waitFor();

    const id = await create(page, 'H2 study');
    await waitFor(async () => (await page.locator('[data-testid="workflow-name"]').textContent()) === 'H2 study', 'the canvas title');
    await waitFor(() => listed('H2 study')?.id === id, 'the listing to reach the server');
    const original = await room(id);
    await waitFor(() => readWorkflowMeta(original.doc).name === 'H2 study', 'the room meta to reach the server');
    original.doc.transact(() => writeWorkflowGraph(original.doc, GRAPH));
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the nodes written elsewhere to show');

    // Rename: the listing and the room's meta change together.
    await item(page, 'H2 study').locator('[data-testid="rename-workflow"]').click();
    await page.locator('[data-testid="workflow-name-input"]').fill('H2 ground state');
    await page.locator('[data-testid="workflow-name-input"]').press('Enter');
    await item(page, 'H2 ground state').waitFor();
    await waitFor(() => readWorkflowMeta(original.doc).name === 'H2 ground state' && listed('H2 ground state')?.id === id, 'the rename on the server');
    await waitFor(async () => (await page.locator('[data-testid="workflow-name"]').textContent()) === 'H2 ground state', 'the canvas title');

    // Newest first.
    await create(page, 'Second');
    expect(await page.locator('[data-testid="workflow-link"]').allTextContents()).toEqual(['Second', 'H2 ground state']);

    // Duplicate: same nodes and edges under fresh ids, in a new room.
    await item(page, 'H2 ground state').locator('[data-testid="duplicate-workflow"]').click();
    await item(page, 'H2 ground state (copy)').waitFor();
    await waitFor(async () => (await currentId(page)) === listed('H2 ground state (copy)')?.id, 'the copy to open');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the copy’s nodes');
    const copy = await room(await currentId(page));
    await waitFor(() => readWorkflowGraph(copy.doc).edges.length === 1, 'the copy on the server');
    const copied = readWorkflowGraph(copy.doc);
    expect(shape(copied)).toEqual(shape(GRAPH));
    const oldIds = new Set([...GRAPH.nodes, ...GRAPH.edges].map((x) => x.id));
    for (const x of [...copied.nodes, ...copied.edges]) expect(oldIds.has(x.id)).toBe(false);
    expect(readWorkflowGraph(original.doc).nodes.map((n) => n.id).sort()).toEqual(['ham', 'vqe']);

    // Delete the original: its listing moves to the trash, named, and its room keeps its nodes and
    // edges for a restore; the copy stays whole.
    await item(page, 'H2 ground state').locator('[data-testid="delete-workflow"]').click();
    await item(page, 'H2 ground state').locator('[data-testid="delete-workflow-confirm"]').click();
    await item(page, 'H2 ground state').waitFor({ state: 'detached' });
    await waitFor(() => listed('H2 ground state') === undefined && trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', id) !== undefined, 'the move to the trash on the server');
    expect(trashEntryOf(index.doc, { volume: 'user', volumeId: 'default' }, 'workflow', id)?.name).toBe('H2 ground state');
    expect(readWorkflowGraph(original.doc).nodes.map((n) => n.id).sort()).toEqual(['ham', 'vqe']);
    expect(readWorkflowGraph(original.doc).edges).toHaveLength(1);
    expect(readWorkflowGraph(copy.doc).nodes).toHaveLength(2);
    expect(await page.locator('[data-testid="workflow-link"]').allTextContents()).toEqual(['H2 ground state (copy)', 'Second']);
    errors.assertNone();
    await context.close();
  });

  it('exports a workflow file and imports it back as a new workflow; a bad file writes nothing', async () => {
    const { context, page, errors } = await app.openPage('/', { context: { acceptDownloads: true } });
    const id = await create(page, 'Round trip: v1/2');
    const source = await room(id);
    source.doc.transact(() => writeWorkflowGraph(source.doc, GRAPH));
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the nodes to reach the page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      item(page, 'Round trip: v1/2').locator('[data-testid="export-workflow"]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('Round trip- v1-2.llmunix-workflow.json');
    const text = await fs.readFile(await download.path(), 'utf8');
    const file = parseWorkflowFile(text);
    if (!file.ok) throw new Error(file.error.join('\n'));
    expect(file.value).toMatchObject({ format: 'llmunix-workflow', version: WORKFLOW_FORMAT_VERSION, name: 'Round trip: v1/2' });
    expect(shape(file.value)).toEqual(shape(GRAPH));

    // A broken file: the errors are shown where the import was asked for, and nothing is created.
    const count = listWorkflows(index.doc).length;
    const broken = JSON.stringify({ ...JSON.parse(text), nodes: [{ id: 'bad id!', skillId: 'x', position: { x: 0 } }] });
    await page.locator('[data-testid="import-workflow"]').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(broken) });
    const problem = page.locator('[data-testid="import-errors"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('broken.json was not imported');
    expect(await problem.textContent()).toContain('nodes.0.id');
    await page.locator('[data-testid="import-workflow"]').setInputFiles({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"hello": 1}') });
    await waitFor(async () => (await problem.textContent())?.includes('not an llmunix-workflow file') ?? false, 'the format error');
    expect(listWorkflows(index.doc)).toHaveLength(count);
    expect(await page.locator('[data-testid="workflow-item"]').count()).toBe(count);

    // The exported file imports as a new workflow with the same graph under new ids.
    await page.locator('[data-testid="import-workflow"]').setInputFiles({ name: download.suggestedFilename(), mimeType: 'application/json', buffer: Buffer.from(text) });
    await waitFor(() => listWorkflows(index.doc).length === count + 1, 'the import on the server');
    await problem.waitFor({ state: 'detached' });
    const imported = listWorkflows(index.doc).find((l) => l.id !== id && l.name === 'Round trip: v1/2');
    expect(imported).toBeDefined();
    await waitFor(async () => (await currentId(page)) === imported!.id, 'the import to open');
    await waitFor(async () => (await visibleNodes(page).count()) === 2, 'the imported nodes');
    const copy = await room(imported!.id);
    await waitFor(() => readWorkflowGraph(copy.doc).edges.length === 1, 'the imported graph on the server');
    expect(shape(readWorkflowGraph(copy.doc))).toEqual(shape(GRAPH));
    expect(readWorkflowGraph(copy.doc).nodes.map((n) => n.id)).not.toContain('ham');
    errors.assertNone();
    await context.close();
  });

  it('drags a skill from the library onto the canvas', async () => {
    const { context, page, errors } = await app.openPage('/');
    const id = await create(page, 'Dragged into');
    await page.locator('[data-testid="tab-skills"]').click();
    const card = page.locator('[data-testid="skill-item"][data-skill-id="quantum-vqe"]');
    await card.waitFor();
    expect(await card.getAttribute('draggable')).toBe('true');
    await card.dragTo(page.locator('.flow'), { targetPosition: { x: 200, y: 150 } });
    await waitFor(async () => (await visibleNodes(page).count()) === 1, 'the dropped node');
    const target = await room(id);
    await waitFor(() => readWorkflowGraph(target.doc).nodes[0]?.skillId === 'quantum-vqe', 'the node on the server');
    errors.assertNone();
    await context.close();
  });
});
