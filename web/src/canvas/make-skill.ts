import type * as Y from 'yjs';
import { listSkillSources, putSkillSource } from '../../../shared/src/documents/volume-index';
import { readWorkflowGraph } from '../../../shared/src/documents/workflow';
import type { NamedOrigin } from '../../../shared/src/origins';
import { err, ok, type Result } from '../../../shared/src/result';
import { makeCompound, type MadeCompound, type SelectedPort } from '../../../shared/src/workflow/make-compound';
import type { SkillLookup } from '../../../shared/src/workflow/validate';
import { writeGraphChange } from './graph-change';

/** What the person (or the assistant) asks of Make skill. */
export interface MakeSkillRequest {
  /** The nodes to make the skill of. */
  nodes: readonly string[];
  name: string;
  skillId: string;
  description: string;
  promote: readonly SelectedPort[];
}

/** Where Make skill reads and writes: the open workflow, the person's own skills, the library. */
export interface MakeSkillTarget {
  workflow: Y.Doc;
  /** The person's own volume index, where the new skill goes. */
  skills: Y.Doc;
  lookup: SkillLookup;
  /** Whether any readable volume has a skill with this id (the catalog, which may lag behind `skills`). */
  known(skillId: string): boolean;
  /** The workflow's undo history: the change is one step of its own. */
  undo?: { stopCapturing(): void };
}

/**
 * Makes a compound skill of the selected nodes as the workflow is now, writes it into the person's
 * volume and puts one node of it in the workflow in their place: each in one transaction of
 * `origin`, the workflow's being one undo step that collaborators see at once. Nothing changes
 * when it is refused; the error says why.
 */
export function makeSkill(target: MakeSkillTarget, request: MakeSkillRequest, origin: NamedOrigin): Result<MadeCompound, string> {
  const own = listSkillSources(target.skills);
  const before = readWorkflowGraph(target.workflow);
  const made = makeCompound(before, request.nodes, target.lookup, {
    name: request.name,
    skillId: request.skillId,
    description: request.description,
    promote: request.promote,
    taken: (id) => own.has(id) || target.known(id),
  });
  if (!made.ok) return err(made.error.message);
  target.skills.transact(() => putSkillSource(target.skills, request.skillId, made.value.markdown), origin);
  target.undo?.stopCapturing();
  target.workflow.transact(() => writeGraphChange(target.workflow, before, made.value.graph), origin);
  target.undo?.stopCapturing();
  return ok(made.value);
}
