import type { TextWarning } from './frontmatter';
import type { FieldLocator, FieldPath } from './locate';
import { OUR_FIELD_NAMES } from './schema';

/**
 * Agent Skills `SKILL.md`: frontmatter `name` (lowercase, hyphens, ≤ 64, equal to the folder
 * name), `description` (≤ 1024) and optional `license`, `compatibility`, `metadata` (string →
 * string) and `allowed-tools`. Skills exported by LLMunix keep its own fields under `metadata`,
 * prefixed `llmunix-`, JSON-encoded where they are not strings.
 */
export const AGENT_FIELDS: ReadonlySet<string> = new Set(['license', 'compatibility', 'metadata', 'allowed-tools']);

/** Fields the original product's writer emits beyond ours: kept, and `keywords` searched as tags. */
export const ORIGINAL_FIELDS: ReadonlySet<string> = new Set(['author', 'memory_mb', 'keywords']);

/** The prefix of LLMunix's own fields under an Agent Skill's `metadata`. */
export const METADATA_PREFIX = 'llmunix-';

/** An Agent Skills `name`: 1–64 lowercase letters, digits and single hyphens, not at either end. */
export const AGENT_NAME = /^(?!-)(?!.*--)[a-z0-9-]{1,64}(?<!-)$/;

const STRING_FIELDS = new Set(['name', 'skill_id', 'type', 'category', 'execution_mode', 'version', 'description']);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function decodeMetadataValue(field: string, value: unknown): unknown {
  if (STRING_FIELDS.has(field) || typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** LLMunix's fields of a frontmatter, each with where it is written. */
export interface OurFields {
  values: Record<string, unknown>;
  /** Field → its path in the YAML (`['inputs']`, or `['metadata', 'llmunix-inputs']`). */
  paths: Map<string, FieldPath>;
}

/**
 * Collects LLMunix's fields: top-level ones, and `metadata.llmunix-*` ones (which win: an export
 * puts the spec's stand-ins for `name` and `description` at the top level).
 */
export function ourFields(data: Record<string, unknown>): OurFields {
  const values: Record<string, unknown> = {};
  const paths = new Map<string, FieldPath>();
  for (const [key, value] of Object.entries(data)) {
    if (!OUR_FIELD_NAMES.has(key)) continue;
    values[key] = value;
    paths.set(key, [key]);
  }
  if (isRecord(data.metadata)) {
    for (const [key, value] of Object.entries(data.metadata)) {
      const field = key.slice(METADATA_PREFIX.length);
      if (!key.startsWith(METADATA_PREFIX) || !OUR_FIELD_NAMES.has(field)) continue;
      values[field] = decodeMetadataValue(field, value);
      paths.set(field, ['metadata', key]);
    }
  }
  return { values, paths };
}

/** Every field that is not LLMunix's own, as written. */
export function extraFields(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([key]) => !OUR_FIELD_NAMES.has(key)));
}

/** `keywords` as a list of strings, for search; a warning when it is something else. */
export function keywordsOf(data: Record<string, unknown>, at: FieldLocator, warnings: TextWarning[]): string[] {
  const keywords = data.keywords;
  if (keywords === undefined) return [];
  if (Array.isArray(keywords) && keywords.every((k) => typeof k === 'string')) return keywords.map((k) => k.trim()).filter(Boolean);
  warnings.push({ line: at.line(['keywords']), field: 'keywords', message: 'keywords should be a list of words; they are kept as written but not searched' });
  return [];
}

/** Warnings for fields that are neither ours, the original's nor the Agent Skills specification's. */
export function unknownFieldWarnings(data: Record<string, unknown>, at: FieldLocator): TextWarning[] {
  return Object.keys(data)
    .filter((key) => !OUR_FIELD_NAMES.has(key) && !AGENT_FIELDS.has(key) && !ORIGINAL_FIELDS.has(key))
    .map((key) => ({
      line: at.line([], key),
      field: key,
      message: `unknown field "${key}", kept as written; LLMunix does not use it (check its spelling if you meant one of its fields)`,
    }));
}

/** Where an Agent Skills file strays from the specification in ways that do no harm here. */
export function agentFieldWarnings(data: Record<string, unknown>, at: FieldLocator, folder: string | undefined): TextWarning[] {
  const out: TextWarning[] = [];
  const warn = (path: FieldPath, message: string) => out.push({ line: at.line(path), field: path.join('.'), message });
  const { name, description, license, compatibility, metadata } = data;
  if (typeof name === 'string' && !AGENT_NAME.test(name)) {
    warn(['name'], 'an Agent Skills name is 1–64 lowercase letters, digits and single hyphens; other tools may refuse this one');
  } else if (typeof name === 'string' && folder !== undefined && name !== folder) {
    warn(['name'], `an Agent Skills name equals its folder's name, here "${folder}"; other tools may refuse it`);
  }
  if (typeof description !== 'string' || description.trim() === '') {
    warn(['description'], 'an Agent Skill needs a description: it is how the model knows when to use it');
  } else if (description.length > 1024) {
    warn(['description'], `an Agent Skills description is at most 1024 characters; this one has ${description.length}`);
  }
  if (license !== undefined && typeof license !== 'string') warn(['license'], 'license should be a string; kept as written');
  if (compatibility !== undefined && (typeof compatibility !== 'string' || compatibility.length > 500)) {
    warn(['compatibility'], 'compatibility should be a string of at most 500 characters; kept as written');
  }
  const tools = data['allowed-tools'];
  if (Array.isArray(tools)) {
    warn(['allowed-tools'], 'allowed-tools is a YAML list; the specification has one space-separated string (kept as written)');
  } else if (tools !== undefined && typeof tools !== 'string') {
    warn(['allowed-tools'], 'allowed-tools should be a space-separated string; kept as written');
  }
  if (metadata !== undefined && !isRecord(metadata)) warn(['metadata'], 'metadata should be a map of strings; kept as written');
  if (isRecord(metadata)) {
    for (const [key, value] of Object.entries(metadata)) {
      if (key.startsWith(METADATA_PREFIX) || typeof value === 'string') continue;
      warn(['metadata', key], `metadata values are strings in the specification; ${JSON.stringify(value)} is kept as written`);
    }
  }
  return out;
}
