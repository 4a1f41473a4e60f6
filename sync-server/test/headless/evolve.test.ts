// `npm run workflow -- … --traces DIR` then `npm run evolve -- DIR`, as child processes: three runs
// of a Python → JavaScript → Python chain become one compound skill suggestion with support 3.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunTrace } from '../../../shared/src/execution/types';
import type { Suggestion } from '../../../shared/src/evolution/suggest';
import { splitSkillText } from '../../../shared/src/skill/frontmatter';
import { CHAIN_SKILLS, runChain } from './evolve-chain';
import { runScript } from './helpers';

let dir: string;
let traces: string;
const evolve = async (...args: string[]) => {
  const r = await runScript('sync-server/bin/evolve.ts', args, 60_000);
  return { ...r, suggestions: r.code === 0 ? (JSON.parse(r.stdout) as Suggestion[]) : [] };
};

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'llmunix-evolve-'));
  traces = path.join(dir, 'traces');
  const answers = await runChain(dir, [2, 3, 4]);
  expect(answers.map((a) => a.half?.outputs?.w)).toEqual([7, 9.5, 13]); // (x² + 10) / 2
}, 300_000);
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('npm run evolve', () => {
  it('--traces appends one trace per run, with the edges among the nodes that ran', async () => {
    const lines = (await fs.readFile(path.join(traces, 'traces.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(3);
    const trace = JSON.parse(lines[0]!) as RunTrace;
    expect(trace.status).toBe('done');
    expect(trace.workflow).toBe('chain');
    expect(trace.nodes.map((n) => n.skillId)).toEqual(['py-square', 'js-offset', 'py-half']);
    expect(trace.edges).toEqual([
      { source: 'sq', sourceHandle: 'y', target: 'off', targetHandle: 'y' },
      { source: 'off', sourceHandle: 'z', target: 'half', targetHandle: 'z' },
    ]);
    expect(new Set(lines.map((l) => (JSON.parse(l) as RunTrace).id)).size).toBe(3);
  });

  it('offers the chain with support 3, its free inputs (defaults kept) and its unconsumed outputs', async () => {
    const r = await evolve(traces, '--skills', CHAIN_SKILLS);
    expect(r.code).toBe(0);
    expect(r.suggestions).toHaveLength(1);
    const [s] = r.suggestions;
    expect(s).toMatchObject({ name: 'Square → Offset → Half', support: 3, skills: ['py-square', 'js-offset', 'py-half'] });
    expect(s!.inputs).toEqual([
      { name: 'x', type: 'number', default: 3 },
      { name: 'offset', type: 'number', default: 10 },
    ]);
    expect(s!.outputs).toEqual([
      { name: 'w', type: 'number' },
      { name: 'whole', type: 'boolean' },
    ]);
    expect(s!.evidence).toMatchObject({ runs: 3, workflows: ['chain'] });
    const fm = parse(splitSkillText(s!.markdown)!.yaml) as Record<string, unknown>;
    expect(fm).toMatchObject({ type: 'compound', skill_id: s!.skill_id, derived_from: { skills: s!.skills, support: 3, window_days: 7 } });
    expect(r.stderr).toMatch(/mined 3 successful run\(s\) of the last 7 day\(s\) in \d+ ms: 1 suggestion\(s\)/);
  });

  it('--min-support and --days narrow what is offered', async () => {
    expect((await evolve(traces, '--min-support', '4')).suggestions).toEqual([]);
    const later = new Date(Date.now() + 8 * 86_400_000).toISOString();
    expect((await evolve(traces, '--now', later)).suggestions).toEqual([]);
    expect((await evolve(traces, '--now', later, '--days', '9')).suggestions.map((s) => s.support)).toEqual([3]);
    expect((await evolve(traces, '--limit', 'all')).suggestions.map((s) => s.support)).toEqual([3]);
  });

  it('skips bad and foreign lines with a count, never a crash', async () => {
    const messy = path.join(dir, 'messy');
    await fs.mkdir(messy);
    await fs.copyFile(path.join(traces, 'traces.jsonl'), path.join(messy, 'traces.jsonl'));
    await fs.appendFile(path.join(messy, 'traces.jsonl'), 'not json at all\n{"foreign": true}\n\n');
    await fs.writeFile(path.join(messy, 'other.jsonl'), '[1, 2]\n{"id": "x", "status": "done", "startedAt": "yesterday", "nodes": []}\n{"truncated": ');
    await fs.writeFile(path.join(messy, 'notes.txt'), 'not a trace file: not read');
    const r = await evolve(messy);
    expect(r.code).toBe(0);
    expect(r.suggestions.map((s) => s.support)).toEqual([3]);
    expect(r.stderr).toMatch(/read 8 line\(s\) from 2 file\(s\)/);
    expect(r.stderr).toMatch(/skipped 5 line\(s\): 2 not JSON, 3 not a trace \(/);
  });

  it('--out writes each suggestion as <skill_id>.md, and a compound already there is not offered again', async () => {
    const out = path.join(dir, 'mined');
    const first = await evolve(traces, '--skills', CHAIN_SKILLS, '--out', out);
    const [s] = first.suggestions;
    expect(await fs.readFile(path.join(out, `${s!.skill_id}.md`), 'utf8')).toBe(s!.markdown);
    expect(first.stderr).toContain(`wrote ${path.join(out, `${s!.skill_id}.md`)}`);
    const again = await evolve(traces, '--skills', CHAIN_SKILLS, '--out', out);
    expect(again.suggestions).toEqual([]);
  });

  it('exit 2 with the reason for a missing directory or a bad option', async () => {
    const missing = await evolve(path.join(dir, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the trace directory .*nowhere/);
    const bad = await evolve(traces, '--min-support', 'three');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--min-support must be a number, got "three"/);
    const zero = await evolve(traces, '--min-support', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/minimum support must be a whole number ≥ 1, got 0/);
    const none = await evolve(traces, '--limit', '0');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/number of patterns to offer must be a whole number ≥ 1 \(or Infinity for all\), got 0/);
    expect((await evolve()).stderr).toMatch(/no trace directory given\nusage: npm run evolve/);
  });
});
