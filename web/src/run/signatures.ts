import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { canonicalJson, contentHash } from '../../../shared/src/execution/hash';
import type { CatalogEntry } from '../documents/catalog';

/**
 * A node's signature: a hash of everything its result depends on that the canvas can see
 * before running — its skill's exact source, its literal inputs, and for each wired input the
 * feeding output and that node's signature. Editing a node or a skill changes its signature and
 * those of everything downstream, so comparing with the signature a result was made under tells
 * which results are stale. (Results themselves are cached by the executor's key of source and
 * resolved inputs; this is only what the canvas shows.)
 *
 * A node whose skill cannot be found, or that sits on a cycle, has no signature.
 */
/** Skill sources hashed once each: hashing a skill's whole text per node per edit was the cost. */
const sourceHashes = new Map<string, string>();
function hashOfSource(source: string): string {
  let hash = sourceHashes.get(source);
  if (hash === undefined) {
    if (sourceHashes.size > 500) sourceHashes.clear();
    hash = contentHash(source);
    sourceHashes.set(source, hash);
  }
  return hash;
}

export function nodeSignatures(graph: WorkflowGraph, sourceOf: (skillId: string) => string | undefined): Map<string, string> {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, WorkflowGraph['edges']>();
  for (const e of graph.edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e]);
  const signatures = new Map<string, string>();
  const visiting = new Set<string>();

  const signatureOf = (id: string): string | undefined => {
    if (signatures.has(id)) return signatures.get(id);
    const node = nodes.get(id);
    const source = node ? sourceOf(node.skillId) : undefined;
    if (!node || source === undefined || visiting.has(id)) return undefined;
    visiting.add(id);
    const wired: Record<string, [string, string]> = {};
    let complete = true;
    for (const e of incoming.get(id) ?? []) {
      const upstream = signatureOf(e.source);
      if (upstream === undefined) complete = false;
      else wired[e.targetHandle] = [upstream, e.sourceHandle];
    }
    visiting.delete(id);
    if (!complete) return undefined;
    // A literal on a wired input is ignored by the executor, so it must not count here either.
    const literals = Object.fromEntries(Object.entries(node.inputs).filter(([name]) => !(name in wired)));
    const signature = contentHash(canonicalJson({ source: hashOfSource(source), literals, wired }));
    signatures.set(id, signature);
    return signature;
  };

  for (const n of graph.nodes) signatureOf(n.id);
  return signatures;
}

/**
 * Whether a result made under `resultSignature` is out of date now. A node with no signature
 * yet (its skill not loaded, or missing) is not called stale: that is shown elsewhere, and the
 * skill library loads a moment after the canvas.
 */
export const isStale = (resultSignature: string | undefined, current: string | undefined): boolean =>
  resultSignature !== undefined && current !== undefined && resultSignature !== current;

/**
 * The source a node's signature covers: its skill's text, and for a compound skill the texts of
 * the skills inside it too (nested ones included), so editing an inner skill makes the compound
 * node's result stale as it makes a flat node's. Undefined when any of them is missing.
 */
export function signatureSource(entry: (skillId: string) => CatalogEntry | undefined): (skillId: string) => string | undefined {
  const sourceOf = (skillId: string, within: readonly string[]): string | undefined => {
    const found = entry(skillId);
    if (found?.skill?.kind !== 'compound' || within.includes(skillId)) return found?.source;
    const inner = [...new Set(found.skill.inside.nodes.map((n) => n.skillId))].sort().map((id) => sourceOf(id, [...within, skillId]));
    return inner.every((s) => s !== undefined) ? [found.source, ...inner].join('\u0000') : undefined;
  };
  return (skillId) => sourceOf(skillId, []);
}
