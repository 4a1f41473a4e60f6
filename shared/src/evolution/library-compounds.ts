import { parse } from 'yaml';
import { findCodeSection } from '../skill/code-block';
import { splitSkillText } from '../skill/frontmatter';
import { patternKey } from './mine';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The canonical key of a compound skill file's inside (its nodes and edges), as mining keys
 * patterns; undefined for any other file, or one whose inside cannot be read.
 */
export function compoundInsideKey(source: string): string | undefined {
  const split = splitSkillText(source);
  if (!split) return undefined;
  let fm: unknown;
  try {
    fm = parse(split.yaml);
  } catch {
    return undefined;
  }
  if (!isObject(fm) || fm.type !== 'compound') return undefined;
  const code = findCodeSection(split.body);
  if (code.kind !== 'block') return undefined;
  let inside: unknown;
  try {
    inside = JSON.parse(code.code);
  } catch {
    return undefined;
  }
  if (!isObject(inside) || !Array.isArray(inside.nodes) || !Array.isArray(inside.edges)) return undefined;
  const nodes = inside.nodes.filter((n): n is { id: string; skillId: string } => isObject(n) && typeof n.id === 'string' && typeof n.skillId === 'string');
  const edges = inside.edges.filter(
    (e): e is { source: string; sourceHandle: string; target: string; targetHandle: string } =>
      isObject(e) && [e.source, e.sourceHandle, e.target, e.targetHandle].every((f) => typeof f === 'string'),
  );
  return patternKey(nodes, edges);
}
