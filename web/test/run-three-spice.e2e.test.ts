// The Three.js and ngspice runtimes in Chromium: the Cube Renderer draws a visible cube into its
// node's live viewport (pixels read back from the screen), a skill in the original product's form
// (EXEC-10: execute(inputs) returning a scene description) has its description drawn there too,
// and the SPICE divider gives vin/2.
import { beforeAll, expect, it } from 'vitest';
import { ORIGINAL_FORM_ID, ORIGINAL_FORM_SKILL } from '../../shared/test/conformance/original-form';
import { useApp } from './harness';
import { dropSkill } from './harness/canvas';
import { addUserSkill, assertResultsCoverNoNode, dockFor, foregroundShare, nodeById, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

beforeAll(() => addUserSkill(app.server.url, ORIGINAL_FORM_ID, ORIGINAL_FORM_SKILL));

it('the Cube Renderer draws a shaded cube into its node’s viewport', async () => {
  const { context, page, errors } = await app.openWorkflow('run-cube');
  await dropSkill(page, 'threejs-cube', { x: 80, y: 60 });
  const cube = (await waitForNodes(page, 1))['threejs-cube']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, cube, 'done', 30_000);

  const viewport = dockFor(page, cube).locator('[data-testid="three-viewport"] canvas');
  await viewport.waitFor();
  const share = await foregroundShare(page, await viewport.screenshot());
  console.info(`cube covers ${(share * 100).toFixed(1)}% of the viewport`);
  expect(share).toBeGreaterThan(0.05);
  // The skill's outputs arrive too: twelve triangles.
  await expect(dockFor(page, cube).locator('[data-output="triangle_count"] [data-testid="output-number"]').textContent()).resolves.toBe('12');
  await assertResultsCoverNoNode(page);
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/run-cube.png` });
  errors.assertNone();
  await context.close();
});

it("EXEC-10: a skill in the original's form has its scene description drawn, and it turns", async () => {
  const { context, page, errors } = await app.openWorkflow('run-original-form');
  await dropSkill(page, ORIGINAL_FORM_ID, { x: 80, y: 60 });
  const box = (await waitForNodes(page, 1))[ORIGINAL_FORM_ID]!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, box, 'done', 30_000);

  const viewport = dockFor(page, box).locator('[data-testid="three-viewport"] canvas');
  await viewport.waitFor();
  const first = await viewport.screenshot();
  const share = await foregroundShare(page, first);
  console.info(`the described box covers ${(share * 100).toFixed(1)}% of the viewport`);
  expect(share).toBeGreaterThan(0.05);
  // The description's animation keeps turning the box: a later frame differs.
  await page.waitForTimeout(500);
  expect((await viewport.screenshot()).equals(first)).toBe(false);
  await expect(dockFor(page, box).locator('[data-output="frame"] [data-testid="output-number"]').textContent()).resolves.toBe('0');
  errors.assertNone();
  await context.close();
});

it('the SPICE divider runs in ngspice: v_out is vin·r2/(r1+r2) across the sweep, drawn as circuit vectors', async () => {
  const { context, page, errors } = await app.openWorkflow('run-spice');
  await dropSkill(page, 'spice-resistor', { x: 80, y: 60 });
  const spice = (await waitForNodes(page, 1))['spice-resistor']!;
  const r2 = nodeById(page, spice).locator('[data-testid="literal-r2"]');
  await r2.fill('3000');
  await r2.press('Enter');
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, spice, 'done', 60_000);
  await dockFor(page, spice).locator('[data-testid="circuit-plot"] [data-testid="line-plot"] canvas').waitFor();
  // Drawn against the swept voltage (V1 drives node in), the current on its own axis.
  await expect(dockFor(page, spice).locator('[data-testid="circuit-plot"]').getAttribute('data-x-label')).resolves.toBe('V1 sweep (V)');
  await expect(dockFor(page, spice).locator('[data-testid="circuit-plot"]').getAttribute('data-right-label')).resolves.toBe('current (A)');
  await assertResultsCoverNoNode(page);
  // The vectors themselves, from the page's result store.
  const vout = await page.evaluate(
    (id) =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('llmunix-runs');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('nodes').objectStore('nodes').get(`user/default/workflow/run-spice\u0000${id}`);
          get.onsuccess = () => resolve(get.result.state.outputs.v_out as number[]);
        };
      }),
    spice,
  );
  expect(vout).toHaveLength(11);
  expect(vout.at(-1)).toBeCloseTo(5 * 3000 / 4000, 9);
  errors.assertNone();
  await context.close();
});
