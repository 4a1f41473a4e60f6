// The WebGPU system skills dropped on a canvas and run as they are, in the app's WebGPU runtime (its
// worker, in Chromium with --enable-unsafe-webgpu: SwiftShader): each node runs on the GPU, says so,
// and its outputs (read from the run store the app keeps them in) equal the CPU references of
// shared/test/gpu-references.ts within 1e-5 relative; the heat field is drawn as a heatmap.
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { heatReference, matmulA, matmulB, matmulReference, nbodyReference, relativeError } from '../../shared/test/gpu-references';
import { useApp, waitFor } from './harness';
import { dropSkill } from './harness/canvas';
import { nodeById, openResult, waitForNodes, waitForStatus } from './run-e2e-helpers';

const app = useApp({}, { webgpu: true });
const shot = (page: Page, name: string) => (process.env.E2E_SCREENSHOTS ? page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${name}.png` }) : undefined);

/** A node's last outputs as the app saved them (IndexedDB `llmunix-runs`, store `nodes`), once there. */
async function savedOutputs(page: Page, nodeId: string): Promise<Record<string, unknown>> {
  let outputs: Record<string, unknown> | null = null;
  await waitFor(async () => {
    outputs = await page.evaluate(
      (id) =>
        new Promise<Record<string, unknown> | null>((resolve, reject) => {
          const open = indexedDB.open('llmunix-runs');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const store = open.result.transaction('nodes').objectStore('nodes');
            const all = store.getAll();
            const keys = store.getAllKeys();
            all.onsuccess = () => {
              keys.onsuccess = () => {
                const at = (keys.result as string[]).findIndex((k) => k.endsWith(`\u0000${id}`));
                const saved = at >= 0 ? (all.result[at] as { state: { status: string; outputs?: Record<string, unknown> } }) : undefined;
                resolve(saved?.state.status === 'done' ? (saved.state.outputs ?? null) : null);
              };
            };
          };
        }),
      nodeId,
    );
    return outputs !== null;
  }, `the saved outputs of ${nodeId}`);
  return outputs!;
}

it('Matrix Multiply, Heat Diffusion and N-Body Step run on the GPU with their defaults and equal the CPU references', async () => {
  const { context, page, errors } = await app.openWorkflow('gpu-skills', { context: { viewport: { width: 1400, height: 900 } } });
  await dropSkill(page, 'gpu-matmul', { x: 60, y: 40 });
  await dropSkill(page, 'gpu-heat', { x: 380, y: 40 });
  await dropSkill(page, 'gpu-nbody', { x: 60, y: 420 });
  const ids = await waitForNodes(page, 3);
  await page.locator('[data-testid="run-workflow"]').click();
  for (const skill of ['gpu-matmul', 'gpu-heat', 'gpu-nbody']) {
    await waitForStatus(page, ids[skill]!, 'done', 90_000);
    await expect(nodeById(page, ids[skill]!).locator('[data-testid="run-device"]').getAttribute('data-device')).resolves.toBe('gpu');
  }

  const matmul = await savedOutputs(page, ids['gpu-matmul']!);
  expect(relativeError(matmul.c, matmulReference(matmulA(64), matmulB(64)))).toBeLessThan(1e-5);
  const heat = await savedOutputs(page, ids['gpu-heat']!);
  expect(relativeError(heat.field, heatReference({ size: 64, steps: 100, alpha: 0.2, spot: { x: 0.35, y: 0.4, radius: 0.12, temperature: 100 } }))).toBeLessThan(1e-5);
  const nbody = await savedOutputs(page, ids['gpu-nbody']!);
  const reference = nbodyReference({ count: 512, steps: 10, dt: 0.005, softening: 0.05 });
  expect(relativeError(nbody.positions, reference.positions)).toBeLessThan(1e-5);
  expect(relativeError(nbody.velocities, reference.velocities)).toBeLessThan(1e-5);

  const panel = await openResult(page, ids['gpu-heat']!);
  await panel.locator('[data-output="field"][data-kind="field"] [data-testid="heatmap-canvas"]').waitFor();
  await shot(page, 'gpu-skills-heat-on-gpu');
  errors.assertNone();
  await context.close();
});
