// The mined compound skill runs: `npm run evolve -- … --out DIR` writes it, `npm run workflow --
// … --skills DIR` runs it as one node, and its outputs equal the flat chain's for the same inputs.
// (Needs the compound skill runtime of issue 16's other half.)
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { CHAIN_SKILLS, runChain } from './evolve-chain';
import { runScript } from './helpers';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-evolve-run-'));
}, 300_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

it('the mined compound runs with --skills and gives the flat chain’s outputs', async () => {
  const [, , flat] = await runChain(dir, [2, 3, 5]);
  const skills = path.join(dir, 'skills');
  await fs.cp(CHAIN_SKILLS, skills, { recursive: true });
  const mined = await runScript('sync-server/bin/evolve.ts', [path.join(dir, 'traces'), '--skills', skills, '--out', skills]);
  expect(mined.code).toBe(0);
  const [compound] = JSON.parse(mined.stdout) as Suggestion[];
  expect(compound?.support).toBe(3);

  const file = path.join(dir, 'compound.json');
  await fs.writeFile(
    file,
    JSON.stringify({
      format: 'llmunix-workflow',
      version: 1,
      name: 'compound',
      nodes: [{ id: 'c', skillId: compound!.skill_id, position: { x: 0, y: 0 }, inputs: { x: 5 } }],
      edges: [],
    }),
  );
  const run = await runScript('sync-server/bin/workflow.ts', [file, '--skills', skills]);
  expect(run.code, run.stderr).toBe(0);
  const nodes = JSON.parse(run.stdout) as Record<string, { status: string; outputs?: Record<string, unknown> }>;
  expect(nodes.c?.status).toBe('done');
  expect(nodes.c?.outputs).toEqual(flat!.half?.outputs);
  expect(nodes.c?.outputs).toEqual({ w: 17.5, whole: false });
}, 300_000);
