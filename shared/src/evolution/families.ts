import type { MinedRun } from './runs';

/** What a set of runs says for a pattern they contain: how many, of which workflows, when last. */
export interface Evidence {
  support: number;
  workflows: Set<string>;
  lastRun: number;
}

/** An edge of a family's union graph, between node indices, with its label's global id. */
export interface FamilyEdge {
  source: number;
  sourceHandle: string;
  target: number;
  targetHandle: string;
  label: number;
}

/**
 * The runs of one workflow over the union of their graphs: a node is a (node id, skill) pair, so
 * every run's graph is a set of the union's edges. Runs with the same edge set form one group;
 * each edge knows the groups that contain it as a bit set, so an edge set's runs are the AND of
 * its edges' sets. Mining enumerates each family's union graph once instead of every run's graph.
 */
export interface Family {
  /** The workflow its runs are of, when they name one. */
  workflow: string | undefined;
  /** Skill id of each node. */
  labels: string[];
  edges: FamilyEdge[];
  groups: Evidence[];
  /** Each group's edges (sorted indices). */
  groupEdges: number[][];
  /**
   * Groups whose edges are the whole graph of some run in them (no edge of that run was dropped)
   * and connected: that graph is a candidate pattern of its own, whatever its size.
   */
  whole: boolean[];
  /** Words per group bit set. */
  words: number;
  /** Edge → its groups' bit set (`words` words each, edge k at `k * words`). */
  groupBits: Uint32Array;
}

/** Edge labels as small integers, shared by all families so equal labels compare as equal ids. */
export class EdgeLabels {
  private readonly ids = new Map<string, number>();
  /** The label's id: (source skill, output port, input port, target skill). */
  id(sourceSkill: string, sourceHandle: string, targetHandle: string, targetSkill: string): number {
    const code = `${sourceSkill}\u0000${sourceHandle}\u0000${targetHandle}\u0000${targetSkill}`;
    let id = this.ids.get(code);
    if (id === undefined) this.ids.set(code, (id = this.ids.size));
    return id;
  }
}

/** Whether the chosen edges form one connected piece. */
function connected(edges: readonly FamilyEdge[], chosen: readonly number[]): boolean {
  const parent = new Map<number, number>();
  const root = (v: number): number => {
    let r = v;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(v, r);
    return r;
  };
  let pieces = 0;
  for (const k of chosen) {
    const { source, target } = edges[k]!;
    for (const v of [source, target]) {
      if (!parent.has(v)) {
        parent.set(v, v);
        pieces++;
      }
    }
    const a = root(source);
    const b = root(target);
    if (a !== b) {
      parent.set(a, b);
      pieces--;
    }
  }
  return pieces === 1;
}

/** Runs with their edges' label ids, and in how many runs each label is: read once, mined at several thresholds. */
export interface LabelledRuns {
  runs: readonly MinedRun[];
  labels: EdgeLabels;
  /** Per run, per edge, its label id. */
  runLabels: number[][];
  /** Label id → the runs that have it. */
  labelRuns: Map<number, number>;
}

/** Labels every run's edges. */
export function labelRuns(runs: readonly MinedRun[]): LabelledRuns {
  const labels = new EdgeLabels();
  const runLabels = runs.map((run) => run.edges.map((e) => labels.id(run.skills.get(e.source)!, e.sourceHandle, e.targetHandle, run.skills.get(e.target)!)));
  const counts = new Map<number, number>();
  for (const ids of runLabels) for (const id of new Set(ids)) counts.set(id, (counts.get(id) ?? 0) + 1);
  return { runs, labels, runLabels, labelRuns: counts };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Families of runs: by workflow, or, for runs naming none, by identical graph. Edges whose label
 * is in fewer than `minSupport` runs are dropped first (no frequent pattern contains one), and
 * runs left without edges are left out. Families come in a fixed order (by their key) so mining
 * does not depend on the order the traces were read in.
 */
export function familiesOf(labelled: LabelledRuns, minSupport: number): Family[] {
  const { runs, runLabels, labelRuns } = labelled;
  interface Building {
    workflow: string | undefined;
    nodes: Map<string, number>;
    labels: string[];
    edgeIndex: Map<string, number>;
    edges: FamilyEdge[];
    groupIndex: Map<string, number>;
    groups: Evidence[];
    groupEdges: number[][];
    whole: boolean[];
  }
  const building = new Map<string, Building>();
  runs.forEach((run, r) => {
    const keptAt = run.edges.flatMap((_, k) => (labelRuns.get(runLabels[r]![k]!)! >= minSupport ? [k] : []));
    const kept = keptAt.map((k) => run.edges[k]!);
    if (kept.length === 0) return;
    const familyKey = run.workflow !== undefined ? `w\u0000${run.workflow}` : `g\u0000${JSON.stringify(kept.map((e) => [e.source, e.sourceHandle, e.target, e.targetHandle, run.skills.get(e.source), run.skills.get(e.target)]).sort())}`;
    let f = building.get(familyKey);
    if (!f) building.set(familyKey, (f = { workflow: run.workflow, nodes: new Map(), labels: [], edgeIndex: new Map(), edges: [], groupIndex: new Map(), groups: [], groupEdges: [], whole: [] }));
    const fam = f;
    const node = (id: string): number => {
      const skill = run.skills.get(id)!;
      const code = `${id}\u0000${skill}`;
      let v = fam.nodes.get(code);
      if (v === undefined) {
        fam.nodes.set(code, (v = fam.labels.length));
        fam.labels.push(skill);
      }
      return v;
    };
    const ids = keptAt.map((at) => {
      const e = run.edges[at]!;
      const source = node(e.source);
      const target = node(e.target);
      const code = `${source}\u0000${target}\u0000${e.sourceHandle}\u0000${e.targetHandle}`;
      let k = fam.edgeIndex.get(code);
      if (k === undefined) {
        fam.edgeIndex.set(code, (k = fam.edges.length));
        fam.edges.push({ source, sourceHandle: e.sourceHandle, target, targetHandle: e.targetHandle, label: runLabels[r]![at]! });
      }
      return k;
    });
    ids.sort((a, b) => a - b);
    const signature = ids.join(',');
    let g = fam.groupIndex.get(signature);
    if (g === undefined) {
      fam.groupIndex.set(signature, (g = fam.groups.length));
      fam.groups.push({ support: 0, workflows: new Set(), lastRun: 0 });
      fam.groupEdges.push(ids);
      fam.whole.push(false);
    }
    if (kept.length === run.edges.length) fam.whole[g] = true;
    const evidence = fam.groups[g]!;
    evidence.support++;
    if (run.workflow !== undefined) evidence.workflows.add(run.workflow);
    evidence.lastRun = Math.max(evidence.lastRun, run.startedAt);
  });

  return [...building]
    .sort(([a], [b]) => compare(a, b))
    .map(([, f]) => {
      const words = Math.ceil(f.groups.length / 32);
      const groupBits = new Uint32Array(f.edges.length * words);
      f.groupEdges.forEach((ids, g) => {
        for (const k of ids) groupBits[k * words + (g >>> 5)]! |= 1 << (g & 31);
      });
      const whole = f.whole.map((complete, g) => complete && connected(f.edges, f.groupEdges[g]!));
      return { workflow: f.workflow, labels: f.labels, edges: f.edges, groups: f.groups, groupEdges: f.groupEdges, whole, words, groupBits };
    });
}
