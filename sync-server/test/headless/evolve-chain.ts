import fs from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, runScript } from './helpers';

/** The test skills of the evolution tests: Square (Python) → Offset (JavaScript) → Half (Python). */
export const CHAIN_SKILLS = path.join(FIXTURES, 'evolve-skills');

/** A workflow file of the three-node chain, squaring `x`. */
export function chainWorkflow(x: number, name = 'chain'): string {
  return JSON.stringify({
    format: 'llmunix-workflow',
    version: 1,
    name,
    nodes: [
      { id: 'sq', skillId: 'py-square', position: { x: 0, y: 0 }, inputs: { x } },
      { id: 'off', skillId: 'js-offset', position: { x: 320, y: 0 }, inputs: {} },
      { id: 'half', skillId: 'py-half', position: { x: 640, y: 0 }, inputs: {} },
    ],
    edges: [
      { id: 'e1', source: 'sq', sourceHandle: 'y', target: 'off', targetHandle: 'y' },
      { id: 'e2', source: 'off', sourceHandle: 'z', target: 'half', targetHandle: 'z' },
    ],
  });
}

/** Runs the chain once per `x` with `--traces traces`, in `dir`; the runs' answers, parsed. */
export async function runChain(dir: string, xs: number[]): Promise<Array<Record<string, { status: string; outputs?: Record<string, unknown> }>>> {
  const answers = [];
  for (const x of xs) {
    const file = path.join(dir, `chain-${x}.json`);
    await fs.writeFile(file, chainWorkflow(x));
    const r = await runScript('sync-server/bin/workflow.ts', [file, '--skills', CHAIN_SKILLS, '--traces', path.join(dir, 'traces')]);
    if (r.code !== 0) throw new Error(`the chain failed (exit ${r.code}):\n${r.stderr}`);
    answers.push(JSON.parse(r.stdout) as Record<string, { status: string; outputs?: Record<string, unknown> }>);
  }
  return answers;
}
