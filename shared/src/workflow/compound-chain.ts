import type { CompoundSkill } from '../skill/parse';
import type { PortType } from '../skill/ports';
import { portTypesCompatible } from './port-types';

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

/** The ports a skill declares, for checking a compound skill's mappings. */
type PortsLookup = (skillId: string) => { inputs: Array<{ name: string; type: PortType }>; outputs: Array<{ name: string; type: PortType }> } | undefined;

/**
 * What is wrong with the port mappings of a compound skill and of the compound skills inside it:
 * a mapping onto an inner port its skill does not have, or whose type does not fit. Inner skills
 * that are missing are left to validation of the expanded workflow, which names them.
 */
export function mappingProblems(skillId: string, ports: PortsLookup, lookup: CompoundLookup, seen = new Set<string>()): string[] {
  const skill = lookup(skillId);
  if (!skill || seen.has(skillId)) return [];
  seen.add(skillId);
  const problems: string[] = [];
  const inner = new Map(skill.inside.nodes.map((n) => [n.id, n]));
  const portsOf = (nodeId: string) => {
    const node = inner.get(nodeId);
    return node && { skillId: node.skillId, declared: ports(node.skillId) };
  };
  for (const input of skill.inside.inputs) {
    const type = skill.frontmatter.inputs.find((p) => p.name === input.name)?.type ?? 'any';
    for (const t of input.targets) {
      const found = portsOf(t.node);
      if (!found?.declared) continue;
      const port = found.declared.inputs.find((p) => p.name === t.port);
      if (!port) problems.push(`"${skillId}" maps its input "${input.name}" to input "${t.port}" of inner node "${t.node}", which skill "${found.skillId}" does not have`);
      else if (!portTypesCompatible(type, port.type)) problems.push(`"${skillId}" maps its ${type} input "${input.name}" to ${port.type} input "${t.port}" of inner node "${t.node}"`);
    }
  }
  for (const output of skill.inside.outputs) {
    const type = skill.frontmatter.outputs.find((p) => p.name === output.name)?.type ?? 'any';
    const found = portsOf(output.node);
    if (!found?.declared) continue;
    const port = found.declared.outputs.find((p) => p.name === output.port);
    if (!port) problems.push(`"${skillId}" takes its output "${output.name}" from output "${output.port}" of inner node "${output.node}", which skill "${found.skillId}" does not have`);
    else if (!portTypesCompatible(port.type, type)) problems.push(`"${skillId}" takes its ${type} output "${output.name}" from ${port.type} output "${output.port}" of inner node "${output.node}"`);
  }
  for (const skillOfNode of new Set(skill.inside.nodes.map((n) => n.skillId))) problems.push(...mappingProblems(skillOfNode, ports, lookup, seen));
  return problems;
}
