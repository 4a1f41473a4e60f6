import type { Awareness } from 'y-protocols/awareness';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { NodeState, NodeStatus, ResolvedSkill, RunReport, RunRequest, Runtime, Runtimes } from '../../../shared/src/execution/types';
import type { CompoundSkill } from '../../../shared/src/skill/parse';
import type { WorkflowIssue } from '../../../shared/src/workflow/validate';
import type { CatalogEntry } from '../documents/catalog';
import type { RoomSet } from '../documents/rooms';
import { browserRuntimes, preloadPython, pythonEngine } from '../runtimes/browser-runtimes';
import { disposeStage } from '../runtimes/threejs-stages';
import type { EngineState } from '../runtimes/worker-host';
import { innerNode, isInnerNode } from './inner-node';
import { remoteKind, shownKinds, type NodeFacts, type ShownKind, type StaleReason } from './node-state';
import { recordRun } from './run-history';
import { cancelQueuedRun, enqueueRun, queuedRuns, restoreQueuedRun, takeNextRun, type QueuedRun } from './run-queue';
import { literalInputs, withInputs, type NodeInputs } from './run-record';
import { loadNodes, resultCache, saveNode, saveTrace } from './run-store';
import { attachTraceToCurrentSession } from './session-trace';

/** What a node shows about running: its one state (see node-state.ts) and what that state needs. */
export interface NodeRun {
  state?: NodeState;
  kind: ShownKind;
  /** Why it is out of date, when it is. */
  reason?: StaleReason;
  /** When its code started (or, before that, its run did), for a live timer. */
  startedAt?: number;
  /** How far Python has loaded, while the node waits for it. */
  engine?: EngineState;
  /** Collaborators' states of this node, from awareness, as this person should read them. */
  remote: Array<{ name: string; color: string; kind: ShownKind; progress?: CompoundProgress }>;
}

/** How far a compound node's run is: inner nodes done of all, and the paths of those running. */
export type CompoundProgress = NonNullable<NodeState['progress']>;

/** The run as a whole, for the toolbar. */
export interface RunSummary {
  running: boolean;
  /** Problems that kept the last run from starting. */
  issues: WorkflowIssue[];
  /** The run itself failed (not a node: the executor). */
  error?: string;
  /** Run was pressed on a workflow with no nodes. */
  empty?: boolean;
  report?: Pick<RunReport, 'ok' | 'trace'>;
}

/** What a run is made of: the workflow and where its skills come from. */
export interface RunSource {
  graph: WorkflowGraph;
  entry: (skillId: string) => CatalogEntry | undefined;
  /** Resolves once the skills of a graph's nodes are here (or will not come): a queued run waits for it. */
  whenReady?: (graph: WorkflowGraph) => Promise<void>;
  /** Node signatures of another graph (a queued run's inputs); the canvas's own are `setSignatures`'. */
  signatures?: (graph: WorkflowGraph) => Map<string, string>;
}

/** What to run: only `targets` (and what they need) when given; with these literal inputs when given, else the canvas's. */
export interface RunAsk {
  targets?: string[];
  inputs?: NodeInputs;
  /** What asked ("run", "node", "again"), kept in the run's record. */
  trigger?: string;
}

/** A collaborator's published run states. */
export interface RemoteRun {
  /** Their awareness client, whose `runSignatures` say what each state was made under. */
  clientId?: number;
  name: string;
  color: string;
  run: Record<string, NodeStatus>;
}

