import type { WorkflowGraph } from '../../../shared/src/documents/workflow';
import { cacheKey } from '../../../shared/src/execution/executor';
import { resolveInputs } from '../../../shared/src/execution/inputs';
import type { ResolvedSkill, ResultCache } from '../../../shared/src/execution/types';
import type { Json } from '../../../shared/src/json';
import type { SkillType } from '../../../shared/src/skill/schema';
import { scheduleWaves } from '../../../shared/src/workflow/schedule';

/**
 * The skill types of the nodes of an expanded graph that will really run: those whose result is
 * not in the cache, found by following cached outputs downstream as the executor will. So the
 * runtimes warmed up front are only those needed (a fully cached workflow starts none). A node
 * whose skill does not resolve is left to the executor's validation.
 */
export async function typesToRun(graph: WorkflowGraph, resolve: (id: string) => ResolvedSkill | undefined, cache?: ResultCache): Promise<Set<SkillType>> {
  const outputs = new Map<string, Record<string, Json>>();
  const types = new Set<SkillType>();
  for (const wave of scheduleWaves(graph)) {
    for (const id of wave) {
      const node = graph.nodes.find((n) => n.id === id)!;
      const resolved = resolve(node.skillId);
      if (!resolved) continue;
      const fm = resolved.skill.frontmatter;
      const upstreamKnown = graph.edges.every((e) => e.target !== id || outputs.has(e.source));
      const hit =
        upstreamKnown && fm.deterministic && cache
          ? await cache.get(cacheKey(resolved.source, resolveInputs(node, fm, graph, (src) => outputs.get(src)))).catch(() => undefined)
          : undefined;
      if (hit) outputs.set(id, hit.outputs);
      else types.add(fm.type);
    }
  }
  return types;
}
