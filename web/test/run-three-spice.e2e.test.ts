// The Three.js and ngspice runtimes in Chromium: the Cube Renderer draws a visible cube into its
// node's live viewport (pixels read back from the screen), and the SPICE divider gives vin/2.
import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useApp } from './harness';
import { dropSkill } from './harness/canvas';
import { nodeById, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();

/** Share of a PNG's pixels that differ clearly from its most common colour (the background). */
async function foregroundShare(page: Page, png: Buffer): Promise<number> {
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

it('the Cube Renderer draws a shaded cube into its node’s viewport', async () => {
  const { context, page, errors } = await app.openWorkflow('run-cube');
  await dropSkill(page, 'threejs-cube', { x: 80, y: 60 });
  const cube = (await waitForNodes(page, 1))['threejs-cube']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, cube, 'done', 30_000);

  const viewport = nodeById(page, cube).locator('[data-testid="three-viewport"] canvas');
  await viewport.waitFor();
  const share = await foregroundShare(page, await viewport.screenshot());
  console.info(`cube covers ${(share * 100).toFixed(1)}% of the viewport`);
  expect(share).toBeGreaterThan(0.05);
  // The skill's outputs arrive too: twelve triangles.
  await expect(nodeById(page, cube).locator('[data-output="triangle_count"] [data-testid="output-number"]').textContent()).resolves.toBe('12');
  if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/run-cube.png` });
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
  await nodeById(page, spice).locator('[data-testid="circuit-plot"] [data-testid="line-plot"] canvas').waitFor();
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
