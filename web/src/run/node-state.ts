import type { NodeStatus } from '../../../shared/src/execution/types';
import { isStale } from './signatures';

/**
 * The one state a node shows. `stale` replaces a result's own state (done, reused) once the node,
 * its skill or anything upstream changed, or something upstream failed or is itself stale.
 */
export type ShownKind = 'none' | 'queued' | 'loading' | 'running' | 'done' | 'cached' | 'stale' | 'error' | 'skipped' | 'cancelled';

/** What deciding a node's kind needs to know about it. */
export interface NodeFacts {
  state?: NodeStatus;
  /** The signature the node's result was made under. */
  resultSignature?: string;
  /** The node's signature now. */
  signature?: string;
  /**
   * Running, but its code has not started: its runtime is still `loading`, or it is `waiting`
   * for a runtime that is busy or getting ready for it.
   */
  runtime?: 'loading' | 'waiting';
}

const RESULT: readonly NodeStatus[] = ['done', 'cached'];

/** Why a node is stale, for its tooltip. */
export type StaleReason = 'changed' | 'upstream';

/**
 * Every node's shown kind, from its facts and the workflow's edges. A node with a result is
 * out of date when its signature moved on, or when a node it reads from is failed, out of date,
 * not run, or has no result: what it shows was not made from what now feeds it.
 */
export function shownKinds(
  nodes: ReadonlyMap<string, NodeFacts>,
  edges: ReadonlyArray<{ source: string; target: string }>,
): Map<string, { kind: ShownKind; reason?: StaleReason }> {
  const upstream = new Map<string, string[]>();
  for (const e of edges) upstream.set(e.target, [...(upstream.get(e.target) ?? []), e.source]);
  const shown = new Map<string, { kind: ShownKind; reason?: StaleReason }>();
  const visiting = new Set<string>();
  const kindOf = (id: string): { kind: ShownKind; reason?: StaleReason } => {
    const known = shown.get(id);
    if (known) return known;
    const facts = nodes.get(id) ?? {};
    let result: { kind: ShownKind; reason?: StaleReason } = { kind: baseKind(facts) };
    if (!visiting.has(id)) {
      visiting.add(id);
      if (RESULT.includes(facts.state as NodeStatus)) {
        if (isStale(facts.resultSignature, facts.signature)) result = { kind: 'stale', reason: 'changed' };
        else if ((upstream.get(id) ?? []).some((u) => kindOf(u).kind !== 'done' && kindOf(u).kind !== 'cached')) result = { kind: 'stale', reason: 'upstream' };
      }
      visiting.delete(id);
    }
    shown.set(id, result);
    return result;
  };
  for (const id of nodes.keys()) kindOf(id);
  return shown;
}

function baseKind(facts: NodeFacts): ShownKind {
  if (!facts.state) return 'none';
  if (facts.state === 'running' && facts.runtime) return facts.runtime === 'loading' ? 'loading' : 'queued';
  return facts.state;
}

/** A collaborator's published state of a node, with the signature their run used. */
export interface RemoteFacts {
  state: NodeStatus;
  signature?: string;
}

/** A collaborator's state as this person should read it: their result is stale once the inputs here moved on. */
export function remoteKind(remote: RemoteFacts, currentSignature: string | undefined): ShownKind {
  if (RESULT.includes(remote.state) && isStale(remote.signature, currentSignature)) return 'stale';
  return remote.state;
}

/** The words a node shows for its kind; `time` is how long it ran, `loading` what runtime is downloading and how far. */
export function shownText(kind: ShownKind, time?: string, loading?: { runtime: string; progress?: string }): string {
  const timed = (word: string) => (time ? `${word} ${time}` : word);
  switch (kind) {
    case 'none':
      return 'not run';
    case 'queued':
      return 'waiting';
    case 'loading':
      return `loading ${loading?.runtime ?? 'runtime'}…${loading?.progress ? ` ${loading.progress}` : ''}`;
    case 'running':
      return timed('running');
    case 'done':
      return timed('done');
    case 'cached':
      return 'reused earlier result';
    case 'stale':
      return 'out of date';
    case 'error':
      return timed('failed');
    case 'skipped':
      return 'not run: upstream failed';
    case 'cancelled':
      return 'cancelled';
  }
}

/** The tooltip of a kind: what it means and what to do. */
export function shownTitle(kind: ShownKind, reason?: StaleReason, error?: string): string {
  switch (kind) {
    case 'stale':
      return reason === 'upstream'
        ? 'A node this one reads from changed, failed or has not run since this result: run again to update it'
        : 'This node, its skill or its inputs changed since this result: run again to update it';
    case 'cached':
      return 'Nothing it depends on changed, so the result of an earlier run was reused';
    case 'loading':
      return 'The runtime downloads once, then stays ready; the node’s time limit starts when its code does';
    case 'error':
    case 'skipped':
      return error ?? '';
    default:
      return '';
  }
}
