import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runWorkflow } from '../../../shared/src/execution/executor';
import { errorGist } from '../../../shared/src/execution/error-lines';
import { expandCompounds, validateExpanded } from '../../../shared/src/execution/expand-compound';
import { describeDevice } from '../../../shared/src/execution/gpu-fallback';
import type { NodeState, NodeStatus, ResultCache, RunDevice, RunTrace } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import { parseWorkflowFile } from '../../../shared/src/workflow/file';
import type { WorkflowIssue } from '../../../shared/src/workflow/validate';
import { FileResultCache } from './cache';
import { nodeRuntimes, type NodeRuntimes } from './runtimes';
import { librarySkill, loadVolumes } from './skills';
import { typesToRun } from './types-to-run';

/** One node in the CLI's answer. `invalid`: the workflow did not validate, so nothing ran. */
export interface NodeSummary {
  status: NodeStatus | 'invalid';
  outputs?: Record<string, Json>;
  error?: string;
  /** webgpu nodes: where the node ran. */
  device?: RunDevice;
}

/** The file `--traces DIR` appends to, one trace per line. */
export const TRACES_FILE = 'traces.jsonl';

export const EXIT = { done: 0, failed: 1, invalid: 2, interrupted: 130 } as const;

export interface RunFileOptions {
  file: string;
  /** The user's volume (`.md` files, `<name>/SKILL.md` folders, archives): its skills shadow system ones by id. */
  skillsDir?: string;
  /** Keep results in a JSON file under this directory across runs. */
  cacheDir?: string;
  timeoutMs?: number;
  /** Append the run's trace (one JSON line) to `traces.jsonl` in this directory, made if missing. */
  tracesDir?: string;
  signal?: AbortSignal;
  /** Progress and skill output, one line at a time (the CLI's stderr). */
  log: (line: string) => void;
  /** Runtimes to use (and leave open); by default fresh ones, closed at the end. */
  runtimes?: NodeRuntimes;
  cache?: ResultCache;
}

export interface RunFileResult {
  exitCode: (typeof EXIT)[keyof typeof EXIT];
  /** Node id → summary; empty when the file could not be read at all. */
  nodes: Record<string, NodeSummary>;
}

const invalid = (log: (l: string) => void, reasons: string[], nodes: Record<string, NodeSummary> = {}): RunFileResult => {
  for (const r of reasons) log(`invalid: ${r}`);
  return { exitCode: EXIT.invalid, nodes };
};

/** Every node, marked invalid with the issues that name it or, for a compound node, its inner nodes. */
export function invalidNodes(ids: string[], issues: WorkflowIssue[]): Record<string, NodeSummary> {
  return Object.fromEntries(
    ids.map((id) => {
      const mine = issues.filter((i) => i.nodes.some((n) => n === id || n.startsWith(`${id}/`))).map((i) => i.message);
      return [id, { status: 'invalid', error: mine.length > 0 ? mine.join('\n') : 'not run: the workflow is invalid' }];
    }),
  );
}

/** Keeps a run's trace for the evolution engine; a trace that cannot be written is said, not fatal. */
async function appendTrace(dir: string, trace: RunTrace, log: (line: string) => void): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.appendFile(path.join(dir, TRACES_FILE), `${JSON.stringify(trace)}\n`);
  } catch (e) {
    log(`note: trace not kept: ${(e as Error).message}`);
  }
}

/**
 * Runs a workflow file headless, as `npm run workflow` does: reads and validates it against the
 * system and user volumes, starts the runtimes it needs, runs it with the shared executor and
 * reports every node. Invalid input (file, format, cycle, unknown skill, type mismatch) runs
 * nothing.
 */
