// The evolution engine in the app: a Python → JavaScript → Python chain run three times across two
// workflows is suggested in the skill library (support 3, both workflows named); a dismissed
// suggestion stays hidden, after a reload and on the person's other device; the assistant lists
// the suggestions; an accepted one is a compound skill that, dropped on a new canvas and run with
// the inputs of a flat run, gives the same outputs with its inner nodes served from the cache.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { listDismissedPatterns } from '../../shared/src/documents/volume-index';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import { CHAIN, chain, SKILLS_DIR, storeWorkflow } from './evolution-chain';
import { waitFor } from './harness';
import { useAppWithFakeChat } from './harness/fake-chat';
import { dropSkill } from './harness/canvas';
import { addUserSkill, nodeById, numberOutput, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';


const chat = useAppWithFakeChat();
const app = chat.app;

/** Offset → Half alone: with the chain's runs, a second suggestion (support 6) to dismiss. */
const tail = (y: number): WorkflowGraph => ({
  nodes: [
    { id: 'off', skillId: 'js-offset', label: 'Offset', position: { x: 0, y: 0 }, inputs: { y } },
    { id: 'half', skillId: 'py-half', label: 'Half', position: { x: 340, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'e1', source: 'off', sourceHandle: 'z', target: 'half', targetHandle: 'z' }],
});

beforeAll(async () => {
  for (const id of CHAIN) await addUserSkill(app.server.url, id, fs.readFileSync(path.join(SKILLS_DIR, `${id}.md`), 'utf8'));
  await storeWorkflow(app, 'sg-a', 'Squares A', chain(3));
  await storeWorkflow(app, 'sg-b', 'Squares B', chain(5));
  await storeWorkflow(app, 'sg-tail', 'Offsets', tail(1));
});

const screenshot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : Promise.resolve());

/** The traces in this page's run store (database llmunix-runs), oldest first. */
const storedTraces = (page: Page) =>
  page.evaluate(`new Promise((resolve, reject) => {
    const open = indexedDB.open('llmunix-runs');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('traces')) return resolve([]);
      const all = db.transaction('traces').objectStore('traces').index('startedAt').getAll();
      all.onsuccess = () => resolve(all.result);
    };
  })`) as Promise<Array<{ workflow: string; status: string; nodes: Array<{ id: string; skillId: string; status: string }> }>>;

/** Runs the open workflow and waits for its trace; the node ids by skill. */
async function runOpenWorkflow(page: Page, count: number, last: string): Promise<Record<string, string>> {
  const nodes = await waitForNodes(page, count);
  const before = (await storedTraces(page)).length;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitFor(async () => (await storedTraces(page)).length > before, 'the run’s trace', 120_000);
  expect((await storedTraces(page)).at(-1)?.status).toBe('done');
  await waitForStatus(page, nodes[last]!, 'done');
  return nodes;
}

const suggestionFor = (page: Page, first: string) => page.locator('[data-testid="suggestion"]', { has: page.locator(`[data-testid="suggestion-graph-node"][data-skill-id="${first}"]`) });
const chainSuggestion = (page: Page) => suggestionFor(page, 'py-square');
const tailSuggestion = (page: Page) => page.locator('[data-testid="suggestion"]').filter({ hasNot: page.locator('[data-testid="suggestion-graph-node"][data-skill-id="py-square"]') });

let flat: { w: number };
let device: Page;
let session: string;

it('three runs of the chain in two workflows are suggested, with their evidence, graph and ports', async () => {
  // The session opened last is where canvas runs leave their traces (for the person's other devices).
  const created = await fetch(`${app.server.url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Ideas"}' });
  session = ((await created.json()) as { id: string }).id;
  ({ page: device } = await app.openPage(`/#/session/user/default/${session}`));
  const page = device;
  await page.locator('[data-testid="chat-input"]').waitFor();
  await page.goto('/#/workflow/user/default/sg-a');
  await page.locator('[data-testid="tab-skills"]').click();
  await runOpenWorkflow(page, 3, 'py-half');
  // A second run of the same workflow with another input.
  const x = nodeById(page, (await waitForNodes(page, 3))['py-square']!).locator('[data-testid="literal-x"]');
  await x.fill('4');
  await runOpenWorkflow(page, 3, 'py-half');
  await page.goto('/#/workflow/user/default/sg-b');
  const b = await runOpenWorkflow(page, 3, 'py-half');
  flat = { w: await numberOutput(await openResult(page, b['py-half']!), 'w') };
  expect(flat.w).toBe(17.5);
  await page.goto('/#/workflow/user/default/sg-tail');
  for (const y of [1, 2, 3]) {
    const nodes = await waitForNodes(page, 2);
    await nodeById(page, nodes['js-offset']!).locator('[data-testid="literal-y"]').fill(String(y));
    await runOpenWorkflow(page, 2, 'py-half');
  }

  await page.locator('[data-testid="tab-skills"]').click();
  const suggestion = chainSuggestion(page);
  await suggestion.waitFor({ timeout: 30_000 });
  expect(await suggestion.locator('[data-testid="suggestion-title"]').textContent()).toBe('Square → Offset → Half');
  expect(await suggestion.locator('[data-testid="suggestion-support"]').textContent()).toBe('3');
  expect(await suggestion.locator('[data-testid="suggestion-workflow"]').allTextContents()).toEqual(['Squares A', 'Squares B']);
  expect(await suggestion.locator('[data-testid="suggestion-evidence"]').textContent()).toMatch(/last today/);
  expect(await suggestion.locator('[data-testid="suggestion-graph-node"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-skill-id')))).toEqual(CHAIN);
  expect(await suggestion.locator('[data-testid="suggestion-graph-edge"]').count()).toBe(2);
  expect(await suggestion.locator('.port-chip').allTextContents()).toEqual(['x: number', 'offset: number', 'w: number', 'whole: boolean']);
  // Offset → Half also ran alone: 6 runs in all, in the three workflows.
  const other = tailSuggestion(page);
  expect(await other.locator('[data-testid="suggestion-support"]').textContent()).toBe('6');
  expect(await other.locator('[data-testid="suggestion-workflow"]').allTextContents()).toEqual(['Offsets', 'Squares A', 'Squares B']);
  await screenshot(page, 'suggestions');
});

