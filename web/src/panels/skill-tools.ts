import { useEffect, useState } from 'preact/hooks';
import type { readSkill } from '../../../shared/src/skill/parse';
import type { buildSkillMarkdown } from '../../../shared/src/skill/serialize';
import type { codeSyntaxErrors } from '../editor/code-syntax';
import { afterFirstPaint } from '../documents/after-first-paint';

/**
 * The skill parser and serializer (YAML and schema libraries) and the code's syntax check (Lezer
 * grammars for Python and JavaScript): loaded after the first render, never before it.
 */
export interface SkillTools {
  readSkill: typeof readSkill;
  buildSkillMarkdown: typeof buildSkillMarkdown;
  codeSyntaxErrors: typeof codeSyntaxErrors;
}

let loaded: SkillTools | null = null;
let loading: Promise<SkillTools> | null = null;

/** Loads the skill tools once; a failed load (offline before they were cached) is retried next time. */
export function loadSkillTools(): Promise<SkillTools> {
  loading ??= Promise.all([import('../../../shared/src/skill/parse'), import('../../../shared/src/skill/serialize'), import('../editor/code-syntax')]).then(
    ([parse, serialize, code]) => (loaded = { readSkill: parse.readSkill, buildSkillMarkdown: serialize.buildSkillMarkdown, codeSyntaxErrors: code.codeSyntaxErrors }),
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

// Fetched right after the first render, as the catalog fetches the parser, so that the editor
// opens even if the server goes away before anyone opens a skill.
afterFirstPaint(() => void loadSkillTools().catch(() => undefined));

/** The skill tools once loaded, or the reason they could not be. */
export function useSkillTools(): { tools: SkillTools | null; failed: boolean } {
  const [tools, setTools] = useState(loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (tools) return;
    let live = true;
    loadSkillTools().then(
      (t) => live && setTools(t),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [tools]);
  return { tools, failed };
}

/** The file a new skill starts from: a small working Python skill showing every part of the format. */
export function skillTemplate(build: typeof buildSkillMarkdown, skillId: string): string {
  return build(
    {
      name: 'My skill',
      skill_id: skillId,
      type: 'python',
      category: 'general',
      execution_mode: 'browser-wasm',
      description: 'Doubles a number. Say here what the skill does: the assistant picks skills by this text.',
      tags: ['example'],
      version: '1.0.0',
      inputs: [{ name: 'x', type: 'number', default: 1, description: 'The number to double.' }],
      outputs: [{ name: 'doubled', type: 'number', description: 'x times two.' }],
      deterministic: true,
    },
    'def execute(inputs):\n    return {"doubled": inputs["x"] * 2}\n',
    'When a workflow needs a number doubled.',
  );
}
