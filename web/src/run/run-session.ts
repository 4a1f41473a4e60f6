import type { Awareness } from 'y-protocols/awareness';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { NodeState, NodeStatus, ResolvedSkill, RunReport, RunRequest } from '../../../shared/src/execution/types';
import type { WorkflowIssue } from '../../../shared/src/workflow/validate';
import type { CatalogEntry } from '../documents/catalog';
import type { RoomSet } from '../documents/rooms';
import { browserRuntimes } from '../runtimes/browser-runtimes';
import { disposeStage } from '../runtimes/threejs-stages';
import { loadNodes, resultCache, saveNode, saveTrace } from './run-store';
import { attachTraceToCurrentSession } from './session-trace';
import { isStale } from './signatures';

/** What a node shows about running: its last state here, and whether that result is stale. */
export interface NodeRun {
  state?: NodeState;
  /** When it started running (for a live timer). */
  startedAt?: number;
  /** A result exists but the node, its skill or something upstream changed since. */
  stale: boolean;
  /** Collaborators' states of this node, from awareness. */
  remote: Array<{ name: string; color: string; status: NodeStatus }>;
  /** Whether its result panel is open. */
  open: boolean;
}

/** The run as a whole, for the toolbar. */
export interface RunSummary {
  running: boolean;
  /** Problems that kept the last run from starting. */
  issues: WorkflowIssue[];
  /** The run itself failed (not a node: the executor). */
  error?: string;
  report?: Pick<RunReport, 'ok' | 'trace'>;
}

/** What a run is made of: the workflow and where its skills come from. */
export interface RunSource {
  graph: WorkflowGraph;
  entry: (skillId: string) => CatalogEntry | undefined;
}

/** A collaborator's published run states. */
export interface RemoteRun {
  name: string;
  color: string;
  run: Record<string, NodeStatus>;
}

const KEPT: readonly NodeStatus[] = ['done', 'cached', 'error'];

/**
 * Runs one workflow from the canvas and remembers what its nodes did: states live during a run
 * (published to collaborators through awareness), last results from IndexedDB, staleness from
 * node signatures. Node views subscribe to their own node only.
 */
export class RunSession {
  private states = new Map<string, NodeState>();
  private resultSignatures = new Map<string, string | undefined>();
  private started = new Map<string, number>();
  private signatures = new Map<string, string>();
  private remote: RemoteRun[] = [];
  private controller: AbortController | null = null;
  private summary: RunSummary = { running: false, issues: [] };
  private listeners = new Map<string, Set<() => void>>();
  /** The node the executor set running last: a runtime call for it follows synchronously. */
  private starting: string | null = null;
  private published: Record<string, NodeStatus> = {};
  private open = new Set<string>();
  /** Nodes whose panel opens by itself when they finish: the run's last nodes and 3D views. */
  private showWhenDone = new Set<string>();
  private disposed = false;
  private source: (() => RunSource) | null = null;

  constructor(
    /** The workflow's room name (also the trace's `workflow`). */
    readonly room: string,
    /** The app's rooms, where a run's trace is written to the current session. */
    private readonly rooms: RoomSet,
    private readonly awareness?: Awareness,
  ) {
    void loadNodes(room).then((saved) => {
      if (this.disposed) return;
      for (const [id, s] of saved) {
        if (this.states.has(id)) continue;
        this.states.set(id, s.state);
        this.resultSignatures.set(id, s.signature);
        this.emit(id);
      }
    }).catch(() => undefined);
  }

  /** A node's run view. */
  node(id: string): NodeRun {
    const state = this.states.get(id);
    const settled = state && KEPT.includes(state.status);
    return {
      state,
      startedAt: this.started.get(id),
      stale: Boolean(settled) && isStale(this.resultSignatures.get(id), this.signatures.get(id)),
      remote: this.remote.flatMap((p) => (p.run[id] ? [{ name: p.name, color: p.color, status: p.run[id] }] : [])),
      open: this.open.has(id),
    };
  }

  /** Opens or closes a node's result panel. */
  setOpen(id: string, open: boolean): void {
    if (open === this.open.has(id)) return;
    if (open) this.open.add(id);
    else this.open.delete(id);
    this.emit(id);
  }

  getSummary = (): RunSummary => this.summary;

