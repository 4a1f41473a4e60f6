import type { Locator, Page } from 'playwright-core';

/** The drag type the skill library sets (web/src/canvas/workflow-canvas.tsx). */
const SKILL_DRAG_TYPE = 'application/x-llmunix-skill';

/** Nodes React Flow has measured and shows (it keeps new nodes hidden until then). */
export const visibleNodes = (page: Page) => page.locator('.react-flow__node:not([style*="visibility: hidden"])');

/**
 * Drops a skill onto the canvas at a point, as a drag from the library ends; `within` is the
 * canvas's container when the page has more than one (an open compound over its workflow).
 */
export async function dropSkill(page: Page, skillId: string, at: { x: number; y: number }, within: Page | Locator = page): Promise<void> {
  // React Flow mounts once the workflow's content has arrived (or is known to be empty).
  await within.locator('.react-flow__pane').waitFor();
  const pane = within.locator('.flow');
  const box = await pane.boundingBox();
  if (!box) throw new Error('the canvas is not on the page');
  const data = await page.evaluateHandle(
    ([type, id]) => {
      const dt = new DataTransfer();
      dt.setData(type, id);
      return dt;
    },
    [SKILL_DRAG_TYPE, skillId] as const,
  );
  const point = { clientX: box.x + at.x, clientY: box.y + at.y };
  await pane.dispatchEvent('dragover', { dataTransfer: data, ...point });
  await pane.dispatchEvent('drop', { dataTransfer: data, ...point });
}

/** Drags from one port handle to another, as a person connects two nodes. */
export async function connectPorts(
  page: Page,
  from: { node: string; output: string },
  to: { node: string; input: string },
): Promise<void> {
  const source = page.locator(`.react-flow__node[data-id="${from.node}"] .react-flow__handle.source[data-handleid="${from.output}"]`);
  const target = page.locator(`.react-flow__node[data-id="${to.node}"] .react-flow__handle.target[data-handleid="${to.input}"]`);
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error(`handle not found: ${from.node}.${from.output} or ${to.node}.${to.input}`);
  await dragMouse(page, { x: a.x + a.width / 2, y: a.y + a.height / 2 }, { x: b.x + b.width / 2, y: b.y + b.height / 2 });
}

/** Presses the mouse at one point of the page and releases it at another, moving as a hand does. */
export async function dragMouse(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** The middle of the first element a selector finds, in page coordinates. */
export async function centreOf(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on the page`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** The ids of the nodes on a page's canvas, in document order. */
export const nodeIds = (page: Page): Promise<string[]> =>
  page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
