// `npm run workflow` as a child process (and the --skills directory it reads): one JSON object on stdout, progress on stderr, and exit
// 0 (all done), 1 (a node failed) or 2 (invalid file or workflow; nothing runs).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSkillFiles } from '../../../shared/src/skill/archive';
import type { NodeSummary } from '../../src/headless/run-file';
import { loadSkillDir } from '../../src/headless/skills';
import { FIXTURES, REPO, skillSource } from './helpers';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  nodes: Record<string, NodeSummary>;
}

function cli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'sync-server/bin/workflow.ts', ...args], { cwd: REPO, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code === -1) return reject(error);
      let nodes: Record<string, NodeSummary>;
      try {
        nodes = JSON.parse(stdout) as Record<string, NodeSummary>;
      } catch {
        return reject(new Error(`stdout is not one JSON object:\n${stdout}\nstderr:\n${stderr}`));
      }
      resolve({ code, stdout, stderr, nodes });
    });
  });
}

let dir: string;
const file = (name: string) => path.join(dir, name);
const workflow = (nodes: object[], edges: object[] = []) =>
  JSON.stringify({
    format: 'llmunix-workflow',
    version: 1,
    name: 'test',
    nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, inputs: {}, ...n })),
    edges,
  });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-cli-'));
  const skills = path.join(dir, 'skills');
  await fs.mkdir(skills);
  const js = (id: string, code: string) =>
    skillSource({ name: id, skill_id: id, type: 'javascript', inputs: [{ name: 'n', type: 'number', default: 1 }], outputs: [{ name: 'x', type: 'number' }] }, 'javascript', code);
  await fs.writeFile(path.join(skills, 'boom.md'), js('boom', 'function execute() {\n  throw new Error("boom");\n}'));
  await fs.writeFile(path.join(skills, 'twice.md'), js('twice', 'function execute({ n }) {\n  console.log("doubling", n);\n  return { x: 2 * n };\n}'));
  // Shadows the system skill of that id: the user's volume wins.
  await fs.writeFile(path.join(skills, 'export-results.md'), js('export-results', 'function execute() {\n  return { x: -1 };\n}'));
  await fs.writeFile(
    file('good.json'),
    workflow([{ id: 'a', skillId: 'twice', inputs: { n: 21 } }, { id: 'b', skillId: 'twice' }, { id: 'shadow', skillId: 'export-results' }], [
      { id: 'e', source: 'a', sourceHandle: 'x', target: 'b', targetHandle: 'n' },
    ]),
  );
  await fs.writeFile(
    file('failing.json'),
    workflow([{ id: 'bad', skillId: 'boom' }, { id: 'after', skillId: 'twice' }, { id: 'fine', skillId: 'twice' }], [
      { id: 'e', source: 'bad', sourceHandle: 'x', target: 'after', targetHandle: 'n' },
    ]),
  );
  await fs.writeFile(
    file('cyclic.json'),
    workflow([{ id: 'a', skillId: 'twice' }, { id: 'b', skillId: 'twice' }], [
      { id: 'e1', source: 'a', sourceHandle: 'x', target: 'b', targetHandle: 'n' },
      { id: 'e2', source: 'b', sourceHandle: 'x', target: 'a', targetHandle: 'n' },
    ]),
  );
  await fs.writeFile(file('not-json.json'), '{ "format": ');
  // Version 2 adds notes beside the nodes: they are part of the file, never of the run.
  const note = { text: '# Doubles twice', position: { x: 0, y: 200 }, size: { width: 200, height: 100 }, color: 'green' };
  await fs.writeFile(
    file('noted.json'),
    JSON.stringify({ ...JSON.parse(workflow([{ id: 'a', skillId: 'twice', inputs: { n: 3 } }])), version: 2, notes: [{ id: 'why', ...note }] }),
  );
  await fs.writeFile(file('newer.json'), JSON.stringify({ ...JSON.parse(workflow([{ id: 'a', skillId: 'twice' }])), version: 3 }));
  await fs.writeFile(file('bad-note.json'), JSON.stringify({ ...JSON.parse(workflow([{ id: 'a', skillId: 'twice' }])), version: 2, notes: [{ id: 'a', ...note }] }));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('npm run workflow', () => {
  it('runs the VQE workflow file: exit 0, the energy in the JSON on stdout, progress on stderr', async () => {
    const r = await cli(path.join(FIXTURES, 'vqe.workflow.json'));
    expect(r.code).toBe(0);
    expect(Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, n.status]))).toEqual({ h2: 'done', vqe: 'done', plot: 'done' });
    expect(Math.abs((r.nodes.vqe?.outputs?.eigenvalue as number) - -1.137)).toBeLessThan(1e-3);
    expect(r.nodes.plot?.outputs?.svg).toMatch(/^<svg/);
    expect(r.stderr).toMatch(/starting python, javascript/);
    expect(r.stderr).toMatch(/vqe done \(\d+ ms\)/);
  });

  it('runs ngspice and Three.js skills headless', async () => {
    const r = await cli(path.join(FIXTURES, 'spice-three.workflow.json'));
    expect(r.code).toBe(0);
    expect((r.nodes.divider?.outputs?.v_out as number[]).at(-1)).toBeCloseTo((12 * 4700) / 8000, 9);
    expect(r.nodes.export?.outputs?.filename).toBe('results.csv');
    expect(r.nodes.cube?.outputs?.triangle_count).toBe(12);
    expect(r.nodes.spin?.outputs).toEqual({ animated_objects: 1 });
    expect(r.stderr).toMatch(/cube \| \[three\.js headless\] scene: 3 object\(s\), 1 mesh\(es\); render\(\) called 1×/);
  });

  it('loads --skills as the user volume (shadowing system skills), and reuses --cache', async () => {
    const cache = path.join(dir, 'cache');
    const first = await cli(file('good.json'), '--skills', path.join(dir, 'skills'), '--cache', cache);
    expect(first.code).toBe(0);
    expect(first.nodes).toEqual({
      a: { status: 'done', outputs: { x: 42 } },
      b: { status: 'done', outputs: { x: 84 } },
      shadow: { status: 'done', outputs: { x: -1 } },
    });
    expect(first.stderr).toContain('a | doubling 21');
    expect(first.stderr).toMatch(/export-results\.md shadows the system skill "export-results"/);
    const second = await cli(file('good.json'), '--skills', path.join(dir, 'skills'), '--cache', cache);
    expect(second.code).toBe(0);
    expect(Object.values(second.nodes).map((n) => n.status)).toEqual(['cached', 'cached', 'cached']);
    expect(second.nodes.b?.outputs).toEqual({ x: 84 });
    expect(second.stderr).not.toMatch(/starting/); // nothing to run, no runtime started
  });

  it('exit 1 when a node fails; its dependents are skipped, the rest done', async () => {
    const r = await cli(file('failing.json'), '--skills', path.join(dir, 'skills'));
    expect(r.code).toBe(1);
    expect(r.nodes.bad).toMatchObject({ status: 'error', error: expect.stringMatching(/^Error: boom\n\s+at execute \(.*boom\.md:\d+:\d+\)/) });
    expect(r.nodes.after).toMatchObject({ status: 'skipped' });
    expect(r.nodes.fine).toEqual({ status: 'done', outputs: { x: 2 } });
    expect(r.stderr).toMatch(/bad error \(\d+ ms\): Error: boom\n/);
  });

  it('reads a version-2 file and runs its nodes, never its notes; a newer file or a bad note is refused', async () => {
    const noted = await cli(file('noted.json'), '--skills', path.join(dir, 'skills'));
    expect(noted.code, noted.stderr).toBe(0);
    expect(noted.nodes).toEqual({ a: { status: 'done', outputs: { x: 6 } } });
    expect(noted.stderr).toMatch(/test: 1 node\(s\)/);

    const newer = await cli(file('newer.json'), '--skills', path.join(dir, 'skills'));
    expect(newer.code).toBe(2);
    expect(newer.stderr).toMatch(/invalid: .*newer\.json: The file is version 3, made by a newer LLMunix; this one reads up to version 2\. Update the app\./);

    const badNote = await cli(file('bad-note.json'), '--skills', path.join(dir, 'skills'));
    expect(badNote.code).toBe(2);
    expect(badNote.stderr).toMatch(/invalid: .*bad-note\.json: notes: id "a" is also a node's id/);
  });

  it('exit 2 for a cycle, an unknown skill or a file that is not a workflow, with the reason', async () => {
    const cyclic = await cli(file('cyclic.json'), '--skills', path.join(dir, 'skills'));
    expect(cyclic.code).toBe(2);
    expect(cyclic.stderr).toMatch(/invalid: The workflow has a cycle: "a" → "b" → "a"/);
    expect(cyclic.nodes.a).toMatchObject({ status: 'invalid', error: expect.stringMatching(/cycle/) });

    const unknown = await cli(file('good.json')); // without --skills, "twice" is in no volume
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/invalid: Node "a" uses skill "twice", which is in none of your volumes/);

    const broken = await cli(file('not-json.json'));
    expect(broken.code).toBe(2);
    expect(broken.nodes).toEqual({});
    expect(broken.stderr).toMatch(/invalid: .*not-json\.json: The file is not JSON/);
  });
});

