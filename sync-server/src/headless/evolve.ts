import fs from 'node:fs/promises';
import path from 'node:path';
import { compoundInsideKey } from '../../../shared/src/evolution/library-compounds';
import { minePatterns, type MineOptions } from '../../../shared/src/evolution/mine';
import { suggestionOf, type SkillInfo, type Suggestion } from '../../../shared/src/evolution/suggest';
import { loadVolumes, SYSTEM_SKILLS_DIR } from './skills';

export interface EvolveOptions {
  /** The directory of trace files: every `*.jsonl` in it is read. */
  dir: string;
  minSupport?: number;
  days?: number;
  /** How many suggestions at most (the miner's default when absent; Infinity for all). */
  limit?: number;
  /** The user's volume, for skill names and ports and for compounds already made. */
  skillsDir?: string;
  /** Where suggestions are written as `<skill_id>.md` (its compounds are not offered again). */
  outDir?: string;
  /** The end of the window (ms); now by default. */
  now?: number;
  log: (line: string) => void;
}

export interface EvolveResult {
  suggestions: Suggestion[];
  /** Lines skipped: not JSON, or JSON that is not a trace. */
  skipped: number;
  written: string[];
}

/** A problem with the command's input: nothing was mined. */
export class EvolveInputError extends Error {
  override name = 'EvolveInputError';
}

const DEFAULT_DAYS = 7;

/** The skill files of a directory: `*.md` at its top and `<name>/SKILL.md`; none when it does not exist. */
async function skillTexts(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const files = entries.flatMap((e) => (e.isFile() && e.name.endsWith('.md') ? [path.join(dir, e.name)] : e.isDirectory() ? [path.join(dir, e.name, 'SKILL.md')] : []));
  const texts = await Promise.all(files.map((f) => fs.readFile(f, 'utf8').catch(() => undefined)));
  return texts.filter((t): t is string => t !== undefined);
}

/**
 * Mines a directory of trace files (`npm run evolve`): reads every `*.jsonl`, skips lines that
 * are not traces (counted, never fatal), mines the runs and turns each pattern into a compound
 * skill suggestion named and typed from the system skills and the user's; with `outDir`, writes
 * each suggestion's file there.
 */
export async function evolve(o: EvolveOptions): Promise<EvolveResult> {
  let names: string[];
  try {
    names = (await fs.readdir(o.dir)).filter((n) => n.endsWith('.jsonl')).sort();
  } catch (e) {
    throw new EvolveInputError(`cannot read the trace directory ${o.dir}: ${(e as Error).message}`);
  }
  if (names.length === 0) o.log(`note: no *.jsonl trace files in ${o.dir} (npm run workflow -- FILE.json --traces ${o.dir} writes them)`);

  const values: unknown[] = [];
  let notJson = 0;
  let lines = 0;
  for (const name of names) {
    const text = await fs.readFile(path.join(o.dir, name), 'utf8');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      lines++;
      try {
        values.push(JSON.parse(line));
      } catch {
        notJson++;
      }
    }
  }
  o.log(`read ${lines} line(s) from ${names.length} file(s)`);

  const volumes = await loadVolumes(o.skillsDir);
  for (const w of volumes.warnings) o.log(`note: ${w}`);
  const skill = (id: string): SkillInfo | undefined => {
    const fm = volumes.skills.get(id)?.skill.frontmatter ?? volumes.instructions.get(id)?.frontmatter;
    return fm && { name: fm.name, inputs: fm.inputs, outputs: fm.outputs };
  };
  const library = [SYSTEM_SKILLS_DIR, o.skillsDir, o.outDir].filter((d): d is string => d !== undefined);
  const existing = (await Promise.all(library.map(skillTexts))).flat().flatMap((t) => compoundInsideKey(t) ?? []);

  const now = o.now ?? Date.now();
  const days = o.days ?? DEFAULT_DAYS;
  const options: MineOptions = { now, days, minSupport: o.minSupport, limit: o.limit, existing };
  const t0 = performance.now();
  const mined = minePatterns(values, options);
  const skipped = notJson + mined.skipped;
  if (skipped > 0) {
    const why = [...(notJson > 0 ? [`${notJson} not JSON`] : []), ...(mined.skipped > 0 ? [`${mined.skipped} not a trace (${[...new Set(mined.problems)].join('; ')})`] : [])];
    o.log(`skipped ${skipped} line(s): ${why.join(', ')}`);
  }
  o.log(`mined ${mined.runs} successful run(s) of the last ${days} day(s) in ${(performance.now() - t0).toFixed(0)} ms: ${mined.patterns.length} suggestion(s)`);

  const minedAt = new Date(now).toISOString();
  const suggestions = mined.patterns.map((p) => suggestionOf(p, { skill, windowDays: days, minedAt }));
  const written: string[] = [];
  if (o.outDir) {
    await fs.mkdir(o.outDir, { recursive: true });
    for (const s of suggestions) {
      const file = path.join(o.outDir, `${s.skill_id}.md`);
      await fs.writeFile(file, s.markdown);
      written.push(file);
      o.log(`wrote ${file}`);
    }
  }
  return { suggestions, skipped, written };
}
