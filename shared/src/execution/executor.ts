import type { WorkflowGraph } from '../documents/workflow';
import type { Json } from '../json';
import { upstreamOf } from '../workflow/schedule';
import type { CompoundLookup } from '../workflow/compound-chain';
import type { LibraryLookup } from '../workflow/validate';
import { CompoundStates } from './compound-state';
import { expandCompounds, validateExpanded } from './expand-compound';
import { canonicalJson, contentHash } from './hash';
import { resolveInputs } from './inputs';
import { checkOutputs, type CheckedOutputs } from './output-contract';
import {
  SkillRunError,
  type NodeState,
  type ResolvedSkill,
  type ResultCache,
  type RunReport,
  type RunResult,
  type RunTrace,
  type Runtimes,
} from './types';

export interface ExecutorOptions {
  graph: WorkflowGraph;
  /** Finds a node's skill (user, then team, then system volume). */
  resolve: (skillId: string) => ResolvedSkill | undefined;
  /**
   * Finds any skill of the library, instruction skills too, so validation says a node's skill
   * has nothing to run rather than that it is unknown; `resolve`'s runnable skills by default.
   */
  library?: LibraryLookup;
  /** Finds compound skills; their nodes run as their inner nodes, each cached as in a flat run. */
  compounds?: CompoundLookup;
  runtimes: Runtimes;
  cache?: ResultCache;
  /** Run only these nodes and what they need ("run node"); all nodes by default. */
  targets?: readonly string[];
  signal?: AbortSignal;
  /**
   * Per-node time limit, counted from when the skill's own code starts (not while the node waits
   * for its runtime); a skill's `estimated_time_ms` raises it (to three times the estimate).
   */
  timeoutMs?: number;
  /** How long a node may wait for its runtime (a queue, a download, start-up) before it fails. */
  startTimeoutMs?: number;
  /** How many nodes may run at once; independent branches run in parallel up to this. */
  concurrency?: number;
  onState?: (nodeId: string, state: NodeState) => void;
  workflow?: string;
  newId?: () => string;
}

export const DEFAULT_NODE_TIMEOUT_MS = 30_000;
/** Pyodide is 14 MB: on a slow link its first download alone can take minutes. */
export const DEFAULT_START_TIMEOUT_MS = 600_000;

/** The cache key of a run: the skill's exact source and the resolved inputs. */
export const cacheKey = (source: string, inputs: Record<string, Json>): string =>
  contentHash(`${source}\u0000${canonicalJson(inputs)}`);

/** A time limit that the runtime's own abort handling enforces. */
class NodeTimeout extends Error {
  constructor(message: string) {
    super(message);
  }
}

/**
 * Runs a workflow: validates it, schedules nodes as their inputs become ready (independent
 * branches in parallel), passes outputs along edges, applies literals and defaults, reuses
 * cached results, and reports each node's state. A failing node stops only what depends on it.
 */
