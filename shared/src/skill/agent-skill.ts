import { parseDocument, stringify } from 'yaml';
import { z } from 'zod';
import { err, type Result } from '../result';
import { frontmatterYaml } from './serialize';
import { parseSkill, type Skill, type SkillError } from './parse';

/**
 * Agent Skills `SKILL.md`: frontmatter `name` (lowercase, hyphens, ≤ 64, equal to the folder
 * name), `description` (≤ 1024) and optional `license`, `compatibility`, `metadata` (string →
 * string) and `allowed-tools`. Our own fields travel under `metadata`, prefixed `llmunix-`,
 * JSON-encoded where they are not strings.
 */
const AGENT_NAME = /^(?!-)(?!.*--)[a-z0-9-]{1,64}(?<!-)$/;

const AgentFrontmatterSchema = z.object({
  name: z.string().regex(AGENT_NAME, 'must be 1–64 lowercase letters, digits and single hyphens'),
  description: z.string().min(1).max(1024),
  license: z.string().optional(),
  compatibility: z.string().max(500).optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  'allowed-tools': z.string().optional(),
});

const PREFIX = 'llmunix-';

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

/** Exports a skill as an Agent Skills `SKILL.md` (its folder is named `agentSkillName(skill_id)`). */
export function exportAgentSkill(skill: Skill): { folder: string; content: string } {
  const fm = skill.frontmatter;
  const metadata: Record<string, string> = {};
  const ours = parseDocument(frontmatterYaml(fm)).toJS() as Record<string, unknown>;
  for (const [key, value] of Object.entries(ours)) {
    if (key === 'description') continue;
    metadata[PREFIX + key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  const description = agentDescription(fm.description || fm.name);
  // The spec's description is 1–1024 characters; ours may be empty or longer, so keep it whole here.
  if (description !== fm.description) metadata[`${PREFIX}description`] = fm.description;
  const folder = agentSkillName(fm.skill_id);
  const head = { name: folder, description, metadata };
  return { folder, content: `---\n${stringify(head, { lineWidth: 0 })}---\n${skill.body}` };
}

/**
 * Imports an Agent Skills `SKILL.md` as one of our skills. Skills exported by us come back
 * exactly; other Agent Skills need a `## Code` block, and their type is taken from its language.
 */
export function importAgentSkill(content: string, file = 'SKILL.md'): Result<Skill, SkillError[]> {
  const text = content.replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) return err([{ file, line: 1, message: 'SKILL.md must start with YAML frontmatter between two "---" lines' }]);
  const yamlText = match[1] ?? '';
  const body = match[2] ?? '';
  const parsed = AgentFrontmatterSchema.safeParse(parseDocument(yamlText).toJS());
  if (!parsed.success) {
    return err(parsed.error.issues.map((i) => ({ file, line: 2, field: i.path.join('.'), message: i.message })));
  }
  const agent = parsed.data;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(agent.metadata ?? {})) {
    if (!key.startsWith(PREFIX)) continue;
    const name = key.slice(PREFIX.length);
    fields[name] = ['name', 'skill_id', 'type', 'category', 'execution_mode', 'version', 'description'].includes(name)
      ? value
      : safeJson(value);
  }
  fields.description ??= agent.description;
  fields.name ??= agent.name;
  fields.skill_id ??= agent.name;
  fields.type ??= guessType(body);
  const rebuilt = `---\n${stringify(fields, { lineWidth: 0 })}---\n${body}`;
  return parseSkill(rebuilt, file);
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function guessType(body: string): string {
  const lang = /^##\s+Code\s*$[\s\S]*?^(?:```|~~~)\s*(\w+)/im.exec(body)?.[1]?.toLowerCase();
  if (lang === 'javascript' || lang === 'js') return 'javascript';
  if (lang === 'spice' || lang === 'ngspice') return 'ngspice';
  return 'python';
}
