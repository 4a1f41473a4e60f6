import type * as Y from 'yjs';
import { getSkillOrigin, putSkillOrigin, readSkillFiles, writeSkillFiles, type SkillFile } from '../../../shared/src/documents/skill-files';
import { putSkillSource, removeSkill } from '../../../shared/src/documents/volume-index';

/** What saving a skill does to the person's own skills. */
export interface SavePlan {
  /** The skill id the file is saved under: always its frontmatter's `skill_id`. */
  target: string;
  /** Saving replaces another skill of theirs with that id, so it needs their confirmation. */
  overwrites: boolean;
  /** The id the skill had before, removed when the frontmatter's `skill_id` changed. */
  removes: string | null;
}

/**
 * Plans a save: `originalId` is the id the skill was opened under (null for a new one), `skillId`
 * the one its frontmatter now says, `own` the ids of the person's skills.
 */
export function planSave(originalId: string | null, skillId: string, own: ReadonlySet<string>): SavePlan {
  if (originalId === skillId) return { target: skillId, overwrites: false, removes: null };
  return { target: skillId, overwrites: own.has(skillId), removes: originalId };
}

/** A skill id not taken yet: `base`, else `base-2`, `base-3`, … */
export function freeSkillId(base: string, taken: Pick<ReadonlySet<string>, 'has'>): string {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${n}`)) n++;
  return `${base}-${n}`;
}

/** The file name skill errors are reported under, as the catalog names volume files. */
export const skillFileName = (volume: string, volumeId: string, skillId: string): string =>
  `volumes/${volume}/${volumeId}/skills/${skillId}.md`;

/** The files and origin of a skill, carried to its copy or its new id. */
export interface CarriedFolder {
  files: SkillFile[];
  origin?: string;
}

/** A skill's files and origin as they are now, to carry along. */
export function carriedFolder(doc: Y.Doc, skillId: string): CarriedFolder {
  const origin = getSkillOrigin(doc, skillId);
  return { files: readSkillFiles(doc, skillId), ...(origin === undefined ? {} : { origin }) };
}

/**
 * Writes a saved skill into the person's volume (inside the caller's transaction). A skill whose
 * `skill_id` changed takes its files and origin along, as does a copy of someone else's skill
 * (`carried`), so an imported skill's folder stays whole.
 */
export function applySave(doc: Y.Doc, plan: SavePlan, text: string, carried?: CarriedFolder): void {
  const folder = plan.removes ? carriedFolder(doc, plan.removes) : carried;
  // The skill replaced goes whole: none of its files stays with the one saved in its place.
  if (plan.overwrites) removeSkill(doc, plan.target);
  putSkillSource(doc, plan.target, text);
  if (plan.removes) removeSkill(doc, plan.removes);
  if (!folder) return;
  if (folder.files.length > 0) writeSkillFiles(doc, plan.target, folder.files);
  if (folder.origin !== undefined) putSkillOrigin(doc, plan.target, folder.origin);
}