export async function runWorkflow(o: ExecutorOptions): Promise<RunReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const needed = new Set(o.targets ? o.targets.flatMap((t) => [t, ...upstreamOf(o.graph, t)]) : o.graph.nodes.map((n) => n.id));
  const requested: WorkflowGraph = {
    nodes: o.graph.nodes.filter((n) => needed.has(n.id)),
    edges: o.graph.edges.filter((e) => needed.has(e.source) && needed.has(e.target)),
  };
  const expansion = expandCompounds(requested, o.compounds);
  const graph = expansion.graph;
  const traceOf = (status: RunTrace['status'], nodes: Record<string, NodeState>): RunTrace => {
    // A node ran when it has a result or an error of its own (not skipped, queued or cancelled).
    const ran = (id: string) => ['done', 'cached', 'error'].includes(nodes[id]?.status ?? '');
    return {
      id: o.newId?.() ?? `run-${started}`,
      workflow: o.workflow,
      startedAt,
      durationMs: Date.now() - started,
      status,
      nodes: graph.nodes
        .filter((n) => nodes[n.id])
        .map((n) => {
          const s = nodes[n.id] as NodeState;
          return { id: n.id, skillId: n.skillId, status: s.status, durationMs: s.durationMs ?? 0, cached: s.status === 'cached', ...(s.error ? { error: s.error } : {}) };
        }),
      edges: graph.edges
        .filter((e) => ran(e.source) && ran(e.target))
        .map((e) => ({ source: e.source, sourceHandle: e.sourceHandle, target: e.target, targetHandle: e.targetHandle })),
    };
  };

  const library: LibraryLookup = o.library ?? ((id) => o.resolve(id)?.skill.frontmatter ?? o.compounds?.(id)?.frontmatter);
  const issues = validateExpanded(requested, graph, library, o.compounds);
  if (issues.length > 0) return { ok: false, issues, nodes: {}, trace: traceOf('invalid', {}) };

  const states: Record<string, NodeState> = {};
  const skillOf = new Map(graph.nodes.map((n) => [n.id, n.skillId]));
  const compounds = new CompoundStates(expansion.compounds, (id) => skillOf.get(id) ?? '', o.onState);
  const set = (id: string, state: NodeState) => {
    states[id] = state;
    o.onState?.(id, state);
    compounds.update(id, states);
  };
  for (const n of graph.nodes) set(n.id, { status: 'queued', stdout: '' });

  const deps = new Map(graph.nodes.map((n) => [n.id, graph.edges.filter((e) => e.target === n.id).map((e) => e.source)]));
  const running = new Map<string, Promise<void>>();
  const limit = Math.max(1, o.concurrency ?? 4);
  const settled = (id: string) => !['queued', 'running'].includes(states[id]?.status ?? 'queued');
  const succeeded = (id: string) => ['done', 'cached'].includes(states[id]?.status ?? '');

  const runNode = async (id: string): Promise<void> => {
    const node = graph.nodes.find((n) => n.id === id)!;
    const { skill, source } = o.resolve(node.skillId)!;
    const fm = skill.frontmatter;
    const inputs = resolveInputs(node, fm, graph, (src) => states[src]?.outputs);
    const key = cacheKey(source, inputs);
    if (fm.deterministic && o.cache) {
      const hit = await o.cache.get(key).catch(() => undefined);
      if (hit) return set(id, { status: 'cached', durationMs: 0, stdout: hit.stdout, outputs: hit.outputs, ...(hit.device ? { device: hit.device } : {}) });
    }
    const runtime = o.runtimes[fm.type === 'qiskit' ? 'python' : fm.type];
    if (!runtime) return set(id, { status: 'error', stdout: '', error: `No ${fm.type} runtime is available here.` });
    const timeoutMs = Math.max(o.timeoutMs ?? DEFAULT_NODE_TIMEOUT_MS, (fm.estimated_time_ms ?? 0) * 3);
    const abort = new AbortController();
    const onCancel = () => abort.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onCancel);
    let stdout = '';
    set(id, { status: 'running', stdout });
    const t0 = Date.now();
    // Waiting for the runtime has its own, long limit; the node's own starts with its code.
    const startTimeoutMs = o.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const limit = (ms: number, message: string) => setTimeout(() => abort.abort(new NodeTimeout(message)), ms);
    let timer = limit(startTimeoutMs, `the ${fm.type} runtime did not start within ${startTimeoutMs} ms; check the connection and run again`);
    const onStart = () => {
      clearTimeout(timer);
      timer = limit(timeoutMs, `timed out after ${timeoutMs} ms; stop the loop, or raise the skill's estimated_time_ms`);
    };
    try {
      const result: RunResult = await raceAbort(
        runtime.run({
          skill,
          inputs,
          signal: abort.signal,
          onStart,
          onStdout: (text) => {
            stdout += text;
            set(id, { status: 'running', stdout });
          },
        }),
        abort.signal,
      );
      let checked: CheckedOutputs;
      try {
        checked = checkOutputs(fm.outputs, result.outputs);
      } catch (e) {
        throw new SkillRunError((e as Error).message, result.stdout);
      }
      const device = result.device ? { device: result.device } : {};
      const run: RunResult = { outputs: checked.outputs, stdout: (result.stdout || stdout) + checked.note, ...device };
      if (fm.deterministic && o.cache) await o.cache.set(key, run).catch(() => undefined);
      set(id, { status: 'done', durationMs: Date.now() - t0, stdout: run.stdout, outputs: run.outputs, ...device });
    } catch (e) {
      const durationMs = Date.now() - t0;
      const reason = abort.signal.aborted ? abort.signal.reason : e;
      if (o.signal?.aborted && !(reason instanceof NodeTimeout)) {
        set(id, { status: 'cancelled', durationMs, stdout, error: 'cancelled' });
      } else {
        const out = e instanceof SkillRunError && e.stdout ? e.stdout : stdout;
        set(id, { status: 'error', durationMs, stdout: out, error: reason instanceof Error ? reason.message : String(reason) });
      }
    } finally {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onCancel);
    }
  };

  for (;;) {
    if (o.signal?.aborted) {
      for (const n of graph.nodes) if (states[n.id]?.status === 'queued') set(n.id, { status: 'cancelled', stdout: '', error: 'cancelled' });
    }
    for (const n of graph.nodes) {
      if (settled(n.id) || running.has(n.id) || running.size >= limit) continue;
      const ds = deps.get(n.id) ?? [];
      if (!ds.every(settled)) continue;
      const failed = ds.find((d) => !succeeded(d));
      if (failed) {
        const upstream = graph.nodes.find((x) => x.id === failed);
        set(n.id, { status: 'skipped', stdout: '', error: `not run: upstream node "${upstream?.label || failed}" did not finish` });
        continue;
      }
      const p = runNode(n.id).finally(() => running.delete(n.id));
      running.set(n.id, p);
    }
    if (running.size === 0) {
      // Skips can make more nodes ready without anything running; loop until nothing changes.
      if (graph.nodes.every((n) => settled(n.id))) break;
      const progress = graph.nodes.some((n) => !settled(n.id) && (deps.get(n.id) ?? []).every(settled));
      if (!progress) break;
      continue;
    }
    await Promise.race(running.values());
  }

  const ok = graph.nodes.every((n) => succeeded(n.id));
  const status: RunTrace['status'] = ok ? 'done' : o.signal?.aborted ? 'cancelled' : 'error';
  return { ok, issues: [], nodes: { ...states, ...compounds.states }, trace: traceOf(status, states) };
}

/** Rejects as soon as the signal aborts, even if the runtime ignores it. */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
