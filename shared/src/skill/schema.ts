import { z } from 'zod';
import { COMPOUND_TYPE, INSTRUCTION_TYPE } from './instruction';
import { ID_PATTERN } from '../rooms';
import { PORT_TYPES } from './ports';
import { checkGpuSkill, GPU_ELEMENTS, GpuBlockSchema, GpuExprSchema } from './gpu-schema';

/** Skill types that run; `qiskit` skills from the original run as Python, `webgpu` skills are WGSL compute kernels. */
export const SKILL_TYPES = ['python', 'javascript', 'threejs', 'ngspice', 'qiskit', 'webgpu'] as const;
export type SkillType = (typeof SKILL_TYPES)[number];

export { COMPOUND_TYPE, INSTRUCTION_TYPE } from './instruction';

/** The original product's type names, read as ours (`spice` yields to its code block's language). */
export const TYPE_ALIASES: Readonly<Record<string, SkillType>> = { 'python-wasm': 'python', spice: 'ngspice' };

/** A code block language LLMunix runs. */
export type CodeLanguage = 'python' | 'javascript' | 'spice' | 'wgsl';

/** The language a skill's `## Code` block must be written in, by skill type. */
export const CODE_LANGUAGE: Record<SkillType, CodeLanguage> = {
  python: 'python',
  qiskit: 'python',
  javascript: 'javascript',
  threejs: 'javascript',
  ngspice: 'spice',
  webgpu: 'wgsl',
};

/** The type a skill gets from its code block's language when its file names none. */
export const LANGUAGE_TYPE: Record<CodeLanguage, SkillType> = { python: 'python', javascript: 'javascript', spice: 'ngspice', wgsl: 'webgpu' };

export { PORT_TYPES, type PortType } from './ports';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const IDENTIFIER_RULE = 'must be an identifier: letters, digits and "_", not starting with a digit';
const portName = z.string().regex(IDENTIFIER, IDENTIFIER_RULE);

/** The rule a `skill_id` follows, as said in errors. */
export const SKILL_ID_RULE = 'must be 1–128 letters, digits, "-" or "_", starting with a letter or digit';

/**
 * An ngspice vector name an output may be named by: `v(2)`, `v(out)`, `v(a,b)`, `i(v1)`,
 * `v(x1.n1)` (or an identifier such as `time` or `frequency`).
 */