describe('--skills with the fixture set: .md files, SKILL.md folders and archives', () => {
  const FIXTURE_SKILLS = path.join(REPO, 'shared/test/fixtures/skills');
  const AGENT = readdirSync(path.join(FIXTURE_SKILLS, 'agent')).sort();
  const ORIGINAL = readdirSync(path.join(FIXTURE_SKILLS, 'original')).filter((f) => f.endsWith('.md')).sort();
  let library: string;

  beforeAll(async () => {
    library = path.join(dir, 'library');
    await fs.mkdir(library);
    for (const folder of AGENT) await fs.cp(path.join(FIXTURE_SKILLS, 'agent', folder), path.join(library, folder), { recursive: true });
    for (const file of [...ORIGINAL, 'LICENSE']) await fs.copyFile(path.join(FIXTURE_SKILLS, 'original', file), path.join(library, file));
    const text = (s: string) => new TextEncoder().encode(s);
    const zipped = zipSkillFiles([
      { path: 'zipped-tool/SKILL.md', bytes: text('---\nname: zipped-tool\ndescription: Came in a zip.\n---\nSee scripts/run.py.\n') },
      { path: 'zipped-tool/scripts/run.py', bytes: text('print("data, never run on load")\n') },
    ]);
    await fs.writeFile(path.join(library, 'bundle.zip'), zipped);
    await fs.writeFile(path.join(library, 'single.skill'), zipSkillFiles([{ path: 'SKILL.md', bytes: text('---\nname: single-archived\ndescription: A bare SKILL.md in a .skill archive.\n---\nBody.\n') }]));
    await fs.writeFile(path.join(library, 'broken.zip'), 'not a zip');
    await fs.writeFile(path.join(library, 'notes.txt'), 'stray');
    await fs.mkdir(path.join(library, 'no-skill-here'));
    await fs.writeFile(path.join(library, 'no-skill-here', 'readme.txt'), 'x');
    await fs.writeFile(
      file('original.json'),
      workflow([
        { id: 'cube', skillId: 'threejs-cube-node', inputs: { size: 2 } },
        { id: 'stats', skillId: 'series-stats' },
      ]),
    );
    await fs.writeFile(file('instruction-node.json'), workflow([{ id: 'brand', skillId: 'brand-guidelines' }]));
  });

  it('loads every skill of the fixture set, instruction skills apart, and names each skipped file with why', async () => {
    const loaded = await loadSkillDir(library, 'lib');
    const ids = [...loaded.skills.keys(), ...loaded.instructions.keys()].sort();
    const originalIds = ORIGINAL.map((f) => f.replace(/\.md$/, ''));
    expect(ids).toEqual([...AGENT, ...originalIds, 'zipped-tool', 'single-archived'].sort());
    expect([...loaded.instructions.keys()]).toEqual(expect.arrayContaining(['brand-guidelines', 'internal-comms', 'data-analysis', 'python-coding', 'zipped-tool']));
    expect([...loaded.skills.keys()]).toEqual(expect.arrayContaining(['threejs-cube-node', 'series-stats', 'voltage-divider', 'circuit-rc-node', 'quantum-vqe-node']));
    expect(loaded.skills.get('threejs-cube-node')?.skill.file).toBe('lib/threejs-cube-node.md');
    expect(loaded.instructions.get('zipped-tool')?.file).toBe('lib/bundle.zip/zipped-tool/SKILL.md');
    expect(loaded.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^skipped: lib\/LICENSE: not a skill; only \.md files, folders with a SKILL\.md and \.zip\/\.skill archives are read$/),
        expect.stringMatching(/^skipped: lib\/notes\.txt: not a skill/),
        expect.stringMatching(/^skipped: lib\/no-skill-here\/: a folder with no SKILL\.md/),
        expect.stringMatching(/^skipped: lib\/broken\.zip: The file is not a zip archive/),
      ]),
    );
    expect(loaded.warnings).toHaveLength(4);
  });

  it('runs the original\'s Three.js (execute form) and python-wasm files in a workflow', async () => {
    const r = await cli(file('original.json'), '--skills', library);
    expect(r.code, r.stderr).toBe(0);
    expect(r.nodes.cube?.status).toBe('done');
    expect(r.nodes.cube?.outputs?.scene_data).toMatchObject({ geometry: { type: 'BoxGeometry', args: [2, 2, 2] } });
    expect(r.nodes.stats).toEqual({ status: 'done', outputs: { mean: 2.5, spread: 3 } });
    expect(r.stderr).toMatch(/note: skipped: .*notes\.txt: not a skill/);
    expect(r.stderr).toMatch(/note: skipped: .*broken\.zip: /);
  });

  it('refuses an instruction skill as a node with the validator\'s not_runnable message (exit 2)', async () => {
    const r = await cli(file('instruction-node.json'), '--skills', library);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid: Node "brand" uses "brand-guidelines" \(brand-guidelines\), an instruction skill: it has nothing to run/);
    expect(r.nodes.brand).toMatchObject({ status: 'invalid' });
  });
});
