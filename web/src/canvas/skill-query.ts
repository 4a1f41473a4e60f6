import { VOLUMES, type Volume } from '../../../shared/src/rooms';
import { PORT_TYPES, type PortType } from '../../../shared/src/skill/ports';

/**
 * The runtimes a `type:` filter names; `qiskit` skills run as Python and match `type:python`, and
 * `compound` skills (which run as their inner nodes) match `type:compound`.
 */
export const RUNTIMES = ['python', 'javascript', 'threejs', 'ngspice', 'webgpu', 'compound'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/**
 * What the canvas's node search asks for: words ranked as the chat ranks skills, and filters that
 * must all hold (`in:` and `out:` each name a port type the skill must have; several `type:` or
 * `vol:` values mean any of them).
 */
export interface SkillQuery {
  words: string;
  inputs: PortType[];
  outputs: PortType[];
  runtimes: Runtime[];
  volumes: Volume[];
}

/** A parsed query, and what in it could not be read (each said as the person should fix it). */
export interface ParsedQuery {
  query: SkillQuery;
  problems: string[];
}

const FILTERS = {
  in: { values: PORT_TYPES, what: 'a port type' },
  out: { values: PORT_TYPES, what: 'a port type' },
  type: { values: RUNTIMES, what: 'a skill type' },
  vol: { values: VOLUMES, what: 'a volume' },
} as const;
type FilterKey = keyof typeof FILTERS;

const isFilterKey = (key: string): key is FilterKey => Object.hasOwn(FILTERS, key);

/** Reads the search box's text: `key:value` filters (`in:`, `out:`, `type:`, `vol:`) among words. */
export function parseSkillQuery(text: string): ParsedQuery {
  const query: SkillQuery = { words: '', inputs: [], outputs: [], runtimes: [], volumes: [] };
  const problems: string[] = [];
  const words: string[] = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const colon = token.indexOf(':');
    const key = token.slice(0, colon).toLowerCase();
    if (colon <= 0 || !isFilterKey(key)) {
      words.push(token);
      continue;
    }
    const value = token.slice(colon + 1).toLowerCase();
    const { values, what } = FILTERS[key];
    if (!(values as readonly string[]).includes(value)) {
      const named = value === '' ? `"${key}:" needs ${what}` : `"${value}" is not ${what}`;
      problems.push(`${named}: write ${key}: with one of ${values.join(', ')}.`);
      continue;
    }
    if (key === 'in') query.inputs.push(value as PortType);
    else if (key === 'out') query.outputs.push(value as PortType);
    else if (key === 'type') query.runtimes.push(value as Runtime);
    else query.volumes.push(value as Volume);
  }
  query.words = words.join(' ');
  return { query, problems };
}
