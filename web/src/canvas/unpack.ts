import type * as Y from 'yjs';
import { readWorkflowGraph } from '../../../shared/src/documents/workflow';
import type { NamedOrigin } from '../../../shared/src/origins';
import { err, ok, type Result } from '../../../shared/src/result';
import type { CompoundLookup } from '../../../shared/src/workflow/compound-chain';
import { unpackCompound } from '../../../shared/src/workflow/unpack-compound';
import type { SkillLookup } from '../../../shared/src/workflow/validate';
import { writeGraphChange } from './graph-change';

/**
 * Puts a compound node's inner nodes in its place, in one transaction of `origin` (one undo step
 * of its own); returns the inner nodes' ids, or why it cannot.
 */
export function unpackNode(doc: Y.Doc, nodeId: string, skills: { lookup: SkillLookup; compound: CompoundLookup }, origin: NamedOrigin, undo?: { stopCapturing(): void }): Result<string[], string> {
  const before = readWorkflowGraph(doc);
  const node = before.nodes.find((n) => n.id === nodeId);
  if (!node) return err('The node to unpack is no longer in the workflow.');
  const compound = skills.compound(node.skillId);
  if (!compound) return err(`"${node.label || node.skillId}" is not a compound skill in your library: only a compound skill's node has inner nodes to unpack.`);
  const unpacked = unpackCompound(before, nodeId, compound, skills.lookup);
  if (!unpacked.ok) return err(unpacked.error.message);
  undo?.stopCapturing();
  doc.transact(() => writeGraphChange(doc, before, unpacked.value.graph), origin);
  undo?.stopCapturing();
  return ok(unpacked.value.nodes);
}
