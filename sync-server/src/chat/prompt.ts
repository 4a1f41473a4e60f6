import { rankSkills } from '../../../shared/src/skill/rank';
import type { SkillDoc } from './retrieval';

/** A rough token count (about four characters a token), enough for a budget. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

/**
 * How much of the prompt the most relevant skills' whole files may take, up front, in tokens
 * (about four characters each). The list of every readable skill's name and description is
 * outside this budget and is always sent whole; any other skill the assistant reads with the
 * read_skill tool when it needs it. So a library of hundreds of skills costs the first request
 * their names and descriptions plus at most this.
 */
export const UP_FRONT_SKILLS_BUDGET_TOKENS = 8_000;

export interface ChatPrompt {
  system: string;
  /** The skills whose full text the prompt carries, most relevant first. */
  skillsUsed: string[];
}

const INTRO = `You are the assistant of LLMunix, a workspace where people build workflows out of skills
(Markdown files with typed inputs and outputs and code that runs in the browser: Python in
Pyodide, JavaScript, Three.js, ngspice, WGSL compute kernels on WebGPU; or instructions only,
for you to follow). Help the person
with their computational work. When a skill fits, say which and how to wire it; with tools you
can add nodes, connect ports, set inputs, run the workflow and save code as a new skill. Skill
code uses the Python standard library only unless a package URL is configured.`;

const READING = `Below is every skill the person can read, by name and description. Before you rely on a
skill whose whole file is not in this prompt, read it with read_skill; read a file it refers to
(scripts/, references/…) with read_skill_file.`;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Builds the system prompt: every readable skill by name and description, plus the whole file of
 * the most relevant to the message (ranked, not first-N), within UP_FRONT_SKILLS_BUDGET_TOKENS.
 */
export function buildPrompt(message: string, docs: readonly SkillDoc[], options: { maxSkills: number; includeSkills: boolean }): ChatPrompt {
  if (!options.includeSkills || docs.length === 0) return { system: INTRO, skillsUsed: [] };
  const catalog = docs.map((d) => `- ${oneLine(d.name)} (\`${d.skillId}\`, ${d.kind}): ${oneLine(d.description)}`).join('\n');
  let budget = UP_FRONT_SKILLS_BUDGET_TOKENS;
  const full: string[] = [];
  const chosen: string[] = [];
  for (const { doc } of rankSkills(message, docs)) {
    if (chosen.length >= options.maxSkills) break;
    const section = `### ${oneLine(doc.name)} (\`${doc.skillId}\`, ${doc.volume} volume)\n\n${doc.source}`;
    const cost = estimateTokens(section);
    if (cost > budget) continue;
    budget -= cost;
    full.push(section);
    chosen.push(doc.skillId);
  }
  const upFront = full.length ? `\n\n## The most relevant skills, in full\n\n${full.join('\n\n')}` : '';
  return { system: `${INTRO}\n\n## Skills you can use\n\n${READING}\n\n${catalog}${upFront}`, skillsUsed: chosen };
}
