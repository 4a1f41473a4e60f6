import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from '../../../shared/src/documents/workflow';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { formatSkillError, parseSkill } from '../../../shared/src/skill/parse';
import { parseWorkflowFile } from '../../../shared/src/workflow/file';

export const FIXTURES = path.join(import.meta.dirname, 'fixtures');
export const REPO = path.resolve(import.meta.dirname, '../../..');

/** A skill from its Markdown text, as the executor gets it. */
export function skillFrom(source: string, file: string): ResolvedSkill {
  const parsed = parseSkill(source, file);
  if (!parsed.ok) throw new Error(parsed.error.map(formatSkillError).join('\n'));
  return { skill: parsed.value, source };
}

/** A skill file: frontmatter fields, then the code block in `language`. */
export function skillSource(fields: Record<string, unknown>, language: string, code: string): string {
  const yaml = Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
  return ['---', ...yaml, '---', '', '## Code', '', `\`\`\`${language}`, code, '```', ''].join('\n');
}

export function workflowFixture(name: string): WorkflowGraph {
  const parsed = parseWorkflowFile(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return { nodes: parsed.value.nodes, edges: parsed.value.edges };
}

export const node = (id: string, skillId: string, inputs: WorkflowNode['inputs'] = {}): WorkflowNode => ({
  id,
  skillId,
  label: '',
  position: { x: 0, y: 0 },
  inputs,
});

export const edge = (source: string, sourceHandle: string, target: string, targetHandle: string): WorkflowEdge => ({
  id: `${source}-${target}-${targetHandle}`,
  source,
  sourceHandle,
  target,
  targetHandle,
});

/** The 1-based line of a file holding `text`. */
export function lineOf(file: string, text: string): number {
  const index = fs.readFileSync(path.join(REPO, file), 'utf8').split('\n').findIndex((l) => l.includes(text));
  if (index < 0) throw new Error(`${text} is not in ${file}`);
  return index + 1;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the repository's TypeScript scripts as `npm run` does (through tsx), to its end. */
export function runScript(script: string, args: string[], timeoutMs = 180_000): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code === -1) return reject(new Error(`${script} did not finish: ${error?.message}\nstderr:\n${stderr}`));
      resolve({ code, stdout, stderr });
    });
  });
}
