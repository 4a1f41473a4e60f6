// The heat field of Heat Diffusion (GPU), dropped on a canvas and run as it is (here without
// WebGPU: its JavaScript fallback runs, and the node says so), is drawn in the results dock as a
// heatmap: a canvas of one pixel per cell in more than one colour, a colour bar from the field's
// min to its max, the field's size, and its numbers on request.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { heatReference } from '../../shared/test/gpu-references';
import { useApp } from './harness';
import { dropSkill } from './harness/canvas';
import { nodeById, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp();
const shot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : undefined);

it('Heat Diffusion (GPU) run with its defaults draws its field as a heatmap with a colour bar, its size and its numbers', async () => {
  const { context, page, errors } = await app.openWorkflow('heatmap', { context: { viewport: { width: 1400, height: 900 } } });
  await dropSkill(page, 'gpu-heat', { x: 80, y: 60 });
  const id = (await waitForNodes(page, 1))['gpu-heat']!;
  await page.locator('[data-testid="run-workflow"]').click();
  await waitForStatus(page, id, 'done', 60_000);
  await expect(nodeById(page, id).locator('[data-testid="run-device"]').getAttribute('data-device')).resolves.toBe('cpu');

  const panel = await openResult(page, id);
  const output = panel.locator('[data-output="field"][data-kind="field"]');
  const canvas = output.locator('[data-testid="heatmap-canvas"]');
  await canvas.waitFor();
  const drawn = await canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const colours = new Set<string>();
    let opaque = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 255) opaque++;
      colours.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
    }
    const box = c.getBoundingClientRect();
    return { width: c.width, height: c.height, opaque, colours: colours.size, shown: [Math.round(box.width), Math.round(box.height)] };
  });
  console.info(`heatmap: ${drawn.width}×${drawn.height} pixels, ${drawn.colours} colours, drawn at ${drawn.shown.join('×')} CSS px`);
  expect([drawn.width, drawn.height, drawn.opaque]).toEqual([64, 64, 64 * 64]);
  expect(drawn.colours).toBeGreaterThan(20);
  expect(drawn.shown[0]).toBeGreaterThan(64 * 3);

  const reference = heatReference({ size: 64, steps: 100, alpha: 0.2, spot: { x: 0.35, y: 0.4, radius: 0.12, temperature: 100 } }).flat();
  const fourDigits = (n: number) => String(Number(n.toPrecision(4)));
  await expect(output.locator('[data-testid="heatmap-max"]').textContent()).resolves.toBe(fourDigits(Math.max(...reference)));
  await expect(output.locator('[data-testid="heatmap-min"]').textContent()).resolves.toBe(fourDigits(Math.min(...reference)));
  await expect(output.locator('[data-testid="heatmap-size"]').textContent()).resolves.toBe('64 × 64');
  // The hottest cell is yellow, the coldest dark purple: the colour map's two ends are there.
  const ends = await canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    const pixels = new Set(Array.from({ length: data.length / 4 }, (_, i) => [data[4 * i]!, data[4 * i + 1]!, data[4 * i + 2]!].join(',')));
    return [pixels.has('68,1,84'), pixels.has('253,231,37')];
  });
  expect(ends).toEqual([true, true]);

  await shot(page, 'heatmap-gpu-heat');
  const numbers = output.locator('[data-testid="heatmap-numbers"]');
  await numbers.click();
  // One row to a line; the first row is the reference's, number for number.
  const lines = ((await output.locator('[data-testid="heatmap-json"]').textContent()) ?? '').split('\n');
  expect(lines[0]).toBe('[');
  const firstRow = JSON.parse(lines[1]!.replace(/,$/, '')) as number[];
  expect(firstRow).toHaveLength(64);
  firstRow.forEach((v, i) => expect(v).toBeCloseTo(reference[i]!, 9));
  await numbers.click();
  await output.locator('[data-testid="heatmap-json"]').waitFor({ state: 'detached' });
  errors.assertNone();
  await context.close();
});
