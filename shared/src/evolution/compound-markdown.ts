import { stringify } from 'yaml';
import type { InputPort, OutputPort } from '../skill/schema';

/** The inside of a compound skill: workflow nodes and edges, and where its ports go. */
export interface CompoundInside {
  nodes: Array<{ id: string; skillId: string; position: { x: number; y: number }; inputs: Record<string, never> }>;
  edges: Array<{ id: string; source: string; sourceHandle: string; target: string; targetHandle: string }>;
  inputs: Array<{ name: string; targets: Array<{ node: string; port: string }> }>;
  outputs: Array<{ name: string; node: string; port: string }>;
}

/** Where a mined compound skill came from, as its frontmatter records it. */
export interface DerivedFrom {
  skills: string[];
  support: number;
  window_days: number;
  mined_at: string;
}

export interface CompoundFile {
  name: string;
  skill_id: string;
  description: string;
  inputs: InputPort[];
  outputs: OutputPort[];
  derived_from: DerivedFrom;
  inside: CompoundInside;
}

/**
 * A compound skill file in the format agreed for issue 16 (frontmatter with `type: compound`,
 * the inside as the `## Code` section's JSON block). The evolution engine's own writer until
 * the skill package's compound builder replaces it.
 */
export function compoundMarkdown(c: CompoundFile): string {
  const frontmatter = {
    name: c.name,
    skill_id: c.skill_id,
    type: 'compound',
    version: '1.0.0',
    description: c.description,
    inputs: c.inputs,
    outputs: c.outputs,
    derived_from: c.derived_from,
  };
  return [
    '---',
    stringify(frontmatter, { lineWidth: 0 }).trimEnd(),
    '---',
    '',
    `# Skill: ${c.name}`,
    '',
    c.description,
    '',
    '## Code',
    '',
    '```json',
    JSON.stringify(c.inside, null, 2),
    '```',
    '',
  ].join('\n');
}
