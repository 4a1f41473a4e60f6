import type { SkillError } from '../../../shared/src/skill/parse';
import type { CatalogEntry } from '../documents/catalog';

/** A category of the library and its skills, sorted by name. */
export interface SkillGroup {
  category: string;
  entries: CatalogEntry[];
}

/** Where skills whose file does not parse are listed (they have no category of their own). */
export const BROKEN_GROUP = 'Broken skills';
/** Where skills wait while the parser loads, a moment after the first render. */
export const LOADING_GROUP = 'Loading';

/** The words a skill is found by: name, id, description and tags. */
function searchText(entry: CatalogEntry): string {
  const fm = entry.skill?.frontmatter;
  return [entry.skillId, fm?.name, fm?.description, ...(fm?.tags ?? [])].filter(Boolean).join('\n').toLowerCase();
}

/** Keeps the skills matching every word of the query in their name, id, description or tags. */
export function searchSkills(entries: readonly CatalogEntry[], query: string): CatalogEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  return entries.filter((entry) => {
    const text = searchText(entry);
    return words.every((w) => text.includes(w));
  });
}

const groupOf = (entry: CatalogEntry): string =>
  entry.skill ? entry.skill.frontmatter.category : entry.errors.length > 0 ? BROKEN_GROUP : LOADING_GROUP;

const nameOf = (entry: CatalogEntry): string => entry.skill?.frontmatter.name ?? entry.skillId;

/** Groups skills by category, categories in alphabetical order after the broken ones. */
export function groupByCategory(entries: readonly CatalogEntry[]): SkillGroup[] {
  const groups = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    const key = groupOf(entry);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const rank = (c: string) => (c === BROKEN_GROUP ? 0 : c === LOADING_GROUP ? 2 : 1);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, list]) => ({ category, entries: list.sort((a, b) => nameOf(a).localeCompare(nameOf(b))) }));
}

/** A port as the library shows it: `name: type`. */
export const portLabel = (port: { name: string; type: string }): string => `${port.name}: ${port.type}`;

/**
 * A skill error as `file:line: field: message`, as `formatSkillError` writes it; kept here so the
 * library does not load the parser's module before it is needed.
 */
export const errorText = (e: SkillError): string => `${e.file}:${e.line}: ${e.field ? `${e.field}: ` : ''}${e.message}`;
