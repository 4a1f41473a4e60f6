// A compound node in the app's run view (web/src/run/signatures.ts signatureSource, inner-node.ts):
// its signature covers the skills inside it, nested too, so editing one makes its result stale;
// inner node paths are told from canvas ids and found in the compound skills' insides.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WorkflowGraph } from '../../shared/src/documents/workflow';
import { buildCompoundMarkdown } from '../../shared/src/skill/compound';
import { readSkill } from '../../shared/src/skill/parse';
import type { CatalogEntry } from '../src/documents/catalog';
import { innerNode, innerNodeName, isInnerNode } from '../src/run/inner-node';
import { nodeSignatures, signatureSource } from '../src/run/signatures';

const SKILLS = path.resolve(import.meta.dirname, '../../skills');
const system = { volume: 'system' as const, volumeId: 'system' };

function entry(skillId: string, source: string): CatalogEntry {
  const read = readSkill(source, { file: `${skillId}.md`, skillId });
  if (!read.ok) throw new Error(read.error.map((e) => e.message).join('; '));
  return { skillId, volume: system, source, skill: read.value, errors: [] };
}

const systemSource = (id: string) => fs.readFileSync(path.join(SKILLS, `${id}.md`), 'utf8');
// A compound holding the system compound skill: nesting.
const outer = buildCompoundMarkdown({
  name: 'Outer',
  skillId: 'outer',
  inputs: [],
  outputs: [{ name: 'content', type: 'string' }],
  inside: { nodes: [{ id: 'w', skillId: 'weather-summary-csv', label: 'Weather', position: { x: 0, y: 0 }, inputs: {} }], edges: [], inputs: [], outputs: [{ name: 'content', node: 'w', port: 'content' }] },
});

function catalog(overrides: Record<string, string> = {}) {
  const ids = ['sample-weather-data', 'table-group-summary', 'export-results', 'weather-summary-csv'];
  const entries = new Map(ids.map((id) => [id, entry(id, overrides[id] ?? systemSource(id))]));
  entries.set('outer', entry('outer', outer));
  return (id: string) => entries.get(id);
}

const graph: WorkflowGraph = {
  nodes: [
    { id: 'o', skillId: 'outer', label: 'Outer node', position: { x: 0, y: 0 }, inputs: {} },
    { id: 'e', skillId: 'export-results', label: '', position: { x: 0, y: 0 }, inputs: {} },
  ],
  edges: [{ id: 'oe', source: 'o', sourceHandle: 'content', target: 'e', targetHandle: 'data' }],
};

describe('a compound node’s signature', () => {
  it('changes when a skill inside it changes, nested or not, and downstream with it', () => {
    const before = nodeSignatures(graph, signatureSource(catalog()));
    const edited = systemSource('table-group-summary').replace('decimals', 'decimals ');
    const after = nodeSignatures(graph, signatureSource(catalog({ 'table-group-summary': edited })));
    expect(before.get('o')).toBeDefined();
    expect(after.get('o')).not.toBe(before.get('o'));
    expect(after.get('e')).not.toBe(before.get('e'));
  });

  it('is the skill’s own source for a skill that is not compound, and missing when an inner skill is', () => {
    const lookup = catalog();
    expect(signatureSource(lookup)('export-results')).toBe(lookup('export-results')?.source);
    const missing = signatureSource((id) => (id === 'export-results' ? undefined : lookup(id)));
    expect(missing('weather-summary-csv')).toBeUndefined();
    expect(nodeSignatures(graph, missing).get('o')).toBeUndefined();
  });
});

describe('inner nodes', () => {
  it('are told from canvas nodes by their path', () => {
    expect(isInnerNode('o/w/csv')).toBe(true);
    expect(isInnerNode('o')).toBe(false);
  });

  it('are found through nested compound skills, and named by label and path', () => {
    const lookup = catalog();
    const compound = (id: string) => {
      const skill = lookup(id)?.skill;
      return skill?.kind === 'compound' ? skill : undefined;
    };
    const csv = innerNode(graph, 'o/w/csv', compound);
    expect(csv).toMatchObject({ id: 'csv', skillId: 'export-results', label: 'CSV export' });
    expect(innerNodeName(csv, 'o/w/csv')).toBe('CSV export (o/w/csv)');
    expect(innerNode(graph, 'o/w/nothing', compound)).toBeUndefined();
    expect(innerNode(graph, 'e/x', compound)).toBeUndefined();
    expect(innerNodeName(undefined, 'o/x')).toBe('o/x');
  });
});
