import type { CompoundSkill } from '../skill/parse';

/** Finds a compound skill by id (user, then team, then system volume); undefined for any other skill. */
export type CompoundLookup = (skillId: string) => CompoundSkill | undefined;

/**
 * The chain through which a compound skill contains itself, directly or through nested compound
 * skills (`a → b → a`, or `a → b → c → b` when one it contains does), or undefined when none does.
 */
export function selfContainment(skillId: string, lookup: CompoundLookup): string[] | undefined {
  const done = new Set<string>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (path.includes(id)) return [...path, id];
    if (done.has(id)) return undefined;
    const skill = lookup(id);
    if (!skill) return undefined;
    for (const inner of new Set(skill.inside.nodes.map((n) => n.skillId))) {
      const found = visit(inner, [...path, id]);
      if (found) return found;
    }
    done.add(id);
    return undefined;
  };
  return visit(skillId, []);
}

/** Names a containment chain as people read it: `a → b → a`. */
export const chainText = (chain: readonly string[]): string => chain.join(' → ');
