// EXEC-13 for the system compound skill (skills/weather-summary-csv.md): run with its defaults from
// skills/, it gives the outputs of the flat data pipeline it packs (the weather-table-csv template
// with the same settings), its inner nodes served from that flat run's cache.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { runWorkflow } from '../../../shared/src/execution/executor';
import { parseWorkflowFile } from '../../../shared/src/workflow/file';
import { MemoryResultCache } from '../../src/headless/cache';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { loadSkillDir, SYSTEM_SKILLS_DIR, TEMPLATES_DIR, type LoadedSkills } from '../../src/headless/skills';
import { node } from './helpers';

const runtimes = nodeRuntimes({ javascriptWorkers: 1 });
let loaded: LoadedSkills;

beforeAll(async () => {
  loaded = await loadSkillDir(SYSTEM_SKILLS_DIR, 'skills');
  expect(loaded.warnings).toEqual([]);
});
afterAll(() => runtimes.close());

const run = (graph: WorkflowGraph, cache: MemoryResultCache) =>
  runWorkflow({ graph, resolve: (id) => loaded.skills.get(id), compounds: (id) => loaded.compounds.get(id), runtimes, cache });

describe('the system compound skill Weather Summary to CSV', () => {
  it('runs with its defaults to the flat pipeline’s outputs, its inner nodes from the flat run’s cache', async () => {
    expect(loaded.compounds.has('weather-summary-csv')).toBe(true);
    const template = parseWorkflowFile(fs.readFileSync(path.join(TEMPLATES_DIR, 'weather-table-csv.workflow.json'), 'utf8'));
    if (!template.ok) throw new Error(template.error.join('\n'));
    // The template's settings, but the compound's default file name.
    const flat: WorkflowGraph = {
      nodes: template.value.nodes.map((n) => (n.id === 'csv' ? { ...n, inputs: { ...n.inputs, filename: 'weather-summary' } } : n)),
      edges: template.value.edges,
    };
    const cache = new MemoryResultCache();
    const flatReport = await run(flat, cache);
    expect(flatReport.ok).toBe(true);
    const report = await run({ nodes: [node('w', 'weather-summary-csv')], edges: [] }, cache);
    expect(report.ok).toBe(true);
    expect(report.nodes.w?.outputs).toEqual({
      summary: flatReport.nodes.summary?.outputs?.summary,
      content: flatReport.nodes.csv?.outputs?.content,
      filename: 'weather-summary.csv',
    });
    expect(String(report.nodes.w?.outputs?.content)).toMatch(/^city,count,mean,min,max,std,total\r\nSingapore,31,/);
    expect(['w/readings', 'w/summary', 'w/csv'].map((id) => report.nodes[id]?.status)).toEqual(['cached', 'cached', 'cached']);
    expect(report.nodes.w).toMatchObject({ status: 'cached', progress: { done: 3, total: 3, running: [] } });
  });
});
