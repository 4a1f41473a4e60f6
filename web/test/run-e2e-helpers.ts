// Helpers for the run-*.e2e tests: find nodes by skill, read and await their run states.
import type { Locator, Page } from 'playwright-core';
import { putSkillSource } from '../../shared/src/documents/volume-index';
import { connectSynced, waitFor } from './harness';

/** A node on the canvas by id. */
export const nodeById = (page: Page, id: string): Locator => page.locator(`.react-flow__node[data-id="${id}"]`);

/** The ids of the canvas's nodes, by skill id (one node per skill). */
export async function nodesBySkill(page: Page): Promise<Record<string, string>> {
  const list = await page.locator('.react-flow__node').evaluateAll((els) =>
    els.map((e) => [e.querySelector('[data-skill]')?.getAttribute('data-skill') ?? '', e.getAttribute('data-id') ?? ''] as const),
  );
  return Object.fromEntries(list);
}

/** Waits until `count` nodes show their ports (the skill parser has loaded). */
export async function waitForNodes(page: Page, count: number): Promise<Record<string, string>> {
  await waitFor(async () => (await page.locator('.react-flow__node .run-bar').count()) === count, `${count} nodes with their run bars`);
  return nodesBySkill(page);
}

/** A node's run state badge (`data-status`), or null before it ran. */
export const statusOf = (page: Page, id: string): Promise<string | null> =>
  nodeById(page, id).locator('[data-testid="run-status"]').getAttribute('data-status', { timeout: 1000 }).catch(() => null);

/** Waits for a node to reach a state. */
export async function waitForStatus(page: Page, id: string, status: string, timeout = 60_000): Promise<void> {
  await nodeById(page, id).locator(`[data-testid="run-status"][data-status="${status}"]`).waitFor({ timeout });
}

/** The results dock while it shows a node's results. */
export const dockFor = (page: Page, id: string): Locator => page.locator(`[data-testid="results-dock"][data-node="${id}"]`);

/** Shows a node's results in the dock (selecting the node unless the dock shows it already) and returns its panel. */
export async function openResult(page: Page, id: string): Promise<Locator> {
  const dock = dockFor(page, id);
  if ((await dock.count()) === 0) await nodeById(page, id).locator('.skill-node-title').click();
  const panel = dock.locator('[data-testid="result-panel"]');
  await panel.waitFor();
  return panel;
}

/** Fails unless no result panel's box overlaps any node's box on the page. */
export async function assertResultsCoverNoNode(page: Page): Promise<void> {
  const boxes = async (selector: string) => (await page.locator(selector).evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect)));
  const panels = await boxes('[data-testid="result-panel"]');
  const nodes = await boxes('[data-testid="skill-node"]');
  if (panels.length === 0) throw new Error('no result panel on the page');
  const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  for (const panel of panels) for (const node of nodes) if (overlap(panel, node)) throw new Error(`a result panel ${JSON.stringify(panel)} covers a node ${JSON.stringify(node)}`);
}

/** The number an output shows in a result panel. */
export async function numberOutput(panel: Locator, name: string): Promise<number> {
  return Number(await panel.locator(`[data-output="${name}"] [data-testid="output-number"]`).textContent());
}

/** Adds a skill to the user's volume, as the skill editor would save it. */
export async function addUserSkill(serverUrl: string, skillId: string, markdown: string): Promise<void> {
  const index = await connectSynced(serverUrl, 'user/default');
  putSkillSource(index.doc, skillId, markdown);
  await new Promise((r) => setTimeout(r, 300));
  index.destroy();
}

type Ports = Array<{ name: string; type: string; default?: number | string | boolean }>;

/** A minimal JavaScript skill file (with `inputs`, when given). */
export const javascriptSkill = (skillId: string, code: string, outputs?: Ports, inputs?: Ports): string => skillFile('javascript', skillId, code, outputs, inputs);

/** A minimal Python skill file. */
export const pythonSkill = (skillId: string, code: string, outputs?: Ports): string => skillFile('python', skillId, code, outputs);

function skillFile(language: 'javascript' | 'python', skillId: string, code: string, outputs: Ports = [{ name: 'result', type: 'any' }], inputs: Ports = []): string {
  return [
    '---',
    `name: ${skillId}`,
    `skill_id: ${skillId}`,
    `type: ${language}`,
    ...(inputs.length > 0 ? ['inputs:', ...inputs.flatMap((i) => [`  - name: ${i.name}`, `    type: ${i.type}`, ...(i.default === undefined ? [] : [`    default: ${JSON.stringify(i.default)}`])])] : []),
    'outputs:',
    ...outputs.flatMap((o) => [`  - name: ${o.name}`, `    type: ${o.type}`]),
    '---',
    '',
    `# ${skillId}`,
    '',
    '## Code',
    '',
    `\`\`\`${language}`,
    code,
    '```',
    '',
  ].join('\n');
}

/** Share of a PNG's pixels that differ clearly from its most common colour (the background). */
export async function foregroundShare(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    const counts = new Map<number, number>();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const [br, bg, bb] = [background >> 16, (background >> 8) & 255, background & 255];
    let different = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i]! - br) + Math.abs(data[i + 1]! - bg) + Math.abs(data[i + 2]! - bb) > 30) different++;
    }
    return different / (data.length / 4);
  }, png.toString('base64'));
}
