import { z } from 'zod';
import { ID_PATTERN } from '../rooms';

/** Skill types; `qiskit` skills from the original run as Python. */
export const SKILL_TYPES = ['python', 'javascript', 'threejs', 'ngspice', 'qiskit'] as const;
export type SkillType = (typeof SKILL_TYPES)[number];

/** The language a skill's `## Code` block must be written in, by skill type. */
export const CODE_LANGUAGE: Record<SkillType, 'python' | 'javascript' | 'spice'> = {
  python: 'python',
  qiskit: 'python',
  javascript: 'javascript',
  threejs: 'javascript',
  ngspice: 'spice',
};

/** Types a port can declare; `any` connects to everything, `integer` feeds `number`. */
export const PORT_TYPES = ['number', 'integer', 'string', 'boolean', 'object', 'array', 'any'] as const;
export type PortType = (typeof PORT_TYPES)[number];

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const IDENTIFIER_RULE = 'must be an identifier: letters, digits and "_", not starting with a digit';
const portName = z.string().regex(IDENTIFIER, IDENTIFIER_RULE);

/**
 * An ngspice vector name an output may be named by: `v(2)`, `v(out)`, `v(a,b)`, `i(v1)`,
 * `v(x1.n1)` (or an identifier such as `time` or `frequency`).
 */
export const VECTOR_NAME = /^[vViI]\([A-Za-z0-9_.:#+-]{1,60}(,[A-Za-z0-9_.:#+-]{1,60})?\)$/;

/** Whether an output port name is allowed for a skill of this type (vector names: ngspice only). */
export const isOutputName = (name: string, type: SkillType): boolean => IDENTIFIER.test(name) || (type === 'ngspice' && VECTOR_NAME.test(name));

export const InputPortSchema = z.strictObject({
  name: portName,
  type: z.enum(PORT_TYPES),
  default: z.unknown().optional(),
  required: z.boolean().optional(),
  description: z.string().max(2000).optional(),
});

/** Output names are checked against the skill's type in `SkillFrontmatterSchema`. */
export const OutputPortSchema = z.strictObject({
  name: z.string().max(128),
  type: z.enum(PORT_TYPES),
  description: z.string().max(2000).optional(),
});

export const SkillFrontmatterSchema = z
  .strictObject({
    name: z.string().min(1).max(100),
    skill_id: z.string().regex(ID_PATTERN, 'must be 1–128 letters, digits, "-" or "_", starting with a letter or digit'),
    type: z.enum(SKILL_TYPES),
    category: z.string().min(1).max(64).default('general'),
    execution_mode: z.string().min(1).max(64).default('browser-wasm'),
    description: z.string().max(2000).default(''),
    tags: z.array(z.string().min(1).max(64)).max(64).default([]),
    version: z.string().min(1).max(32).default('1.0.0'),
    inputs: z.array(InputPortSchema).max(64).default([]),
    outputs: z.array(OutputPortSchema).max(64).default([]),
    deterministic: z.boolean().default(true),
    estimated_time_ms: z.number().int().positive().max(3_600_000).optional(),
  })
  .superRefine((fm, ctx) => {
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
  });

export type InputPort = z.infer<typeof InputPortSchema>;
export type OutputPort = z.infer<typeof OutputPortSchema>;
export type SkillFrontmatter = z.infer<typeof SkillFrontmatterSchema>;
