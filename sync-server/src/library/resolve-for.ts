import { createHash } from 'node:crypto';
import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { expandCompounds } from '../../../shared/src/execution/expand-compound';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import type { CompoundSkill, ParsedSkill } from '../../../shared/src/skill/parse';
import type { SkillType } from '../../../shared/src/skill/schema';
import type { CompoundLookup } from '../../../shared/src/workflow/compound-chain';
import type { LibraryLookup } from '../../../shared/src/workflow/validate';
import type { VolumeRef } from '../access/volumes';
import type { ReadableVolume } from './readable-volumes';
import { storedSkill } from './stored-skills';

/** One skill the caller sees: the first volume in order holding its id wins, as in the app. */
export interface CallerSkill {
  ref: VolumeRef;
  skillId: string;
  source: string;
  /** Undefined when the stored source does not validate: it still shadows the id (the app shows it broken). */
  skill: ParsedSkill | undefined;
}

/** The caller's skills and the lookups a run and its validation use, in the caller's order. */
export interface CallerLibrary {
  skills: CallerSkill[];
  resolve: (skillId: string) => ResolvedSkill | undefined;
  library: LibraryLookup;
  compounds: CompoundLookup;
  /** Changes whenever any skill the caller sees changes (a key for what was built from them). */
  fingerprint: string;
}

/** Skill types the server runs (webgpu by its CPU fallback); qiskit's package is not available headless. */
export const HEADLESS_TYPES: ReadonlySet<SkillType> = new Set(['python', 'javascript', 'threejs', 'ngspice', 'webgpu']);

/** The caller's library from their readable volumes, first in order winning each skill id. */
export function callerLibrary(volumes: readonly ReadableVolume[]): CallerLibrary {
  const byId = new Map<string, CallerSkill>();
  const hash = createHash('sha256');
  for (const v of volumes) {
    // In id order: a Y.Map's order differs between replicas, and tool names settle collisions by order.
    for (const skillId of [...v.sources.keys()].sort()) {
      const source = v.sources.get(skillId) as string;
      if (byId.has(skillId)) continue;
      byId.set(skillId, { ref: v.ref, skillId, source, skill: storedSkill(v.ref, skillId, source) });
      hash.update(`${v.ref.volume}/${v.ref.volumeId}\0${skillId}\0${source}\0`);
    }
  }
  const resolved = new Map<string, ResolvedSkill>();
  for (const s of byId.values()) if (s.skill?.kind === 'runnable') resolved.set(s.skillId, { skill: s.skill, source: s.source });
  return {
    skills: [...byId.values()],
    resolve: (id) => resolved.get(id),
    library: (id) => byId.get(id)?.skill?.frontmatter,
    compounds: (id) => {
      const skill = byId.get(id)?.skill;
      return skill?.kind === 'compound' ? (skill as CompoundSkill) : undefined;
    },
    fingerprint: hash.digest('hex'),
  };
}

/**
 * Why a graph cannot run on the server although it may validate: a node (compound nodes opened)
 * whose skill's type has no headless runtime. Unknown skills are left to validation, which names them.
 */
export function headlessProblem(graph: WorkflowGraph, lib: CallerLibrary): string | undefined {
  for (const node of expandCompounds(graph, lib.compounds).graph.nodes) {
    const type = lib.resolve(node.skillId)?.skill.frontmatter.type;
    if (type && !HEADLESS_TYPES.has(type)) {
      return `node "${node.id}" uses skill "${node.skillId}" of type ${type}, which the server cannot run (only ${[...HEADLESS_TYPES].join(', ')} skills run headless)`;
    }
  }
  return undefined;
}
