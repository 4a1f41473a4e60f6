import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ParsedSkill, SkillError } from '../../../shared/src/skill/parse';
import type { Result } from '../../../shared/src/result';
import type * as CodeSyntax from '../editor/code-syntax';
import type { SkillTools } from './skill-tools';

type CodeCheck = typeof CodeSyntax;

let codeCheck: CodeCheck | null = null;
let loading: Promise<CodeCheck> | null = null;

/** The code checker (Lezer grammars) loads with the first editor, never before the first render. */
function loadCodeCheck(): Promise<CodeCheck> {
  loading ??= import('../editor/code-syntax').then(
    (m) => (codeCheck = m),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

/** A skill's text checked whole: its frontmatter and body by the parser, its code by the code's grammar. */
export interface SkillCheck {
  parsed: Result<ParsedSkill, SkillError[]>;
  /** Every problem, by line; null while the code checker is still loading. */
  problems: SkillError[] | null;
}

/** Checks a skill's text as it changes. */
export function useSkillCheck(tools: SkillTools, text: string, file: string, skillId: string | null): SkillCheck {
  const [checker, setChecker] = useState(codeCheck);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (checker) return;
    let live = true;
    loadCodeCheck().then(
      (m) => live && setChecker(m),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [checker]);
  // An imported skill without a `skill_id` keeps the id it is stored under.
  const parsed = useMemo(() => tools.readSkill(text, { file, ...(skillId === null ? {} : { skillId }) }), [tools, text, file, skillId]);
  const problems = useMemo(() => {
    if (!parsed.ok) return parsed.error;
    if (parsed.value.kind !== 'runnable') return [];
    // Offline before the checker was cached: the frontmatter is checked, the code is run to be checked.
    if (failed) return [];
    return checker ? checker.codeSyntaxErrors(parsed.value) : null;
  }, [parsed, checker, failed]);
  return { parsed, problems };
}