const KEPT: readonly NodeStatus[] = ['done', 'cached', 'error'];
/** The awareness field next to `run`: the signature each published node state was made under. */
const SIGNATURES_FIELD = 'runSignatures';
/** The awareness field next to `run`: each running compound node's progress. */
const PROGRESS_FIELD = 'runProgress';
/** How a compound node's error names its failed inner node: `inner node <path> (<skill>) failed: …`. */
const INNER_FAILURE = /^inner node (\S+) \(([^)]*)\) failed: /;
/** Awareness goes to everyone on every change: a compound's published progress names a few running inner nodes at most. */
const PUBLISHED_RUNNING = 3;
const PUBLISHED_PATH = 200;
/** The listener key of the queue (not a node id: ids never hold "*"). */
export const QUEUE = '*queue';
/** Skill types that run in Python, whose nodes make the page load Pyodide ahead of a run. */
const PYTHON_TYPES: readonly string[] = ['python', 'qiskit'];

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
  /** Collaborators' signatures, per client, node id → signature of their published state. */
  private remoteSignatures = new Map<number, Record<string, string>>();
  /** Nodes whose code started running in the current run (their runtime had loaded). */
  private codeStarted = new Map<string, number>();
  /** Nodes handed to the Python runtime in the current run (they may wait for it to load). */
  private inPython = new Set<string>();
  private kinds = new Map<string, { kind: ShownKind; reason?: StaleReason }>();
  private edges: ReadonlyArray<{ source: string; target: string }> = [];
  /** The node that finished last (an error wins over later successes of the same run). */
  private last: { id: string; error: boolean } | null = null;
  private preloaded = false;
  private readonly stopEngineWatch: () => void;
  private controller: AbortController | null = null;
  private summary: RunSummary = { running: false, issues: [] };
  private listeners = new Map<string, Set<() => void>>();
  /** The node the executor set running last: a runtime call for it follows synchronously. */
  private starting: string | null = null;
  private published: Record<string, NodeStatus> = {};
  private publishedSignatures: Record<string, string> = {};
  private publishedProgress: Record<string, CompoundProgress> = {};
  /** Collaborators' compound progress, per client, node id → progress. */
  private remoteProgress = new Map<number, Record<string, CompoundProgress>>();
  private disposed = false;
  private source: (() => RunSource) | null = null;
  /** This workflow's runs waiting in this browser's queue (run-queue.ts), first first. */
  private queue: QueuedRun[] = [];
  /** Set while the next queued run is being taken, so two never start at once. */
  private draining = false;

  constructor(
    /** The workflow's room name (also the trace's `workflow`). */
    readonly room: string,
    /** The app's rooms, where a run's trace is written to the current session. */
    private readonly rooms: RoomSet,
    private readonly awareness?: Awareness,
  ) {
    // Runs asked for before a reload are still waiting: show them, and start them once the canvas gives the workflow.
    void this.refreshQueue().then(() => this.drain());
    void loadNodes(room).then((saved) => {
      if (this.disposed) return;
      let newest: { id: string; at: number } | null = null;
      for (const [id, s] of saved) {
        if (this.states.has(id) || isInnerNode(id)) continue;
        this.states.set(id, s.state);
        this.resultSignatures.set(id, s.signature);
        if (!newest || s.at > newest.at) newest = { id, at: s.at };
      }
      // Reopened, the dock shows the result made last, unless a run here already finished one.
      if (newest && !this.last) this.setLast(newest.id, false);
      this.refresh(saved.keys());
    }).catch(() => undefined);
    // A node waiting for Python shows how far it has loaded.
    this.stopEngineWatch = pythonEngine.subscribe(() => this.refresh([...this.inPython].filter((id) => !this.codeStarted.has(id))));
  }

  /** A node's run view. */
  node(id: string): NodeRun {
    const state = this.states.get(id);
    const shown = this.kinds.get(id) ?? { kind: 'none' as const };
    const waiting = state?.status === 'running' && !this.codeStarted.has(id);
    return {
      state,
      ...shown,
      startedAt: this.codeStarted.get(id) ?? this.started.get(id),
      ...(waiting && shown.kind === 'loading' ? { engine: pythonEngine.get() } : {}),
      remote: this.remote.flatMap((p) => {
        const status = p.run[id];
        if (!status) return [];
        const signature = p.clientId === undefined ? undefined : this.remoteSignatures.get(p.clientId)?.[id];
        const progress = p.clientId === undefined ? undefined : this.remoteProgress.get(p.clientId)?.[id];
        return [{ name: p.name, color: p.color, kind: remoteKind({ state: status, signature }, this.signatures.get(id)), ...(progress ? { progress } : {}) }];
      }),
    };
  }

  /**
   * The node whose results the dock shows when none is selected: the one that finished last (a
   * failure of the latest run before later successes), or none yet.
   */
  lastFinished(): string | null {
    return this.last?.id ?? null;
  }

  /** A node's name on the canvas: its label, else its skill. */
  nodeName(id: string): string {
    const node = this.source?.().graph.nodes.find((n) => n.id === id);
    return node?.label || node?.skillId || id;
  }

  /** The skill a node runs, if the node is in the workflow. */
  skillIdOf(id: string): string | undefined {
    return this.source?.().graph.nodes.find((n) => n.id === id)?.skillId;
  }

  /** An inner node of a compound node (`<node>/<inner>`), as the workflow's compound skills hold it now. */
  innerNode(path: string) {
    const source = this.source?.();
    return source && innerNode(source.graph, path, (skillId) => compoundOf(source.entry(skillId)));
  }

  /**
   * The inner node whose failure failed compound node `id` (the innermost, when compounds nest):
   * its path and skill, so the dock names it and links its lines to that skill's file.
   */
  failedInner(id: string): { path: string; skillId: string | undefined } | undefined {
    let found: string | undefined;
    for (const [path, state] of this.states) {
      if (path.startsWith(`${id}/`) && state.status === 'error' && !state.progress && (!found || path.length > found.length)) found = path;
    }
    if (found !== undefined) return { path: found, skillId: this.innerNode(found)?.skillId };
    // Reopened, only the compound node's state is kept: its error names the inner node (compound-state.ts).
    const named = INNER_FAILURE.exec(this.states.get(id)?.error ?? '');
    return named?.[1] && named[1].startsWith(`${id}/`) ? { path: named[1], skillId: named[2] } : undefined;
  }

  getSummary = (): RunSummary => this.summary;

  /** Listens to one node (`'*'`: the run summary; `QUEUE`: the queue). */
  subscribe(id: string, listener: () => void): () => void {
    let set = this.listeners.get(id);
    if (!set) this.listeners.set(id, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private emit(id: string): void {
    for (const l of this.listeners.get(id) ?? []) l();
  }

  /**
   * The current signature of every node (recomputed by the canvas as the workflow changes). The
   * first time the workflow shows a Python node, Python starts loading in the background.
   */
  setSignatures(next: Map<string, string>): void {
    const before = this.signatures;
    this.signatures = next;
    this.edges = this.source?.().graph.edges ?? [];
    this.refresh(new Set([...before.keys(), ...next.keys()].filter((id) => before.get(id) !== next.get(id))));
    this.preloadPython();
  }

  /** Collaborators' run states; nodes whose remote states changed re-render. */
  setRemote(next: RemoteRun[]): void {
    const signaturesOf = (p: RemoteRun) => (p.clientId === undefined ? undefined : this.remoteSignatures.get(p.clientId));
    const progressOf = (p: RemoteRun) => (p.clientId === undefined ? undefined : this.remoteProgress.get(p.clientId));
    const key = (runs: RemoteRun[], id: string) => JSON.stringify(runs.map((p) => [p.name, p.run[id], signaturesOf(p)?.[id], progressOf(p)?.[id]]));
    const ids = new Set([...this.remote, ...next].flatMap((p) => Object.keys(p.run)));
    const beforeKeys = new Map([...ids].map((id) => [id, key(this.remote, id)]));
    this.remote = next;
    this.remoteSignatures = new Map(next.flatMap((p) => (p.clientId === undefined ? [] : [[p.clientId, this.readSignatures(p.clientId)] as const])));
    this.remoteProgress = new Map(next.flatMap((p) => (p.clientId === undefined ? [] : [[p.clientId, this.readProgress(p.clientId)] as const])));
    for (const id of ids) if (beforeKeys.get(id) !== key(next, id)) this.emit(id);
  }

  /** A collaborator's published signatures (another client's data: only well-formed entries). */
  private readSignatures(clientId: number): Record<string, string> {
    const value = this.awareness?.getStates().get(clientId)?.[SIGNATURES_FIELD] as unknown;
    if (!value || typeof value !== 'object') return {};
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  /** A collaborator's published compound progress (another client's data: only well-formed, bounded entries). */
  private readProgress(clientId: number): Record<string, CompoundProgress> {
    const value = this.awareness?.getStates().get(clientId)?.[PROGRESS_FIELD] as unknown;
    if (!value || typeof value !== 'object') return {};
    const out: Record<string, CompoundProgress> = {};
    for (const [id, p] of Object.entries(value as Record<string, unknown>)) {
      const { done, total, running } = (p ?? {}) as Partial<Record<keyof CompoundProgress, unknown>>;
      if (!Number.isInteger(done) || !Number.isInteger(total) || !Array.isArray(running)) continue;
      const paths = running.filter((r): r is string => typeof r === 'string').slice(0, PUBLISHED_RUNNING).map((r) => r.slice(0, PUBLISHED_PATH));
      out[id] = { done: done as number, total: total as number, running: paths };
    }
    return out;
  }

  /** Loads Python after the canvas has painted, once, when the workflow has a Python node. */
  private preloadPython(): void {
    if (this.preloaded || this.disposed) return;
    const source = this.source?.();
    if (!source?.graph.nodes.some((n) => runsPython(n.skillId, source.entry))) return;
    this.preloaded = true;
    const idle = (globalThis as { requestIdleCallback?: (f: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
    const start = () => {
      if (!this.disposed) preloadPython();
    };
    if (idle) idle(start, { timeout: 2000 });
    else setTimeout(start, 500);
  }

  /** Re-derives every node's shown state; re-renders the nodes in `changed` and those whose state moved. */
  private refresh(changed: Iterable<string>): void {
    const facts = new Map<string, NodeFacts>();
    for (const id of new Set([...this.states.keys(), ...this.signatures.keys()])) {
      const state = this.states.get(id);
      facts.set(id, {
        state: state?.status,
        resultSignature: this.resultSignatures.get(id),
        signature: this.signatures.get(id),
        ...(state?.status === 'running' && this.inPython.has(id) && !this.codeStarted.has(id) ? { runtime: pythonEngine.get().phase === 'ready' ? 'waiting' : 'loading' } : {}),
      });
    }
    const before = this.kinds;
    this.kinds = shownKinds(facts, this.edges);
    const ids = new Set(changed);
    for (const [id, shown] of this.kinds) {
      const was = before.get(id);
      if (was?.kind !== shown.kind || was?.reason !== shown.reason) ids.add(id);
    }
    for (const id of ids) this.emit(id);
  }

  private setLast(id: string, error: boolean): void {
    if (this.last?.id === id && this.last.error === error) return;
    this.last = { id, error };
    this.emit('*');
  }

  /** Where `requestRun` gets the workflow and skills from: the canvas's current ones. */
  setSource(source: () => RunSource): void {
    this.source = source;
    void this.drain();
  }

  /** The skill type of a node, from the current workflow and catalog. */
  skillTypeOf(id: string): string | undefined {
    return this.skillOf(id)?.frontmatter.type;
  }

  /** The code of a node's skill (an ngspice netlist tells its plot which output is swept). */
  skillCodeOf(id: string): string | undefined {
    const skill = this.skillOf(id);
    return skill?.kind === 'runnable' ? skill.code : undefined;
  }

  private skillOf(id: string) {
    const source = this.source?.();
    const node = source?.graph.nodes.find((n) => n.id === id);
    return node ? source?.entry(node.skillId)?.skill : undefined;
  }

  /**
   * Runs the current workflow (or `targets` and what they need). Asked for while a run is on (or
   * while runs wait), it joins this browser's queue with the inputs the canvas has now, and runs
   * with those when its turn comes.
   */
  requestRun(targets?: string[], ask: Omit<RunAsk, 'targets'> = {}): void {
    const source = this.source?.();
    if (!source) return;
    if (source.graph.nodes.length === 0) return this.setSummary({ running: false, issues: [], empty: true });
    const trigger = ask.trigger ?? (targets ? 'node' : 'run');
    if (this.controller || this.queue.length > 0 || this.draining) {
      const inputs = ask.inputs ? { ...literalInputs(source.graph), ...ask.inputs } : literalInputs(source.graph);
      void enqueueRun({ room: this.room, trigger, inputs, ...(targets ? { targets } : {}) })
        .then(() => this.refreshQueue())
        .then(() => this.drain())
        .catch(() => undefined);
      return;
    }
    void this.run(source.graph, source.entry, { targets, inputs: ask.inputs, trigger });
  }

  /** This workflow's runs waiting in this browser, first first. */
  getQueue = (): readonly QueuedRun[] => this.queue;

  /** Takes a waiting run out of the queue before it starts. */
  async cancelQueued(id: string): Promise<void> {
    await cancelQueuedRun(id);
    await this.refreshQueue();
  }

  private async refreshQueue(): Promise<void> {
    const next = await queuedRuns(this.room).catch(() => this.queue);
    if (this.disposed) return;
    this.queue = next;
    this.emit(QUEUE);
  }

  /** Starts the first waiting run, when nothing runs and the canvas has given the workflow. */
  private async drain(): Promise<void> {
    if (this.controller || this.draining || this.disposed || !this.source) return;
    this.draining = true;
    let next: QueuedRun | null = null;
    try {
      if ((await queuedRuns(this.room)).length === 0) return;
      // After a reload the skills come a moment after the workflow: a queued run started
      // before they are here would fail to validate and be lost.
      const { graph, whenReady } = this.source();
      await whenReady?.(graph).catch(() => undefined);
      next = await takeNextRun(this.room);
    } catch {
      // The queue's store is unavailable: nothing is taken, the runs wait on.
    } finally {
      this.draining = false;
    }
    await this.refreshQueue();
    if (!next) return;
    if (this.disposed || this.controller) {
      // Closed (or a run started) meanwhile: the run waits on, in its place.
      await restoreQueuedRun(next).catch(() => undefined);
      return this.refreshQueue();
    }
    const source = this.source();
    void this.run(source.graph, source.entry, { targets: next.targets, inputs: next.inputs, trigger: next.trigger });
  }

  get running(): boolean {
    return this.controller !== null;
  }

  /**
   * Runs the workflow, or only `targets` and what they need. Unchanged nodes come from the
   * result cache ("cached"), so this runs exactly what is stale.
   */
  async run(current: WorkflowGraph, entry: (skillId: string) => CatalogEntry | undefined, ask: RunAsk = {}): Promise<void> {
    if (this.controller) return;
    const { targets } = ask;
    const controller = new AbortController();
    this.controller = controller;
    const startedAt = Date.now();
    // A queued run (or a run again) uses the inputs it was asked with; its results are shown
    // under the signatures of those inputs, so they read as out of date if the canvas moved on.
    const graph = ask.inputs ? withInputs(current, ask.inputs) : current;
    const signatures = ask.inputs ? (this.source?.().signatures?.(graph) ?? new Map<string, string>()) : new Map(this.signatures);
    const inGraph = new Set(graph.nodes.map((n) => n.id));
    this.published = Object.fromEntries(Object.entries(this.published).filter(([id]) => inGraph.has(id)));
    this.publishedSignatures = Object.fromEntries(Object.entries(this.publishedSignatures).filter(([id]) => inGraph.has(id)));
    this.publishedProgress = {};
    this.codeStarted.clear();
    this.inPython.clear();
    if (this.last) this.last = { ...this.last, error: false };
    this.setSummary({ running: true, issues: [] });
    let error: string | undefined;
    const report = await runWorkflow({
      graph,
      resolve: (skillId) => resolveForBrowser(entry(skillId)),
      library: (skillId) => entry(skillId)?.skill?.frontmatter,
      compounds: (skillId) => compoundOf(entry(skillId)),
      runtimes: this.watchStarts(browserRuntimes((request) => this.viewportKey(request))),
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
      if (error === undefined) {
        const facts = { workflowRoom: this.room, startedAt, trigger: ask.trigger ?? 'run', resolve: (skillId: string) => resolveForBrowser(entry(skillId)), shownState: (id: string) => this.states.get(id) };
        void recordRun(this.rooms, report, graph, facts).catch(() => undefined);
      }
    }
    this.setSummary({ running: false, issues: report.issues, error, report: { ok: report.ok, trace: report.trace } });
    void this.drain();
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
    this.stopEngineWatch();
    this.awareness?.setLocalStateField(SIGNATURES_FIELD, null);
    this.awareness?.setLocalStateField(PROGRESS_FIELD, null);
    this.awareness?.setLocalStateField('run', null);
  }

  /**
   * The runtimes, telling this session when each node's code starts: until then a Python node
   * is loading Python, and its timer counts from its code's start.
   */
  private watchStarts(runtimes: Runtimes): Runtimes {
    const watched: Runtimes = {};
    for (const [type, runtime] of Object.entries(runtimes) as Array<[keyof Runtimes, Runtime]>) {
      watched[type] = {
        run: (request) => {
          // The executor calls the runtime right after reporting the node running (see viewportKey).
          const id = this.starting;
          if (id && type === 'python') {
            this.inPython.add(id);
            this.refresh([id]);
          }
          return runtime.run({
            ...request,
            onStart: () => {
              if (id) {
                this.codeStarted.set(id, Date.now());
                this.refresh([id]);
              }
              request.onStart?.();
            },
          });
        },
      };
    }
    return watched;
  }

  private onState(id: string, reported: NodeState, signature: string | undefined): void {
    const previous = this.states.get(id)?.status;
    // A node's time is its code's, from when its runtime was ready (loading Python is not its time).
    const codeStart = this.codeStarted.get(id);
    const state = codeStart !== undefined && reported.durationMs !== undefined && KEPT.includes(reported.status) ? { ...reported, durationMs: Date.now() - codeStart } : reported;
    if (state.status === 'running' && previous !== 'running') {
      // A compound node's state follows its inner node's, before the runtime call for that inner node.
      if (!state.progress) this.starting = id;
      this.started.set(id, Date.now());
    }
    this.states.set(id, state);
    // Inner nodes of a compound node are not canvas nodes: their states serve this session (the
    // dock names a failed one) and the compound node carries their result, kept and shared.
    const inner = isInnerNode(id);
    if (KEPT.includes(state.status) && !inner) {
      this.resultSignatures.set(id, signature);
      if (previous !== state.status && (state.status === 'error' || !this.last?.error)) this.setLast(id, state.status === 'error');
      if (!this.disposed) void saveNode(this.room, id, { state, signature, at: Date.now() }).catch(() => undefined);
    }
    if (state.status === 'queued') this.resultSignatures.delete(id);
    this.refresh([id]);
    if (inner) return;
    if (state.progress) this.publishProgress(id, state);
    if (previous !== state.status) this.publish(id, state.status, signature);
  }

  /** Shares a compound node's progress while it runs (how many inner nodes are done, a few running paths). */
  private publishProgress(id: string, state: NodeState): void {
    if (!this.awareness || !state.progress) return;
    const { [id]: _, ...others } = this.publishedProgress;
    const { done, total, running } = state.progress;
    const live = state.status === 'running' || state.status === 'queued';
    this.publishedProgress = live ? { ...others, [id]: { done, total, running: running.slice(0, PUBLISHED_RUNNING).map((r) => r.slice(0, PUBLISHED_PATH)) } } : others;
    this.awareness.setLocalStateField(PROGRESS_FIELD, this.publishedProgress);
  }

  /**
   * Shares node states with the room, with the signature each was made under (so a peer's
   * "done" reads as out of date once their inputs move on); never stdout or outputs.
   */
  private publish(id: string, status: NodeStatus, signature: string | undefined): void {
    if (!this.awareness) return;
    const { [id]: _, ...others } = this.publishedSignatures;
    this.publishedSignatures = signature === undefined ? others : { ...others, [id]: signature };
    this.published = { ...this.published, [id]: status };
    this.awareness.setLocalStateField(SIGNATURES_FIELD, this.publishedSignatures);
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

/** Whether a node of this skill runs Python: a Python skill, or a compound skill with one inside (nested too). */
function runsPython(skillId: string, entry: RunSource['entry'], within: readonly string[] = []): boolean {
  const skill = entry(skillId)?.skill;
  if (skill?.kind !== 'compound') return PYTHON_TYPES.includes(skill?.frontmatter.type ?? '');
  return !within.includes(skillId) && skill.inside.nodes.some((n) => runsPython(n.skillId, entry, [...within, skillId]));
}

const compoundOf = (entry: CatalogEntry | undefined): CompoundSkill | undefined => (entry?.skill?.kind === 'compound' ? entry.skill : undefined);

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
