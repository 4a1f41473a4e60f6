import type { RankableSkill } from '../../../shared/src/skill/rank';

/**
 * A skill the person can read, as the chat lists, ranks (shared/src/skill/rank.ts, as the canvas
 * search does) and reads it.
 */
export interface SkillDoc extends RankableSkill {
  volume: string;
  /** The volume index room the skill was found in; its files are kept there too. */
  room: string;
  /** The skill's type (python, ngspice…), or `instructions` for a skill with nothing to run. */
  kind: string;
  /** The whole file, as the assistant reads it. */
  source: string;
}
