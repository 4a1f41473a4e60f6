/*
 * EXEC-14 headless: Node has no WebGPU adapter here, so a webgpu skill's `## Fallback` runs in
 * the JavaScript sandbox, the node says it ran on the CPU and why (in its state, its cached
 * result and `npm run workflow`'s log), flat outputs come back as rows by their `shape`, the
 * fallback's errors point at the file's own lines, and a skill without a fallback fails saying
 * how to get WebGPU.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, runWorkflowFile } from '../../src/headless/run-file';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { FIXTURES, lineOf } from './helpers';

const SKILLS = path.join(FIXTURES, 'webgpu-skills');
const runtimes = nodeRuntimes({ javascriptWorkers: 1 });
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-webgpu-'));
});
afterAll(async () => {
  await runtimes.close();
  await fs.rm(dir, { recursive: true, force: true });
});

async function run(nodes: Array<{ id: string; skillId: string; inputs?: Record<string, unknown> }>, cacheDir?: string) {
  const file = path.join(dir, `${nodes.map((n) => n.id).join('-')}.workflow.json`);
  const workflow = { format: 'llmunix-workflow', version: 1, name: 'gpu', nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, inputs: {}, ...n })), edges: [] };
  await fs.writeFile(file, JSON.stringify(workflow));
  const log: string[] = [];
  const result = await runWorkflowFile({ file, skillsDir: SKILLS, runtimes, log: (line) => log.push(line), ...(cacheDir ? { cacheDir } : {}) });
  return { ...result, log };
}

describe('webgpu skills headless', () => {
  it('run their fallback on the CPU and say so, in the node and in the log; the cached result says it too', async () => {
    const cache = path.join(dir, 'cache');
    const first = await run([{ id: 'add', skillId: 'gpu-vector-add', inputs: { a: [1, 2], b: [3, 4], scale: 2 } }], cache);
    expect(first.exitCode, first.log.join('\n')).toBe(EXIT.done);
    expect(first.nodes.add).toEqual({ status: 'done', outputs: { c: [8, 12] }, device: { kind: 'cpu', reason: 'no WebGPU in Node here' } });
    expect(first.log.some((l) => /\] add ran on the CPU: no WebGPU in Node here$/.test(l))).toBe(true);
    const second = await run([{ id: 'add', skillId: 'gpu-vector-add', inputs: { a: [1, 2], b: [3, 4], scale: 2 } }], cache);
    expect(second.nodes.add).toEqual({ status: 'cached', outputs: { c: [8, 12] }, device: { kind: 'cpu', reason: 'no WebGPU in Node here' } });
    expect(second.log.some((l) => /\] add ran on the CPU: no WebGPU in Node here$/.test(l))).toBe(true);
  });

  it('shape a flat fallback output as rows', async () => {
    const r = await run([{ id: 'outer', skillId: 'gpu-outer' }]);
    expect(r.nodes.outer?.outputs).toEqual({ m: [[10, 20], [20, 40], [30, 60]] });
  });

  it("point a fallback's error at its line in the skill's file", async () => {
    const r = await run([{ id: 'outer', skillId: 'gpu-outer', inputs: { x: [1, 2, 3, 4] } }]);
    expect(r.exitCode).toBe(EXIT.failed);
    const line = lineOf('sync-server/test/headless/fixtures/webgpu-skills/outer-product.md', 'too long for this fallback');
    expect(r.nodes.outer?.error).toMatch(/too long for this fallback/);
    expect(r.nodes.outer?.error).toContain(`outer-product.md:${line}`);
  });

  it('fail without a fallback, saying what WebGPU needs and that a fallback would run here', async () => {
    const r = await run([{ id: 'bare', skillId: 'gpu-vector-add-bare' }]);
    expect(r.exitCode).toBe(EXIT.failed);
    expect(r.nodes.bare?.status).toBe('error');
    expect(r.nodes.bare?.error).toBe(
      'this webgpu skill cannot run here (no WebGPU in Node here) and has no "## Fallback" block. WebGPU needs a browser with WebGPU ' +
        '(Chrome or Edge 113+, or Chromium started with --enable-unsafe-webgpu) and a GPU (or SwiftShader); ' +
        'a "## Fallback" section with a javascript block (function execute(inputs)) would run here on the CPU instead.',
    );
    expect(r.nodes.bare?.device).toBeUndefined();
  });

  it('give JavaScript skills a gpu global that says there is no WebGPU, so a skill can compute on the CPU instead', async () => {
    const r = await run([{ id: 'sum', skillId: 'gpu-or-cpu', inputs: { xs: [1, 2, 3, 4] } }]);
    expect(r.exitCode, r.log.join('\n')).toBe(EXIT.done);
    expect(r.nodes.sum?.outputs).toEqual({
      total: 20,
      where: 'cpu (unavailable): no WebGPU in Node here: gpu.compute runs kernels in a browser with WebGPU; check gpu.available() and compute on the CPU when it is false',
    });
  });
});
