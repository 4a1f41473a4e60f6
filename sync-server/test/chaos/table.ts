import type { ChaosRow } from './types';

const quantile = (values: number[], q: number): number | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

const ms = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)}`);

/** The rows as one Markdown table (the README shows it as printed), then every problem. */
export function chaosTable(rows: ChaosRow[]): string {
  const header = ['scenario', 'fault', 'backend', 'trials', 'acknowledged', 'lost', 'recovery p50 / max (ms)', 'figures', 'result'];
  const lines = rows.map((r) => [
    r.scenario,
    r.fault,
    r.backend,
    String(r.trials),
    r.acknowledged.toLocaleString('en-US'),
    String(r.lost),
    r.recoveryMs.length ? `${ms(quantile(r.recoveryMs, 0.5))} / ${ms(quantile(r.recoveryMs, 1))}` : '–',
    Object.entries(r.figures ?? {})
      .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en-US') : v}`)
      .join('; ') || '–',
    r.skipped ? `skipped: ${r.skipped}` : rowProblems(r).length ? 'FAILED' : 'ok',
  ]);
  const out = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines.map((l) => `| ${l.join(' | ')} |`)];
  const problems = rows.flatMap((r) => rowProblems(r).map((p) => `- ${r.scenario} / ${r.fault} / ${r.backend}: ${p}`));
  if (problems.length) out.push('', 'Problems:', ...problems);
  return out.join('\n');
}

/** What makes a row fail: its own problems, and any update lost. */
export function rowProblems(r: ChaosRow): string[] {
  if (r.skipped) return [];
  return [...(r.lost > 0 ? [`${r.lost} of ${r.acknowledged} acknowledged updates lost`] : []), ...r.problems];
}
