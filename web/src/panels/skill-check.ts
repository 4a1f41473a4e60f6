import { useMemo } from 'preact/hooks';
import type { Result } from '../../../shared/src/result';
import type { ParsedSkill, SkillError } from '../../../shared/src/skill/parse';
import type { SkillTools } from './skill-tools';

/** A skill's text checked whole: its frontmatter and body by the parser, its code by the code's grammar. */
export interface SkillCheck {
  parsed: Result<ParsedSkill, SkillError[]>;
  /** Every problem, by line: the parser's, or else the code's syntax errors. */
  problems: SkillError[];
}

/** Checks a skill's text as it changes; `skillId` is the id it is stored under, if any. */
export function useSkillCheck(tools: SkillTools, text: string, file: string, skillId: string | null): SkillCheck {
  // An imported skill without a `skill_id` keeps the id it is stored under.
  const parsed = useMemo(() => tools.readSkill(text, { file, ...(skillId === null ? {} : { skillId }) }), [tools, text, file, skillId]);
  const problems = useMemo(() => {
    if (!parsed.ok) return parsed.error;
    return parsed.value.kind === 'runnable' ? tools.codeSyntaxErrors(parsed.value) : [];
  }, [tools, parsed]);
  return { parsed, problems };
}
