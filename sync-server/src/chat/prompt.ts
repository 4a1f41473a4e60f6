import { rankSkills, type SkillDoc } from './retrieval';

/** A rough token count (about four characters a token), enough for a budget. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4);

export interface ChatPrompt {
  system: string;
  /** The skills whose full text the prompt carries, most relevant first. */
  skillsUsed: string[];
}

const INTRO = `You are the assistant of LLMunix, a workspace where people build workflows out of skills
(Markdown files with typed inputs and outputs and code that runs in the browser: Python in
Pyodide, JavaScript, Three.js, ngspice). Help the person with their computational work. When a
skill fits, say which and how to wire it; with tools you can add nodes, connect ports, set
inputs, run the workflow and save code as a new skill. Skill code uses the Python standard
library only unless a package URL is configured.`;

/**
 * Builds the system prompt: every readable skill by name and description, plus the full text
 * of the few most relevant to the message (ranked, not first-N), within a token budget.
 */
export function buildPrompt(message: string, docs: readonly SkillDoc[], options: { maxSkills: number; budgetTokens: number; includeSkills: boolean }): ChatPrompt {
  if (!options.includeSkills || docs.length === 0) return { system: INTRO, skillsUsed: [] };
  const catalog = docs
    .map((d) => `- ${d.skill.frontmatter.name} (\`${d.skillId}\`, ${d.skill.frontmatter.type}): ${d.skill.frontmatter.description.replace(/\s+/g, ' ').trim()}`)
    .join('\n');
  let budget = options.budgetTokens - estimateTokens(INTRO) - estimateTokens(catalog);
  const chosen: SkillDoc[] = [];
  for (const { doc } of rankSkills(message, docs)) {
    if (chosen.length >= options.maxSkills) break;
    const cost = estimateTokens(doc.source);
    if (cost > budget) continue;
    budget -= cost;
    chosen.push(doc);
  }
  const full = chosen.map((d) => `### ${d.skill.frontmatter.name} (\`${d.skillId}\`, ${d.volume} volume)\n\n${d.source}`).join('\n\n');
  const system = `${INTRO}\n\n## Skills you can use\n\n${catalog}${chosen.length ? `\n\n## The most relevant skills, in full\n\n${full}` : ''}`;
  return { system, skillsUsed: chosen.map((d) => d.skillId) };
}
