import type { SkillType } from '../../src/skill/schema';

export interface Port {
  name: string;
  type: string;
  default?: unknown;
  required?: boolean;
  /** webgpu ports: the buffer's element type, length and read-back shape. */
  element?: string;
  length?: string | number;
  shape?: Array<string | number>;
}

/** What a webgpu skill adds: its `gpu` block and its `## Fallback` JavaScript. */
export interface GpuParts {
  gpu?: Record<string, unknown>;
  fallback?: string;
}

const LANGUAGE: Record<SkillType, string> = { python: 'python', qiskit: 'python', javascript: 'javascript', threejs: 'javascript', ngspice: 'spice', webgpu: 'wgsl' };

/** A skill file as an author writes one: frontmatter, a heading, and the `## Code` block. */
export function skillText(type: SkillType, id: string, outputs: Port[], code: string, inputs: Port[] = [], { gpu, fallback }: GpuParts = {}): string {
  return [
    '---',
    `name: ${id}`,
    `skill_id: ${id}`,
    `type: ${type}`,
    `inputs: ${JSON.stringify(inputs)}`,
    `outputs: ${JSON.stringify(outputs)}`,
    ...(gpu ? [`gpu: ${JSON.stringify(gpu)}`] : []),
    '---',
    '',
    `# ${id}`,
    '',
    '## Code',
    '',
    `\`\`\`${LANGUAGE[type]}`,
    code,
    '```',
    '',
    ...(fallback !== undefined ? ['## Fallback', '', '```javascript', fallback, '```', ''] : []),
  ].join('\n');
}

/** The 1-based line of a skill file holding `needle`, so expected errors name it exactly. */
export function lineIn(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`"${needle}" is not in the skill text`);
  return index + 1;
}

/** `text` with every regular-expression character escaped. */
export const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