it('the assistant lists the suggestions when asked what could be a skill', async () => {
  const page = device;
  await page.goto(`/#/session/user/default/${session}`);
  let listed: { suggestions: Array<{ name: string; skills: string[]; support: number; workflows: string[]; inputs: string[]; outputs: string[] }> } | undefined;
  chat.fake.reply({ kind: 'stream', blocks: [{ type: 'tool_use', id: 's1', name: 'list_skill_suggestions', input: {} }] }, (body) => {
    const messages = body.messages as Array<{ content: unknown }>;
    const result = messages.flatMap((m) => (Array.isArray(m.content) ? (m.content as Array<{ type: string; content?: string }>) : [])).find((b) => b.type === 'tool_result');
    listed = JSON.parse(result?.content ?? '{}') as typeof listed;
    return { kind: 'stream', blocks: [{ type: 'text', text: ['Square → Offset → Half could be one skill.'] }] };
  });
  await page.locator('[data-testid="chat-input"]').fill('What could be a skill?');
  await page.locator('[data-testid="chat-send"]').click();
  await page.locator('[data-testid="message-content"]', { hasText: 'could be one skill' }).waitFor({ timeout: 30_000 });
  expect(await page.locator('[data-testid="tool-call"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tool')))).toEqual(['list_skill_suggestions']);
  expect(listed?.suggestions.map((s) => [s.name, s.support])).toEqual([
    ['Offset → Half', 6],
    ['Square → Offset → Half', 3],
  ]);
  expect(listed?.suggestions[1]).toMatchObject({ skills: CHAIN, workflows: ['Squares A', 'Squares B'], inputs: ['x: number', 'offset: number'], outputs: ['w: number', 'whole: boolean'] });
});

it('a dismissed suggestion is not offered again: after a reload, and on the person’s other device', async () => {
  const page = device;
  await page.goto('/#/workflow/user/default/sg-a');
  await page.locator('[data-testid="tab-skills"]').click();
  await tailSuggestion(page).waitFor({ timeout: 30_000 });
  await tailSuggestion(page).locator('[data-testid="suggestion-dismiss"]').click();
  await waitFor(async () => (await tailSuggestion(page).count()) === 0, 'the dismissed suggestion to go');
  expect(await chainSuggestion(page).count()).toBe(1);

  // The dismissal is in the user's volume on the server.
  const index = await app.connect('user/default');
  await waitFor(() => listDismissedPatterns(index.doc).size === 1, 'the server to hold the dismissal');
  index.destroy();

  await page.reload();
  await page.locator('[data-testid="tab-skills"]').click();
  await page.locator('[data-testid="skill-suggestions"][data-phase="done"]').waitFor({ timeout: 30_000 });
  expect(await chainSuggestion(page).count()).toBe(1);
  expect(await tailSuggestion(page).count()).toBe(0);

  // Another device has none of these runs in its own store: they come from the session's traces,
  // and the dismissal followed.
  const { page: other } = await app.openWorkflow('sg-a');
  await other.locator('[data-testid="tab-skills"]').click();
  await chainSuggestion(other).waitFor({ timeout: 30_000 });
  expect(await chainSuggestion(other).locator('[data-testid="suggestion-support"]').textContent()).toBe('3');
  expect(await tailSuggestion(other).count()).toBe(0);
  await other.context().close();
});

