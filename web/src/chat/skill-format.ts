import type { SkillFormat } from './tools';

/** Builds and checks a skill file from a tool call or a code block (the schema loads on demand). */
export const skillFormat: SkillFormat = async () => {
  const [{ SkillFrontmatterSchema }, { buildSkillMarkdown }, { parseSkill, formatSkillError }, { skillIdFrom }] = await Promise.all([
    import('../../../shared/src/skill/schema'),
    import('../../../shared/src/skill/serialize'),
    import('../../../shared/src/skill/parse'),
    import('../../../shared/src/skill/skill-id'),
  ]);
  return {
    build(input) {
      const fm = SkillFrontmatterSchema.safeParse({
        name: input.name,
        skill_id: input.skill_id ?? skillIdFrom(input.name),
        type: input.type,
        description: input.description ?? '',
        inputs: input.inputs ?? [],
        outputs: input.outputs ?? [],
        category: 'assistant',
        ...(input.gpu === undefined ? {} : { gpu: input.gpu }),
      });
      if (!fm.success) return { ok: false, errors: fm.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
      const markdown = buildSkillMarkdown(fm.data, input.code, undefined, input.fallback);
      const parsed = parseSkill(markdown, `${fm.data.skill_id}.md`);
      if (!parsed.ok) return { ok: false, errors: parsed.error.map(formatSkillError) };
      return { ok: true, id: fm.data.skill_id, markdown };
    },
  };
};
