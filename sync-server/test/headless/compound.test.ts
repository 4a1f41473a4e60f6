// EXEC-13, compound skills headless: a Python → JavaScript → Python chain and the compound skill wrapping
// it run to the same outputs with the same per-node cache keys; nesting; progress and errors on
// the compound node; self-containment refused with its chain; bad compound files named with lines.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { NodeState, RunResult } from '../../../shared/src/execution/types';
import { MemoryResultCache } from '../../src/headless/cache';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { loadSkillDir, type LoadedSkills } from '../../src/headless/skills';
import { FIXTURES, lineOf, REPO, workflowFixture } from './helpers';

const SKILLS = path.join(FIXTURES, 'compound-skills');
const runtimes = nodeRuntimes({ javascriptWorkers: 1 });
let loaded: LoadedSkills;

/** Remembers every key a run stores, so two runs' keys can be compared. */
class KeyRecordingCache extends MemoryResultCache {
  readonly keys = new Set<string>();
  override async set(key: string, result: RunResult): Promise<void> {
    this.keys.add(key);
    await super.set(key, result);
  }
}

async function run(graph: WorkflowGraph, cache = new KeyRecordingCache(), onState?: (id: string, s: NodeState) => void) {
  const report = await runWorkflow({
    graph,
    resolve: (id) => loaded.skills.get(id),
    compounds: (id) => loaded.compounds.get(id),
    runtimes,
    cache,
    onState,
  });
  return { report, cache };
}

const withX = (graph: WorkflowGraph, node: string, port: string, value: number): WorkflowGraph => ({
  ...graph,
  nodes: graph.nodes.map((n) => (n.id === node ? { ...n, inputs: { ...n.inputs, [port]: value } } : n)),
});

beforeAll(async () => {
  loaded = await loadSkillDir(SKILLS, 'compound-skills');
  expect(loaded.warnings).toEqual([]);
});
afterAll(() => runtimes.close());

describe('a compound node runs as its inner nodes', () => {
  it('gives the flat chain’s outputs and per-node cache keys for the same inputs, and runs from its cache', async () => {
    for (const x of [3, 5]) {
      const flat = await run(withX(workflowFixture('flat-chain.workflow.json'), 's', 'x', x));
      const states: Array<[string, NodeState]> = [];
      const compound = await run(withX(workflowFixture('compound-chain.workflow.json'), 'c', 'x', x), undefined, (id, s) => states.push([id, s]));
      expect(flat.report.ok && compound.report.ok).toBe(true);
      const w = (2 * x + 10) ** 2;
      expect(flat.report.nodes.q?.outputs).toEqual({ w });
      expect(compound.report.nodes.c?.outputs).toEqual({ w, z: 2 * x + 10 });
      expect(compound.report.nodes.c).toMatchObject({ status: 'done', progress: { done: 3, total: 3, running: [] } });
      for (const id of ['s', 'o', 'q']) expect(compound.report.nodes[`c/${id}`]?.outputs).toEqual(flat.report.nodes[id]?.outputs);
      expect(compound.cache.keys.size).toBe(3);
      expect([...compound.cache.keys].sort()).toEqual([...flat.cache.keys].sort());
      // Progress on the compound node: which inner node runs, how many are done.
      const shown = states.filter(([id]) => id === 'c').map(([, s]) => s);
      expect(shown.some((s) => s.status === 'running' && s.progress?.running[0] === 'c/o' && s.progress.done === 1)).toBe(true);
      expect(states.some(([id, s]) => id === 'c/s' && s.stdout.includes(`scaling ${x}`))).toBe(true);

      // Each run again from the other's cache: every inner node served from it.
      const again = await run(withX(workflowFixture('compound-chain.workflow.json'), 'c', 'x', x), flat.cache);
      expect(['c/s', 'c/o', 'c/q'].map((id) => again.report.nodes[id]?.status)).toEqual(['cached', 'cached', 'cached']);
      expect(again.report.nodes.c).toMatchObject({ status: 'cached', outputs: { w, z: 2 * x + 10 } });
      const flatAgain = await run(withX(workflowFixture('flat-chain.workflow.json'), 's', 'x', x), compound.cache);
      expect(Object.values(flatAgain.report.nodes).map((s) => s.status)).toEqual(['cached', 'cached', 'cached']);
    }
  });

  it('runs a compound nested in another, with literals passed down and the trace listing the inner nodes', async () => {
    const { report } = await run(workflowFixture('nested-compound.workflow.json'));
    expect(report.ok).toBe(true);
    // start 2, factor 3 (set inside), offset 10, squared, then offset 1 (the default).
    expect(report.nodes.n?.outputs).toEqual({ total: (2 * 3 + 10) ** 2 + 1 });
    expect(report.nodes['n/inner']).toMatchObject({ status: 'done', outputs: { w: 256, z: 16 } });
    expect(report.nodes.n?.progress).toEqual({ done: 4, total: 4, running: [] });
    expect(report.trace.nodes.map((n) => [n.id, n.skillId])).toEqual([
      ['n/inner/s', 'scale'],
      ['n/inner/o', 'offset'],
      ['n/inner/q', 'square'],
      ['n/plus', 'offset'],
    ]);
  });

  it('an inner failure shows on the compound node with the inner node’s path, skill and line', async () => {
    const { report } = await run(withX(workflowFixture('compound-chain.workflow.json'), 'c', 'x', -1));
    expect(report.ok).toBe(false);
    expect(report.nodes['c/q']?.status).toBe('skipped');
    const error = report.nodes.c?.error ?? '';
    expect(report.nodes.c?.status).toBe('error');
    expect(error).toMatch(/^inner node c\/o \(offset\) failed: Error: negative input -2\n/);
    expect(error).toContain(`compound-skills/offset.md:${lineOf('sync-server/test/headless/fixtures/compound-skills/offset.md', 'throw new Error')}:`);
    expect(report.nodes.c?.progress).toEqual({ done: 1, total: 3, running: [] });
  });

  it('refuses a compound skill that contains itself, naming the chain', async () => {
    const { report } = await run(workflowFixture('self-containing.workflow.json'));
    expect(report.ok).toBe(false);
    expect(report.issues).toEqual([
      expect.objectContaining({ code: 'recursive_skill', nodes: ['a'], chain: ['loop-a', 'loop-b', 'loop-a'], message: expect.stringContaining('loop-a → loop-b → loop-a') }),
    ]);
  });
});

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const cli = (...args: string[]): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'sync-server/bin/workflow.ts', ...args], { cwd: REPO, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code === -1) reject(error);
      else resolve({ code, stdout, stderr });
    });
  });