it('an accepted suggestion is a compound skill that runs like the flat chain, from the cache', async () => {
  const page = device;
  const suggestion = chainSuggestion(page);
  await suggestion.locator('[data-testid="suggestion-accept-open"]').click();
  expect(await suggestion.locator('[data-testid="suggestion-name-input"]').inputValue()).toBe('Square → Offset → Half');
  // The server has an API key: the assistant names it, and the name can still be edited.
  chat.fake.reply({ kind: 'stream', blocks: [{ type: 'text', text: ['{"name": "Squared Offset Half", "description": "Squares x, adds an offset and halves it."}'] }] });
  await suggestion.locator('[data-testid="suggestion-ask-name"]').click();
  await waitFor(async () => (await suggestion.locator('[data-testid="suggestion-name-input"]').inputValue()) === 'Squared Offset Half', 'the assistant’s name');
  expect(await suggestion.locator('[data-testid="suggestion-description-input"]').inputValue()).toBe('Squares x, adds an offset and halves it.');
  await suggestion.locator('[data-testid="suggestion-name-input"]').fill('Square, offset, halve');
  const id = await suggestion.getAttribute('data-skill-id');
  await suggestion.locator('[data-testid="suggestion-save"]').click();
  await page.locator('[data-testid="suggestion-notice"]', { hasText: 'Saved “Square, offset, halve”' }).waitFor();

  const item = page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`);
  await item.waitFor();
  expect(await item.getAttribute('data-kind')).toBe('compound');
  expect(await item.locator('[data-testid="skill-link"]').textContent()).toBe('Square, offset, halve');
  expect(await item.locator('.skill-description').textContent()).toBe('Squares x, adds an offset and halves it.');
  await waitFor(async () => (await chainSuggestion(page).count()) === 0, 'the accepted suggestion to go');
  // Mined afresh with the new compound in the library, the chain is not offered again.
  await page.reload();
  await page.locator('[data-testid="tab-skills"]').click();
  await page.locator(`[data-testid="skill-item"][data-skill-id="${id}"]`).waitFor();
  await page.locator('[data-testid="skill-suggestions"][data-phase="done"]').waitFor({ timeout: 30_000 });
  expect(await page.locator('[data-testid="suggestions-none"]').textContent()).toMatch(/^Nothing to suggest from 6 successful runs/);
  expect(await chainSuggestion(page).count()).toBe(0);

  // On a new canvas, with the inputs of the flat run in "Squares B".
  await page.goto('/#/workflow/user/default/sg-compound');
  await page.locator('[data-testid="workflow-canvas"]').waitFor();
  await dropSkill(page, id!, { x: 120, y: 80 });
  const node = (await waitForNodes(page, 1))[id!]!;
  await nodeById(page, node).locator('[data-testid="literal-x"]').fill('5');
  const before = (await storedTraces(page)).length;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitFor(async () => (await storedTraces(page)).length > before, 'the compound run’s trace', 60_000);
  // Every inner node came from the cache, so the compound node did too.
  await waitForStatus(page, node, 'cached');
  expect(await numberOutput(await openResult(page, node), 'w')).toBe(flat.w);
  await screenshot(page, 'suggestion-compound-run');

  const trace = (await storedTraces(page)).filter((t) => t.workflow === 'user/default/workflow/sg-compound').at(-1)!;
  expect(trace.status).toBe('done');
  expect(trace.nodes.map((n) => [n.id, n.skillId, n.status])).toEqual([
    [`${node}/py-square`, 'py-square', 'cached'],
    [`${node}/js-offset`, 'js-offset', 'cached'],
    [`${node}/py-half`, 'py-half', 'cached'],
  ]);
  await page.context().close();
}, 180_000);
