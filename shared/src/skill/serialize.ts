import { stringify } from 'yaml';
import { CODE_LANGUAGE, type AnySkillFrontmatter, type SkillFrontmatter } from './schema';

const FIELD_ORDER = [
  'name',
  'skill_id',
  'type',
  'category',
  'execution_mode',
  'description',
  'tags',
  'version',
  'deterministic',
  'estimated_time_ms',
  'inputs',
  'outputs',
  'gpu',
  'derived_from',
] as const;

/** Renders frontmatter as YAML in the original's field order, leaving out default-only fields. */
export function frontmatterYaml(fm: AnySkillFrontmatter): string {
  const ordered: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) {
    const value = fm[key];
    if (value === undefined) continue;
    if (key === 'deterministic' && value === true) continue;
    ordered[key] = value;
  }
  return stringify(ordered, { lineWidth: 0 });
}

/** Serializes a skill made in LLMunix back to its Markdown file (imported skills keep their own text). */
export function serializeSkill(skill: { frontmatter: AnySkillFrontmatter; body: string }): string {
  return `---\n${frontmatterYaml(skill.frontmatter)}---\n${skill.body}`;
}

const fenced = (lang: string, code: string): string => {
  const fence = code.includes('```') ? '~~~' : '```';
  return `${fence}${lang}\n${code.replace(/\n+$/, '')}\n${fence}`;
};

/** Builds a new skill file from its parts, with the original's body layout (and a `## Fallback` when given). */
export function buildSkillMarkdown(fm: SkillFrontmatter, code: string, whenToUse?: string, fallback?: string): string {
  const sections = [`# Skill: ${fm.name}`, fm.description];
  if (whenToUse) sections.push(`## When to Use\n${whenToUse}`);
  sections.push(`## Code\n\n${fenced(CODE_LANGUAGE[fm.type], code)}`);
  if (fallback) sections.push(`## Fallback\n\n${fenced('javascript', fallback)}`);
  return serializeSkill({ frontmatter: fm, body: `\n${sections.filter(Boolean).join('\n\n')}\n` });
}
