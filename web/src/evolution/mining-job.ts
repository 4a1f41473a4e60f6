import { compoundInsideKey } from '../../../shared/src/evolution/library-compounds';
import { minePatterns } from '../../../shared/src/evolution/mine';
import { suggestionOf, type SkillInfo, type Suggestion } from '../../../shared/src/evolution/suggest';

/** What the page asks the mining worker: the runs, the library and the choices to respect. */
export interface MineRequest {
  type: 'mine';
  id: number;
  /** Stored traces (anything: what is not a trace is skipped and counted). */
  traces: unknown[];
  /** Skill name and typed ports by skill id, for naming suggestions and typing their ports. */
  skills: Record<string, SkillInfo>;
  /** The Markdown of the compound skills already in the library: their patterns are not offered. */
  compounds: string[];
  dismissed: string[];
  /** The end of the window (ms). */
  now: number;
  days: number;
  minSupport: number;
}

export type MineReply =
  | { type: 'progress'; id: number; step: 'reading' | 'mining' | 'naming'; runs?: number }
  | { type: 'result'; id: number; suggestions: Suggestion[]; runs: number; skipped: number }
  | { type: 'error'; id: number; message: string };

const isRequest = (m: unknown): m is MineRequest => {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Partial<MineRequest>;
  return (
    r.type === 'mine' &&
    typeof r.id === 'number' &&
    Array.isArray(r.traces) &&
    typeof r.skills === 'object' &&
    r.skills !== null &&
    Array.isArray(r.compounds) &&
    Array.isArray(r.dismissed) &&
    [r.now, r.days, r.minSupport].every((n) => typeof n === 'number')
  );
};

/**
 * Carries out one mining request (what the worker does with a message): reports each step, then
 * the suggestions, or an error saying what was wrong with the request.
 */
export function handleMineMessage(message: unknown, post: (reply: MineReply) => void): void {
  const id = typeof message === 'object' && message !== null && typeof (message as { id?: unknown }).id === 'number' ? (message as { id: number }).id : -1;
  if (!isRequest(message)) {
    post({ type: 'error', id, message: 'The mining worker was sent something that is not a mining request: reload the app.' });
    return;
  }
  try {
    post({ type: 'progress', id, step: 'reading' });
    const existing = message.compounds.flatMap((source) => compoundInsideKey(source) ?? []);
    post({ type: 'progress', id, step: 'mining', runs: message.traces.length });
    const mined = minePatterns(message.traces, { now: message.now, days: message.days, minSupport: message.minSupport, existing, dismissed: message.dismissed });
    post({ type: 'progress', id, step: 'naming', runs: mined.runs });
    const skill = (skillId: string): SkillInfo | undefined => (Object.hasOwn(message.skills, skillId) ? message.skills[skillId] : undefined);
    const minedAt = new Date(message.now).toISOString();
    const suggestions = mined.patterns.map((p) => suggestionOf(p, { skill, windowDays: message.days, minedAt }));
    post({ type: 'result', id, suggestions, runs: mined.runs, skipped: mined.skipped });
  } catch (e) {
    post({ type: 'error', id, message: `Mining the runs failed: ${(e as Error).message}` });
  }
}