  /** Listens to one node (`'*'`: the run summary). */
  subscribe(id: string, listener: () => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(id: string): void {
    for (const l of this.listeners.get(id) ?? []) l();
  }

  /** The current signature of every node (recomputed by the canvas as the workflow changes). */
  setSignatures(next: Map<string, string>): void {
    const before = this.signatures;
    this.signatures = next;
    for (const id of new Set([...before.keys(), ...next.keys()])) if (before.get(id) !== next.get(id)) this.emit(id);
  }

  /** Collaborators' run states; nodes whose remote states changed re-render. */
  setRemote(next: RemoteRun[]): void {
    const key = (runs: RemoteRun[], id: string) => JSON.stringify(runs.map((p) => [p.name, p.run[id]]));
    const before = this.remote;
    this.remote = next;
    const ids = new Set([...before, ...next].flatMap((p) => Object.keys(p.run)));
    for (const id of ids) if (key(before, id) !== key(next, id)) this.emit(id);
  }

  /** Where `requestRun` gets the workflow and skills from: the canvas's current ones. */
  setSource(source: () => RunSource): void {
    this.source = source;
  }

  /** The skill type of a node, from the current workflow and catalog. */
  skillTypeOf(id: string): string | undefined {
    const source = this.source?.();
    const node = source?.graph.nodes.find((n) => n.id === id);
    return node ? source?.entry(node.skillId)?.skill?.frontmatter.type : undefined;
  }

  /** Runs the current workflow (or `targets` and what they need); ignored while a run is on. */
  requestRun(targets?: string[]): void {
    const source = this.source?.();
    if (source) void this.run(source.graph, source.entry, targets);
  }

  get running(): boolean {
    return this.controller !== null;
  }

  /**
   * Runs the workflow, or only `targets` and what they need. Unchanged nodes come from the
   * result cache ("cached"), so this runs exactly what is stale.
   */
  async run(graph: WorkflowGraph, entry: (skillId: string) => CatalogEntry | undefined, targets?: string[]): Promise<void> {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    const signatures = new Map(this.signatures);
    const inGraph = new Set(graph.nodes.map((n) => n.id));
    this.published = Object.fromEntries(Object.entries(this.published).filter(([id]) => inGraph.has(id)));
    const feeding = new Set(graph.edges.map((e) => e.source));
    this.showWhenDone = new Set(
      graph.nodes.filter((n) => !feeding.has(n.id) || targets?.includes(n.id) || entry(n.skillId)?.skill?.frontmatter.type === 'threejs').map((n) => n.id),
    );
    this.setSummary({ running: true, issues: [] });
    let error: string | undefined;
    const report = await runWorkflow({
      graph,
      resolve: (skillId) => resolveForBrowser(entry(skillId)),
      library: (skillId) => entry(skillId)?.skill?.frontmatter,
      runtimes: browserRuntimes((request) => this.viewportKey(request)),
      cache: resultCache,
      targets,
      signal: controller.signal,
      workflow: this.room,
      newId: () => crypto.randomUUID(),
      onState: (id, state) => this.onState(id, state, signatures.get(id)),
    }).catch((e: unknown): RunReport => {
      // The executor reports node failures in states; reaching here is a bug, shown as one.
      error = e instanceof Error ? e.message : String(e);
      return { ok: false, issues: [], nodes: {}, trace: { id: crypto.randomUUID(), workflow: this.room, startedAt: new Date().toISOString(), durationMs: 0, status: 'error', nodes: [] } };
    });
    this.controller = null;
    if (report.issues.length === 0) {
      void saveTrace(report.trace).catch(() => undefined);
      void attachTraceToCurrentSession(this.rooms, report.trace, this.room).catch(() => undefined);
    }
    this.setSummary({ running: false, issues: report.issues, error, report: { ok: report.ok, trace: report.trace } });
  }

  /** Stops the run: running workers are terminated, queued nodes never start. */
  cancel(): void {
    this.controller?.abort(new DOMException('cancelled', 'AbortError'));
  }

  /** Closes the workflow: stops its run and its 3D viewports, and leaves awareness. */
  dispose(): void {
    this.disposed = true;
    this.cancel();
    for (const id of this.states.keys()) disposeStage(`${this.room}/${id}`);
    this.awareness?.setLocalStateField('run', null);
  }

  private onState(id: string, state: NodeState, signature: string | undefined): void {
    const previous = this.states.get(id)?.status;
    if (state.status === 'running' && previous !== 'running') {
      this.starting = id;
      this.started.set(id, Date.now());
    }
    this.states.set(id, state);
    if (KEPT.includes(state.status)) {
      if (previous !== state.status && (state.status === 'error' || this.showWhenDone.has(id))) this.open.add(id);
      this.resultSignatures.set(id, signature);
      if (!this.disposed) void saveNode(this.room, id, { state, signature, at: Date.now() }).catch(() => undefined);
    }
    if (state.status === 'queued') this.resultSignatures.delete(id);
    this.emit(id);
    if (previous !== state.status) this.publish(id, state.status);
  }

  /** Shares node states with the room; only status changes, never stdout or outputs. */
  private publish(id: string, status: NodeStatus): void {
    if (!this.awareness) return;
    this.published = { ...this.published, [id]: status };
    this.awareness.setLocalStateField('run', this.published);
  }

  /**
   * The 3D viewport a Three.js run draws into. RunRequest does not name the node, but the
   * executor calls the runtime synchronously right after reporting the node "running", so the
   * node it started last is the one. (A `nodeId` on the request, if the executor adds one, wins.)
   */
  private viewportKey(request: RunRequest & { nodeId?: string }): string {
    const id = request.nodeId ?? this.starting ?? request.skill.frontmatter.skill_id;
    this.starting = null;
    return `${this.room}/${id}`;
  }

  private setSummary(next: RunSummary): void {
    this.summary = next;
    this.emit('*');
  }
}

/**
 * The skill as the executor should run it. A Three.js skill draws into a viewport, which a
 * cached result cannot bring back, so it always runs (as if `deterministic: false`).
 */
export function resolveForBrowser(entry: CatalogEntry | undefined): ResolvedSkill | undefined {
  if (entry?.skill?.kind !== 'runnable') return undefined;
  const { skill, source } = entry;
  if (skill.frontmatter.type !== 'threejs') return { skill, source };
  return { skill: { ...skill, frontmatter: { ...skill.frontmatter, deterministic: false } }, source };
}