export const VECTOR_NAME = /^[vViI]\([A-Za-z0-9_.:#+-]{1,60}(,[A-Za-z0-9_.:#+-]{1,60})?\)$/;

/** Whether an output port name is allowed for a skill of this type (vector names: ngspice only). */
export const isOutputName = (name: string, type: SkillType | typeof INSTRUCTION_TYPE | typeof COMPOUND_TYPE): boolean =>
  IDENTIFIER.test(name) || (type === 'ngspice' && VECTOR_NAME.test(name));

/** Port fields of webgpu skills only (checked against the type in `SkillFrontmatterSchema`). */
const GPU_PORT_FIELDS = {
  /** The buffer's element type; f32 when not given. */
  element: z.enum(GPU_ELEMENTS).optional(),
  /** The buffer's element count, an expression. */
  length: GpuExprSchema.optional(),
  /** Rows the buffer is read back as (row-major), expressions. */
  shape: z.array(GpuExprSchema).min(1).max(3).optional(),
};

export const InputPortSchema = z.strictObject({
  name: portName,
  type: z.enum(PORT_TYPES),
  default: z.unknown().optional(),
  required: z.boolean().optional(),
  description: z.string().max(2000).optional(),
  ...GPU_PORT_FIELDS,
});

/** Output names are checked against the skill's type in `SkillFrontmatterSchema`. */
export const OutputPortSchema = z.strictObject({
  name: z.string().max(128),
  type: z.enum(PORT_TYPES),
  description: z.string().max(2000).optional(),
  ...GPU_PORT_FIELDS,
});

/** LLMunix's own frontmatter fields, apart from `type`. */
const OUR_FIELDS = {
  name: z.string().min(1).max(100),
  skill_id: z.string().regex(ID_PATTERN, SKILL_ID_RULE),
  category: z.string().min(1).max(64).default('general'),
  execution_mode: z.string().min(1).max(64).default('browser-wasm'),
  description: z.string().max(2000).default(''),
  tags: z.array(z.string().min(1).max(64)).max(64).default([]),
  version: z.string().min(1).max(32).default('1.0.0'),
  inputs: z.array(InputPortSchema).max(64).default([]),
  outputs: z.array(OutputPortSchema).max(64).default([]),
  deterministic: z.boolean().default(true),
  estimated_time_ms: z.number().int().positive().max(3_600_000).optional(),
  derived_from: z
    .looseObject({
      skills: z.array(z.string().regex(ID_PATTERN, SKILL_ID_RULE)).min(1).max(256),
      support: z.number().int().nonnegative().optional(),
      window_days: z.number().positive().optional(),
      mined_at: z.string().max(64).optional(),
    })
    .optional(),
  gpu: GpuBlockSchema.optional(),
};

/** The names of LLMunix's own frontmatter fields (everything else a file holds is kept as written). */
export const OUR_FIELD_NAMES: ReadonlySet<string> = new Set([...Object.keys(OUR_FIELDS), 'type']);

type Ports = {
  type: SkillType | typeof INSTRUCTION_TYPE | typeof COMPOUND_TYPE;
  inputs: Array<z.infer<typeof InputPortSchema>>;
  outputs: Array<z.infer<typeof OutputPortSchema>>;
  gpu?: z.infer<typeof GpuBlockSchema>;
};

function checkPorts(fm: Ports, ctx: z.RefinementCtx): void {
  fm.outputs.forEach((port, i) => {
    if (isOutputName(port.name, fm.type)) return;
    const vector = VECTOR_NAME.test(port.name) ? ' (vector names such as v(out) name the outputs of ngspice skills only)' : '';
    ctx.addIssue({ code: 'custom', path: ['outputs', i, 'name'], message: `${IDENTIFIER_RULE}${vector}` });
  });
  for (const key of ['inputs', 'outputs'] as const) {
    const seen = new Set<string>();
    fm[key].forEach((port, i) => {
      if (seen.has(port.name)) {
        ctx.addIssue({ code: 'custom', path: [key, i, 'name'], message: `duplicate ${key.slice(0, -1)} "${port.name}"` });
      }
      seen.add(port.name);
    });
  }
  checkGpuSkill(fm, ctx);
}

/** The frontmatter of a skill that runs. */
export const SkillFrontmatterSchema = z.strictObject({ ...OUR_FIELDS, type: z.enum(SKILL_TYPES) }).superRefine(checkPorts);

/** The frontmatter of an instruction skill: the same fields, `type: instruction`. */
export const InstructionFrontmatterSchema = z.strictObject({ ...OUR_FIELDS, type: z.literal(INSTRUCTION_TYPE) }).superRefine(checkPorts);

/** The frontmatter of a compound skill: the same fields, `type: compound`; its code is a workflow. */
export const CompoundFrontmatterSchema = z.strictObject({ ...OUR_FIELDS, type: z.literal(COMPOUND_TYPE) }).superRefine(checkPorts);

export type InputPort = z.infer<typeof InputPortSchema>;
export type OutputPort = z.infer<typeof OutputPortSchema>;
export type SkillFrontmatter = z.infer<typeof SkillFrontmatterSchema>;
export type InstructionFrontmatter = z.infer<typeof InstructionFrontmatterSchema>;
export type CompoundFrontmatter = z.infer<typeof CompoundFrontmatterSchema>;
/** The frontmatter of any skill a volume holds: runnable, instruction or compound. */
export type AnySkillFrontmatter = SkillFrontmatter | InstructionFrontmatter | CompoundFrontmatter;
