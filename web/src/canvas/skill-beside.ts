import { createStore, type ReadonlyStore } from '../documents/store';

/** A skill opened in the editor beside a workflow's canvas, at a line of its Markdown file. */
export interface SkillBeside {
  skillId: string;
  /** The 1-based line of the skill's Markdown file to show and put the cursor on. */
  line?: number;
}

const beside = createStore<SkillBeside | null>(null);

/**
 * The skill shown beside the canvas, if any. Opened by double-clicking a node or by a line link
 * in a run's error; the editor beside the canvas reads it.
 */
export const skillBeside: ReadonlyStore<SkillBeside | null> = beside;

/** Opens a skill's editor beside the canvas, at a line of its file when given. */
export function openSkillBeside(skillId: string, line?: number): void {
  beside.set(line === undefined ? { skillId } : { skillId, line });
}

/** Closes the editor beside the canvas. */
export function closeSkillBeside(): void {
  beside.set(null);
}
