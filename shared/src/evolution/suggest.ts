import { contentHash } from '../execution/hash';
import { ID_PATTERN } from '../rooms';
import type { InputPort, OutputPort } from '../skill/schema';
import { buildCompoundMarkdown, type CompoundInside } from '../skill/compound';
import { uniquePortName as unique } from '../skill/port-name';
import type { MinedPattern } from './mine';

/** What the library says of a skill: its name and typed ports. */
export interface SkillInfo {
  name: string;
  inputs: readonly InputPort[];
  outputs: readonly OutputPort[];
}

/** A mined pattern offered as a compound skill. */
export interface Suggestion {
  skill_id: string;
  name: string;
  support: number;
  /** The inner skills' ids, in run order. */
  skills: string[];
  inputs: InputPort[];
  outputs: OutputPort[];
  /** The compound skill file. */
  markdown: string;
  evidence: { runs: number; workflows: string[]; last_run: string };
  /** The pattern's canonical key: what a dismissal records. */
  key: string;
  inside: CompoundInside;
}

export interface SuggestOptions {
  /** The library: a skill's name and ports by id (unknown skills are named by id, with no ports). */
  skill: (skillId: string) => SkillInfo | undefined;
  windowDays: number;
  /** When it was mined (ISO). */
  minedAt: string;
}

const NAME_MAX = 100;
const COLUMN = 320;
const ROW = 160;

/** Node order along the edges (ties: canonical order), so names and ids read as the runs went. */
function runOrder(p: MinedPattern): number[] {
  const indegree = p.labels.map((_, v) => p.edges.filter((e) => e.target === v).length);
  const order: number[] = [];
  const ready = p.labels.map((_, v) => v).filter((v) => indegree[v] === 0);
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const v = ready.shift()!;
    order.push(v);
    for (const e of p.edges) if (e.source === v && --indegree[e.target]! === 0) ready.push(e.target);
  }
  // A cycle cannot come from a validated workflow; whatever is left keeps canonical order.
  for (let v = 0; v < p.labels.length; v++) if (!order.includes(v)) order.push(v);
  return order;
}

function nameOf(parts: string[]): string {
  const full = parts.join(' → ');
  if (full.length <= NAME_MAX) return full;
  const short = `${parts[0]} → … → ${parts.at(-1)}`;
  return short.length <= NAME_MAX ? short : `${short.slice(0, NAME_MAX - 1)}…`;
}

/**
 * Turns a mined pattern into a compound skill suggestion. Its inputs are the inner input ports no
 * inner edge feeds (typed, defaults kept); its outputs are the inner output ports no inner edge
 * consumes, so the compound gives everything the flat nodes gave that did not stay inside.
 */
export function suggestionOf(p: MinedPattern, o: SuggestOptions): Suggestion {
  const order = runOrder(p);
  const takenIds = new Set<string>();
  const ids = new Map<number, string>();
  for (const v of order) {
    const skillId = p.labels[v]!;
    const base = ID_PATTERN.test(skillId) && skillId.length <= 120 ? skillId : 'node';
    let id = base;
    for (let k = 2; takenIds.has(id); k++) id = `${base}-${k}`;
    takenIds.add(id);
    ids.set(v, id);
  }
  // Columns by longest path from a source, rows in run order within a column.
  const column = new Map<number, number>();
  for (const v of order) column.set(v, Math.max(0, ...p.edges.filter((e) => e.target === v).map((e) => (column.get(e.source) ?? 0) + 1)));
  const rows = new Map<number, number>();
  const nodes = order.map((v) => {
    const x = column.get(v)!;
    const y = rows.get(x) ?? 0;
    rows.set(x, y + 1);
    return { id: ids.get(v)!, skillId: p.labels[v]!, label: '', position: { x: x * COLUMN, y: y * ROW }, inputs: {} };
  });
  const edges = p.edges.map((e, i) => ({ id: `e${i + 1}`, source: ids.get(e.source)!, sourceHandle: e.sourceHandle, target: ids.get(e.target)!, targetHandle: e.targetHandle }));

  const inputs: InputPort[] = [];
  const outputs: OutputPort[] = [];
  const inside: CompoundInside = { nodes, edges, inputs: [], outputs: [] };
  const inNames = new Set<string>();
  const outNames = new Set<string>();
  for (const v of order) {
    const info = o.skill(p.labels[v]!);
    const node = ids.get(v)!;
    for (const port of info?.inputs ?? []) {
      if (edges.some((e) => e.target === node && e.targetHandle === port.name)) continue;
      const name = unique(port.name, inNames);
      inputs.push({ ...port, name });
      inside.inputs.push({ name, targets: [{ node, port: port.name }] });
    }
    for (const port of info?.outputs ?? []) {
      if (edges.some((e) => e.source === node && e.sourceHandle === port.name)) continue;
      const name = unique(port.name, outNames);
      outputs.push({ ...port, name });
      inside.outputs.push({ name, node, port: port.name });
    }
  }

  const skills = order.map((v) => p.labels[v]!);
  const name = nameOf(skills.map((s) => o.skill(s)?.name ?? s));
  const slug = skills.join('-').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+/, '').slice(0, 100);
  const skill_id = `${slug || 'compound'}-${contentHash(p.key).slice(0, 6)}`;
  const named = p.workflows.slice(0, 5).map((w) => `"${w.slice(0, 80)}"`);
  if (p.workflows.length > named.length) named.push(`${p.workflows.length - named.length} more`);
  const workflows = named.length > 0 ? ` in ${named.join(', ')}` : '';
  const description = `Mined from ${p.support} runs${workflows} in the last ${o.windowDays} days: ${skills.join(' → ')}.`;
  const derived_from = { skills, support: p.support, window_days: o.windowDays, mined_at: o.minedAt };
  return {
    skill_id,
    name,
    support: p.support,
    skills,
    inputs,
    outputs,
    markdown: buildCompoundMarkdown({ name, skillId: skill_id, description, inputs, outputs, derivedFrom: derived_from, inside }),
    evidence: { runs: p.support, workflows: p.workflows, last_run: p.lastRun },
    key: p.key,
    inside,
  };
}