describe('npm run workflow with compound skills', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-compound-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('runs the flat chain and its compound from --skills to the same outputs, the second from the first’s --cache', async () => {
    const cache = path.join(dir, 'cache');
    const flat = await cli(path.join(FIXTURES, 'flat-chain.workflow.json'), '--skills', SKILLS, '--cache', cache);
    expect(flat.code, flat.stderr).toBe(0);
    const compound = await cli(path.join(FIXTURES, 'compound-chain.workflow.json'), '--skills', SKILLS, '--cache', cache);
    expect(compound.code, compound.stderr).toBe(0);
    const flatNodes = JSON.parse(flat.stdout) as Record<string, { outputs: object }>;
    expect(JSON.parse(compound.stdout)).toEqual({ c: { status: 'cached', outputs: { w: 256, z: 16 } } });
    expect(flatNodes.q?.outputs).toEqual({ w: 256 });
    expect(compound.stderr).not.toMatch(/starting/);
  });

  it('runs a nested compound, its progress on stderr', async () => {
    const r = await cli(path.join(FIXTURES, 'nested-compound.workflow.json'), '--skills', SKILLS);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ n: { status: 'done', outputs: { total: 257 } } });
    expect(r.stderr).toContain('Nested compound: 1 node(s) (4 once compound nodes are opened); starting python, javascript');
    expect(r.stderr).toMatch(/\] n running \(1\/4 done; n\/inner\/o\)\n/);
    expect(r.stderr).toMatch(/\] n\/inner\/o done \(\d+ ms\)\n/);
    expect(r.stderr).toMatch(/\] n done \(\d+ ms\)\n/);
  });

  it('exit 2 for a self-containing compound, with the chain on stderr', async () => {
    const r = await cli(path.join(FIXTURES, 'self-containing.workflow.json'), '--skills', SKILLS);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid: Node "a" uses compound skill "loop-a", which contains itself: loop-a → loop-b → loop-a.');
    expect(JSON.parse(r.stdout)).toEqual({ a: { status: 'invalid', error: expect.stringContaining('loop-a → loop-b → loop-a') } });
  });

  it('names what is wrong in bad compound files, with file and line, and an inner node with an unknown skill', async () => {
    const bad = path.join(dir, 'bad');
    await fs.mkdir(bad);
    const chain = await fs.readFile(path.join(SKILLS, 'chain.md'), 'utf8');
    await fs.writeFile(path.join(bad, 'bad-target.md'), chain.replace('skill_id: chain', 'skill_id: bad-target').replace('"node": "s", "port": "x"', '"node": "sx", "port": "x"'));
    await fs.writeFile(path.join(bad, 'unmapped.md'), chain.replace('skill_id: chain', 'skill_id: unmapped').replace(/,\n {4}\{ "name": "z", "node": "o", "port": "z" \}/, ''));
    await fs.writeFile(path.join(bad, 'not-json.md'), chain.replace('skill_id: chain', 'skill_id: not-json').replace('"edges": [', '"edges": [,'));
    await fs.writeFile(path.join(bad, 'wrong-fence.md'), chain.replace('skill_id: chain', 'skill_id: wrong-fence').replace('```json', '```python'));
    await fs.writeFile(path.join(bad, 'ghost.md'), chain.replace('skill_id: chain', 'skill_id: ghost').replace('"skillId": "square"', '"skillId": "no-such-skill"'));
    const { warnings, compounds } = await loadSkillDir(bad, 'bad');
    const chainLine = (text: string) => chain.split('\n').findIndex((l) => l.includes(text)) + 1;
    expect(warnings).toEqual([
      `skipped: bad/bad-target.md:${chainLine('"name": "x"')}: code: inputs[0].targets[0].node "sx" is not an inner node`,
      `skipped: bad/not-json.md:${chainLine('"edges": [')}: code: the code block is not JSON: Unexpected token ','`,
      `skipped: bad/unmapped.md:${chainLine('"outputs": [')}: code: outputs: the frontmatter's output "z" is not mapped to an inner port; add it to "outputs"`,
      `skipped: bad/wrong-fence.md:${chainLine('```json')}: type: the code block's language is "python" but this skill's type needs "json"`,
    ]);
    expect([...compounds.keys()]).toEqual(['ghost']);
    await fs.writeFile(path.join(dir, 'ghost.json'), JSON.stringify({ format: 'llmunix-workflow', version: 2, nodes: [{ id: 'g', skillId: 'ghost', position: { x: 0, y: 0 }, inputs: { x: 1 } }], edges: [] }));
    const r = await cli(path.join(dir, 'ghost.json'), '--skills', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid: Node "g/q" uses skill "no-such-skill", which is in none of your volumes.');
  });
});
