import { parseDocument, stringify } from 'yaml';
import { AGENT_FIELDS, METADATA_PREFIX } from './foreign-fields';
import type { ParsedSkill } from './parse';
import { frontmatterYaml } from './serialize';

/** The Agent Skills folder name for a skill id. */
export const agentSkillName = (skillId: string): string =>
  skillId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 64)
    .replace(/^-+|-+$/g, '') || 'skill';

const MAX_DESCRIPTION = 1024;

/** A description cut to the spec's 1024 characters, at a word boundary when there is one, marked with "…". */
function agentDescription(text: string): string {
  if (text.length <= MAX_DESCRIPTION) return text;
  const head = text.slice(0, MAX_DESCRIPTION - 1);
  const lastSpace = head.search(/\s\S*$/);
  return `${(lastSpace > MAX_DESCRIPTION / 2 ? head.slice(0, lastSpace) : head).trimEnd()}…`;
}

const asString = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Converts a skill made in LLMunix to an Agent Skills `SKILL.md` (its folder is named
 * `agentSkillName(skill_id)`): our fields go under `metadata`, prefixed `llmunix-`, so the file
 * meets the specification and `readSkill` gives the same skill back. Imported skills are exported
 * as written instead (see `folder.ts`).
 */
export function exportAgentSkill(skill: ParsedSkill): { folder: string; content: string } {
  const fm = skill.frontmatter;
  const metadata: Record<string, string> = {};
  const head: Record<string, unknown> = {};
  const { metadata: theirMetadata, ...extra } = skill.extra;
  for (const [key, value] of Object.entries(extra)) {
    if (AGENT_FIELDS.has(key)) head[key] = value;
    else metadata[METADATA_PREFIX + key] = asString(value);
  }
  if (theirMetadata !== null && typeof theirMetadata === 'object' && !Array.isArray(theirMetadata)) {
    for (const [key, value] of Object.entries(theirMetadata)) if (!key.startsWith(METADATA_PREFIX)) metadata[key] = asString(value);
  }
  const ours = parseDocument(frontmatterYaml(fm)).toJS() as Record<string, unknown>;
  for (const [key, value] of Object.entries(ours)) {
    if (key === 'description') continue;
    metadata[METADATA_PREFIX + key] = asString(value);
  }
  const description = agentDescription(fm.description || fm.name);
  // The spec's description is 1–1024 characters; ours may be empty or longer, so keep it whole here.
  if (description !== fm.description) metadata[`${METADATA_PREFIX}description`] = fm.description;
  const folder = agentSkillName(fm.skill_id);
  const spec = { name: folder, description, ...head, metadata };
  return { folder, content: `---\n${stringify(spec, { lineWidth: 0 })}---\n${skill.body}` };
}