export async function runWorkflowFile(o: RunFileOptions): Promise<RunFileResult> {
  const { log } = o;
  let text: string;
  try {
    text = await fs.readFile(o.file, 'utf8');
  } catch (e) {
    return invalid(log, [`cannot read ${o.file}: ${(e as Error).message}`]);
  }
  const parsed = parseWorkflowFile(text);
  if (!parsed.ok) return invalid(log, parsed.error.map((m) => `${o.file}: ${m}`));
  const workflow = parsed.value;
  const graph = { nodes: workflow.nodes, edges: workflow.edges };

  let volumes;
  try {
    volumes = await loadVolumes(o.skillsDir);
  } catch (e) {
    return invalid(log, [`cannot read skills: ${(e as Error).message}`]);
  }
  for (const w of volumes.warnings) log(`note: ${w}`);
  const resolve = (id: string) => volumes.skills.get(id);
  const compounds = (id: string) => volumes.compounds.get(id);
  const expanded = expandCompounds(graph, compounds).graph;
  const issues = validateExpanded(graph, expanded, (id) => librarySkill(volumes, id), compounds);
  if (issues.length > 0) {
    return invalid(
      log,
      issues.map((i) => i.message),
      invalidNodes(graph.nodes.map((n) => n.id), issues),
    );
  }

  const runtimes = o.runtimes ?? nodeRuntimes();
  const cache = o.cache ?? (o.cacheDir ? await FileResultCache.open(o.cacheDir, (m) => log(`note: ${m}`)) : undefined);
  const t0 = Date.now();
  const stamp = () => `[${((Date.now() - t0) / 1000).toFixed(2).padStart(6)}s]`;
  try {
    // Says which engines start (Pyodide takes seconds) and starts them up front; only those that
    // will run, so a fully cached workflow starts none. (No node's time limit counts the start.)
    const types = await typesToRun(expanded, resolve, cache);
    const inner = expanded === graph ? '' : ` (${expanded.nodes.length} once compound nodes are opened)`;
    log(`${stamp()} ${workflow.name || o.file}: ${graph.nodes.length} node(s)${inner}${types.size > 0 ? `; starting ${[...types].join(', ')}` : ''}`);
    await runtimes.warm(types).catch((e: unknown) => log(`${stamp()} ${(e as Error).message}`));

    const printed = new Map<string, number>();
    // A compound node's status with its progress: each inner node done is worth a line.
    const last = new Map<string, string>();
    const onState = (id: string, s: NodeState) => {
      const seen = printed.get(id) ?? 0;
      if (s.stdout.length > seen) {
        for (const line of s.stdout.slice(seen).replace(/\n$/, '').split('\n')) log(`${id} | ${line}`);
        printed.set(id, s.stdout.length);
      }
      if (s.progress && s.status === 'running' && s.progress.running.length === 0) return; // between two inner nodes
      const shown = s.progress && s.status === 'running' ? `running (${s.progress.done}/${s.progress.total} done; ${s.progress.running.join(', ')})` : s.status;
      if (last.get(id) === shown) return; // more output while running: printed above
      if (s.status === 'queued') return void last.set(id, shown);
      last.set(id, shown);
      const time = s.durationMs !== undefined && s.status !== 'cached' ? ` (${s.durationMs} ms)` : '';
      const gist = s.error === undefined ? undefined : errorGist(s.error);
      const why = gist && s.status !== 'cancelled' ? `: ${gist}` : '';
      log(`${stamp()} ${id} ${shown}${time}${why}`);
      if (s.device && (s.status === 'done' || s.status === 'cached')) log(`${stamp()} ${id} ${describeDevice(s.device)}`);
    };
    const report = await runWorkflow({
      graph,
      resolve,
      compounds,
      runtimes,
      cache,
      signal: o.signal,
      timeoutMs: o.timeoutMs,
      onState,
      workflow: workflow.name,
      newId: randomUUID,
    });
    if (o.tracesDir) await appendTrace(o.tracesDir, report.trace, log);
    if (report.issues.length > 0) return invalid(log, report.issues.map((i) => i.message));
    const nodes: Record<string, NodeSummary> = {};
    for (const n of graph.nodes) {
      const s = report.nodes[n.id];
      if (!s) continue;
      nodes[n.id] = { status: s.status, ...(s.outputs ? { outputs: s.outputs } : {}), ...(s.error ? { error: s.error } : {}), ...(s.device ? { device: s.device } : {}) };
    }
    log(`${stamp()} ${report.trace.status}`);
    const exitCode = report.ok ? EXIT.done : o.signal?.aborted ? EXIT.interrupted : EXIT.failed;
    return { exitCode, nodes };
  } finally {
    if (cache instanceof FileResultCache) await cache.flush().catch((e: unknown) => log(`note: cache not saved: ${(e as Error).message}`));
    if (!o.runtimes) await runtimes.close();
  }
}
